"""Every registered lint rule has a case file (cases/<Code>.yaml) with a `fail` fixture that triggers
it and a `pass` fixture that does not; both are patches over the clean package in base/.

Patch format, per file name of the package:
- apiDefinition.swagger.json / apiProperties.json / settings.json: a mapping is an RFC 7386 merge patch
  (null deletes), a list is RFC 6902 operations (add/replace/remove), a string is the whole file text;
- script.csx / readme.md: the whole text, or {pad: N} to append N bytes of comment to the base text;
- icon.png: {size: [w, h], color: "#rrggbb", alpha: 0-255} generates an image; a string is raw text;
- any file: null removes it. `mode: file` lints apiDefinition.swagger.json alone.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from generator.lint.registry import RULES
from generator.lint.runner import lint_path, load_rules
from generator.util.pointer import split_pointer

HERE = Path(__file__).parent
BASE = HERE / "base"
CASES = HERE / "cases"

load_rules()


def json_patch(doc: Any, operations: list[dict[str, Any]]) -> Any:
    doc = copy.deepcopy(doc)
    for op in operations:
        *parents, last = split_pointer(op["path"])
        node = doc
        for token in parents:
            node = node[int(token)] if isinstance(node, list) else node[token]
        if op["op"] == "remove":
            del node[int(last) if isinstance(node, list) else last]
        elif isinstance(node, list):
            index = len(node) if last == "-" else int(last)
            if op["op"] == "add":
                node.insert(index, op["value"])
            else:
                node[index] = op["value"]
        else:
            node[last] = op["value"]
    return doc


def merge_patch(target: Any, patch: Any) -> Any:
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = merge_patch(out.get(key), value)
    return out


def materialize(patches: dict[str, Any], into: Path) -> Path:
    shutil.copytree(BASE, into)
    for name, patch in patches.items():
        if name == "mode":
            continue
        path = into / name
        if patch is None:
            path.unlink()
        elif name == "icon.png" and isinstance(patch, dict):
            from PIL import Image

            alpha = patch.get("alpha")
            mode = "RGBA" if alpha is not None else "RGB"
            color = tuple(int(patch.get("color", "#0a6e4f")[i : i + 2], 16) for i in (1, 3, 5))
            Image.new(
                mode, tuple(patch.get("size", (230, 230))), (*color, alpha) if alpha is not None else color
            ).save(path)
        elif isinstance(patch, str):
            path.write_text(patch, encoding="utf-8")
        elif name.endswith(".json"):
            data = json.loads(path.read_text(encoding="utf-8"))
            data = json_patch(data, patch) if isinstance(patch, list) else merge_patch(data, patch)
            path.write_text(json.dumps(data, indent=2), encoding="utf-8")
        elif isinstance(patch, dict) and "pad" in patch:
            path.write_text(
                path.read_text(encoding="utf-8") + "// " + "x" * int(patch["pad"]) + "\n", encoding="utf-8"
            )
        else:
            raise AssertionError(f"unknown patch for {name}: {patch!r}")
    if patches.get("mode") == "file":
        return into / "apiDefinition.swagger.json"
    return into


def load_case(code: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((CASES / f"{code}.yaml").read_text(encoding="utf-8"))
    return data


def codes_found(patches: dict[str, Any], tmp_path: Path, code: str) -> set[str]:
    return {p.code for p in lint_path(materialize(patches, tmp_path / "pkg"), only={code})}


def test_base_package_is_clean() -> None:
    assert [f"{p.code} {p.pointer} {p.message}" for p in lint_path(BASE)] == []


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_has_both_fixtures(code: str) -> None:
    assert (CASES / f"{code}.yaml").is_file(), f"cases/{code}.yaml missing"
    case = load_case(code)
    assert isinstance(case.get("fail"), dict) and isinstance(case.get("pass"), dict), (
        "needs `fail` and `pass`"
    )


def test_no_case_without_rule() -> None:
    assert sorted(p.stem for p in CASES.glob("*.yaml") if p.stem not in RULES) == []


@pytest.mark.parametrize("code", sorted(RULES))
def test_fail_fixture_triggers_rule(code: str, tmp_path: Path) -> None:
    assert code in codes_found(load_case(code)["fail"], tmp_path, code)


@pytest.mark.parametrize("code", sorted(RULES))
def test_pass_fixture_does_not_trigger_rule(code: str, tmp_path: Path) -> None:
    assert code not in codes_found(load_case(code)["pass"], tmp_path, code)
