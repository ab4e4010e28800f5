"""Hostile input is bounded and local files do not leak: limits, `$ref` confinement, regular files
only; outputs are never half-written and never overwrite the input."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import threading
from pathlib import Path
from typing import Any

import pytest
from generator.cli import main
from generator.problems import ProblemError
from generator.spec.loader import load_spec
from generator.spec.source import InputLimits, load_source

SPEC = """openapi: 3.1.0
info: {title: T, version: "1"}
paths:
  /a:
    get:
      operationId: A
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "REF"}
components:
  schemas:
    Item: {type: object, properties: {id: {type: string}}}
"""


def _spec(folder: Path, ref: str = "#/components/schemas/Item", name: str = "api.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(SPEC.replace("REF", ref))
    return path


def _codes(exc: pytest.ExceptionInfo[ProblemError]) -> list[str]:
    return [p.code for p in exc.value.problems]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- limits ----------------------------------------------------------------------------------


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONNECTORGEN_MAX_DEPTH", "7")
    assert InputLimits.from_env().max_depth == 7
    monkeypatch.setenv("CONNECTORGEN_MAX_DEPTH", "seven")
    with pytest.raises(ProblemError) as raised:
        InputLimits.from_env()
    assert _codes(raised) == ["invalid_limit"]


def test_depth_limit_is_exact(tmp_path: Path) -> None:
    limits = InputLimits(max_depth=5)
    ok = tmp_path / "ok.yaml"
    ok.write_text("a: " + "[" * 4 + "]" * 4 + "\n")  # the mapping plus 4 lists: 5 levels
    assert load_source(ok, limits=limits).data == {"a": [[[[]]]]}
    exact = tmp_path / "exact.json"
    exact.write_text('{"a": ' + "[" * 4 + "]" * 4 + "}")
    assert load_source(exact, limits=limits).data == {"a": [[[[]]]]}
    deep = tmp_path / "deep.json"
    deep.write_text('{"a": ' + "[" * 5 + "]" * 5 + "}")
    with pytest.raises(ProblemError) as raised:
        load_source(deep, limits=limits)
    assert _codes(raised) == ["nesting_too_deep"]
    assert raised.value.problems[0].line == 1


def test_a_hundred_thousand_levels_do_not_crash_the_parser(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("- " * 100_000 + "x\n")  # libyaml's composer would overflow the C stack
    with pytest.raises(ProblemError) as raised:
        load_source(path)
    assert _codes(raised) == ["nesting_too_deep"]


def test_small_alias_use_is_fine_and_expansion_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text("base: &b {x: 1, y: [1, 2]}\none: *b\ntwo: [*b, *b]\n")
    assert load_source(path).data["two"] == [{"x": 1, "y": [1, 2]}] * 2
    with pytest.raises(ProblemError) as raised:
        load_source(path, limits=InputLimits(max_alias_nodes=3))
    assert _codes(raised) == ["yaml_alias_expansion"]


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('{"a": "' + "x" * 100 + '"}')
    assert load_source(path, limits=InputLimits(max_bytes=200)).data["a"] == "x" * 100
    with pytest.raises(ProblemError) as raised:
        load_source(path, limits=InputLimits(max_bytes=50))
    assert _codes(raised) == ["file_too_large"]


@pytest.mark.parametrize(
    ("text", "code", "pointer"),
    [
        ('{"a": 1,\n "b": {"c": 1, "c": 2}}', "json_duplicate_key", "/b/c"),
        ('{"a": 1,\n "b": 1e400}', "number_out_of_range", "/b"),
        ('{"a": 1,\n "b": -' + "1" * 5000 + "}", "number_out_of_range", "/b"),
        ("a: 1\nb: " + "1" * 5000 + "\n", "number_out_of_range", "/b"),
        ("a: 1\nb: -1e400\n", "number_out_of_range", "/b"),
    ],
)
def test_json_and_yaml_refuse_the_same_things_with_their_location(tmp_path: Path, text: str, code: str, pointer: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(text)
    with pytest.raises(ProblemError) as raised:
        load_source(path)
    (problem,) = raised.value.problems
    assert (problem.code, problem.pointer, problem.line) == (code, pointer, 2)


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)  # no writer: opening it for reading in blocking mode would hang
    with pytest.raises(ProblemError) as raised:
        load_source(fifo)
    assert _codes(raised) == ["not_a_regular_file"]
    spec = _spec(tmp_path, "pipe.yaml#/Item")
    with pytest.raises(ProblemError) as raised:
        load_spec(spec, strict=False, validate=False)
    assert _codes(raised) == ["not_a_regular_file"]


# -- $ref confinement ------------------------------------------------------------------------


def test_refs_inside_the_folder_tree_are_followed(tmp_path: Path) -> None:
    (tmp_path / "spec" / "parts").mkdir(parents=True)
    (tmp_path / "spec" / "parts" / "item.yaml").write_text("Item: {type: string}\n")
    loaded = load_spec(_spec(tmp_path / "spec", "parts/item.yaml#/Item"), strict=False, validate=False)
    response = loaded.document["paths"]["/a"]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"] == {"type": "string"}


@pytest.mark.parametrize(
    ("ref", "code"),
    [
        ("/etc/passwd", "ref_outside_root"),
        ("../outside.yaml#/Item", "ref_outside_root"),
        ("/dev/zero", "ref_outside_root"),
        ("file:///etc/passwd", "ref_outside_root"),
        ("https://example.invalid/item.yaml#/Item", "ref_remote_refused"),
        ("http://10.255.255.1/item.yaml", "ref_remote_refused"),  # unroutable: a fetch would hang
    ],
)
def test_refs_leaving_the_folder_tree_are_refused(tmp_path: Path, ref: str, code: str) -> None:
    (tmp_path / "outside.yaml").write_text("Item: {type: string}\n")
    with pytest.raises(ProblemError) as raised:
        load_spec(_spec(tmp_path / "spec", ref), strict=False, validate=False)
    assert _codes(raised) == [code]
    assert raised.value.problems[0].line == 12


def test_a_symlink_out_of_the_tree_is_refused(tmp_path: Path) -> None:
    (tmp_path / "outside.yaml").write_text("Item: {type: string}\n")
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    with pytest.raises(ProblemError) as raised:
        load_spec(_spec(tmp_path / "spec", "link.yaml#/Item"), strict=False, validate=False)
    assert _codes(raised) == ["ref_outside_root"]


def test_ref_root_widens_the_tree(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "item.yaml").write_text("Item: {type: string}\n")
    spec = _spec(tmp_path / "spec", "../shared/item.yaml#/Item")
    out = tmp_path / "o.json"
    assert main(["convert", str(spec), "-o", str(out)]) == 2
    assert "ref_outside_root" in capsys.readouterr().err and not out.exists()
    assert main(["convert", str(spec), "-o", str(out), "--ref-root", str(tmp_path / "shared")]) == 0
    assert json.loads(out.read_text())["swagger"] == "2.0"


# -- outputs ---------------------------------------------------------------------------------


def test_convert_onto_its_input_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    spec = _spec(tmp_path)
    before = _digest(spec)
    monkeypatch.chdir(tmp_path)
    for target in (str(spec), "api.yaml", "./api.yaml"):
        assert main(["convert", "api.yaml", "-o", target]) == 2
        assert "is the input file" in capsys.readouterr().err
    assert _digest(spec) == before


def test_convert_onto_a_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = _spec(tmp_path)
    assert main(["convert", str(spec), "-o", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_postman_onto_a_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = _spec(tmp_path)
    before = _digest(spec)
    assert main(["postman", str(spec), "-o", str(spec)]) == 2
    assert "is a file" in capsys.readouterr().err
    assert _digest(spec) == before


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EROFS])
def test_a_failing_file_system_leaves_the_previous_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, error: int
) -> None:
    spec = _spec(tmp_path)
    out = tmp_path / "out" / "swagger.json"
    assert main(["convert", str(spec), "-o", str(out)]) == 0
    postman_out = tmp_path / "postman"
    assert main(["postman", str(spec), "-o", str(postman_out)]) == 0
    capsys.readouterr()
    out.write_text('{"previous": "output"}\n')
    collection = next(postman_out.glob("*.postman_collection.json"))
    collection.write_text('{"previous": "collection"}\n')
    before = {p: _digest(p) for p in (out, collection)}

    real_fdopen = os.fdopen

    class Failing:
        def __init__(self, handle: object) -> None:
            self.handle = handle

        def __enter__(self) -> Failing:
            return self

        def __exit__(self, *exc: object) -> None:
            self.handle.close()  # type: ignore[attr-defined]

        def write(self, data: bytes) -> int:
            raise OSError(error, os.strerror(error))

    monkeypatch.setattr("generator.util.fsio.os.fdopen", lambda fd, mode: Failing(real_fdopen(fd, mode)))
    assert main(["convert", str(spec), "-o", str(out)]) == 2
    assert main(["postman", str(spec), "-o", str(postman_out)]) == 2
    err = capsys.readouterr().err
    reason = "no space left" if error == errno.ENOSPC else "read-only"
    assert err.count(reason) == 2 and "Traceback" not in err and "internal error" not in err
    assert {p: _digest(p) for p in before} == before
    leftovers = [p.name for p in (*out.parent.iterdir(), *postman_out.iterdir()) if p.name.endswith(".tmp")]
    assert leftovers == []


def test_concurrent_writers_never_show_a_partial_file(tmp_path: Path) -> None:
    from generator.util.fsio import write_text_atomic

    target = tmp_path / "f.json"
    texts = [json.dumps({"n": n, "pad": "x" * 200_000}) for n in range(2)]
    seen: set[str] = set()

    def writer(text: str) -> None:
        for _ in range(20):
            write_text_atomic(target, text)

    write_text_atomic(target, texts[0])
    threads = [threading.Thread(target=writer, args=(t,)) for t in texts]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        seen.add(target.read_text())
    for thread in threads:
        thread.join()
    assert seen <= set(texts)


# -- wrong-typed fields ----------------------------------------------------------------------

_WELL_FORMED = {
    "openapi": "3.1.0",
    "info": {"title": "T", "version": "1"},
    "servers": [{"url": "https://api.example.com"}],
    "paths": {
        "/items/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {
                "operationId": "GetItem",
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "integer", "default": 1}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
                    }
                },
            },
        }
    },
    "components": {
        "schemas": {"Item": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}},
        "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
    },
}
_MUTATIONS = [
    ("paths", "/items/{id}", "get"),
    ("paths", "/items/{id}", "parameters"),
    ("paths", "/items/{id}", "get", "parameters"),
    ("paths", "/items/{id}", "get", "parameters", 0),
    ("paths", "/items/{id}", "get", "parameters", 0, "schema"),
    ("paths", "/items/{id}", "get", "responses"),
    ("paths", "/items/{id}", "get", "responses", "200"),
    ("paths", "/items/{id}", "get", "responses", "200", "content"),
    ("components", "schemas", "Item"),
    ("components", "schemas", "Item", "required"),
    ("components", "schemas", "Item", "properties"),
    ("components", "securitySchemes", "key"),
    ("servers", 0),
    ("info",),
]


@pytest.mark.parametrize("value", [5, "text", [1]], ids=["int", "str", "list"])
@pytest.mark.parametrize("where", _MUTATIONS, ids=["/".join(map(str, m)) for m in _MUTATIONS])
def test_wrong_typed_fields_are_located_errors(
    where: tuple[str | int, ...], value: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import copy

    from openapi_spec_validator import OpenAPIV2SpecValidator

    document = copy.deepcopy(_WELL_FORMED)
    node: Any = document
    for token in where[:-1]:
        node = node[token]
    node[where[-1]] = value
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(document, indent=2))
    runs = [
        ["validate", str(spec)],
        ["postman", str(spec), "-o", str(tmp_path / "pm")],
        ["convert", str(spec), "-o", str(tmp_path / "a.json")],
        ["convert", str(spec), "-o", str(tmp_path / "b.json"), "--lenient"],
        ["convert", str(spec), "-o", str(tmp_path / "c.json"), "--lenient", "--powerplatform"],
    ]
    for argv in runs:
        code = main(argv)
        err = capsys.readouterr().err
        assert code in (0, 1, 2), (argv, code, err)
        assert "internal error" not in err and "Traceback" not in err, (argv, err)
        if code == 2 and argv[0] != "validate":
            assert re.search(r":\d+:\d+: error [a-z_]+ \[", err), err
        if code == 0 and argv[0] == "convert":
            swagger = json.loads(Path(argv[3]).read_text())
            assert [e.message for e in OpenAPIV2SpecValidator(swagger).iter_errors()] == [], argv
    assert main(["convert", str(spec), "-o", str(tmp_path / "d.json")]) == 2, "not valid OpenAPI: refused"
