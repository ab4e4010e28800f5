import json
from pathlib import Path

import pytest
from bench.checks import count_requests, postman_check, swagger_check
from bench.cli import parse_args
from bench.loadgen import build_request, parse_head
from bench.profiling import parse_importtime, short_path
from bench.sections.mock import flow_from_spec
from bench.series import CheckFailed, first_error_line, slug


def test_parse_head_reads_length_chunking_and_connection() -> None:
    head = parse_head(b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\nConnection: keep-alive\r\n\r\n")
    assert (head.status, head.content_length, head.chunked, head.close) == (200, 12, False, False)
    head = parse_head(b"HTTP/1.1 404 Not Found\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n")
    assert (head.status, head.content_length, head.chunked, head.close) == (404, None, True, True)
    assert parse_head(b"HTTP/1.0 200 OK\r\n\r\n").close is True
    with pytest.raises(ValueError):
        parse_head(b"garbage\r\n\r\n")


def test_build_request_is_a_keep_alive_get() -> None:
    raw = build_request("127.0.0.1", 8080, "/site", {"Authorization": "Bearer k"})
    assert raw.startswith(b"GET /site HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n")
    assert b"Authorization: Bearer k\r\n" in raw and raw.endswith(b"\r\n\r\n")
    assert b"Connection: close" not in raw


def test_parse_importtime() -> None:
    text = (
        "import time: self [us] | cumulative | imported package\n"
        "import time:       244 |        244 |   _io\n"
        "import time:      8522 |      70432 |       generator.ir.build\n"
        "import time:      2260 |      73300 | generator.pipeline.vendors\n"
        "unrelated line\n"
    )
    lines = parse_importtime(text)
    assert [(x.module, x.self_us, x.cumulative_us, x.depth) for x in lines] == [
        ("_io", 244, 244, 1), ("generator.ir.build", 8522, 70432, 3), ("generator.pipeline.vendors", 2260, 73300, 0)]


def test_short_path() -> None:
    repo = Path("/work/main")
    assert short_path("/work/main/generator/cli.py", repo) == "generator/cli.py"
    assert short_path("/work/main/.venv/lib/python3.11/site-packages/yaml/__init__.py", repo) == "yaml/__init__.py"
    assert short_path("/usr/lib/python3.11/json/encoder.py", repo) == "stdlib/json/encoder.py"
    assert short_path("~", repo) == "~"


def test_first_error_line_and_slug() -> None:
    assert first_error_line("loading\nFatal Error: Unsupported version\n    at x.js:1\n") == "Fatal Error: Unsupported version"
    assert first_error_line("a\nlast words\n") == "last words"
    assert first_error_line("") == "no output on stderr"
    assert slug("ev-server (3.0.3, 226 ops)") == "ev-server-3.0.3-226-ops"


def test_count_requests_walks_folders() -> None:
    test_event = {"listen": "test", "script": {"exec": ["pm.test()"]}}
    collection = {"item": [
        {"name": "folder", "item": [{"name": "a", "request": {}, "event": [test_event]}, {"name": "b", "request": {}}]},
        {"name": "c", "request": {}, "event": [{"listen": "prerequest"}]},
    ]}
    assert count_requests(collection) == (3, 1)


def test_output_checks(tmp_path: Path) -> None:
    swagger = tmp_path / "out.json"
    swagger.write_text(json.dumps({"swagger": "2.0", "info": {"title": "t", "version": "1"},
                                   "paths": {"/a": {"get": {"responses": {"200": {"description": "ok"}}}}}}))
    assert swagger_check(swagger, validate=True) == {"operations out": 1, "Swagger 2.0 validation errors": 0}
    (tmp_path / "bad.json").write_text('{"openapi": "3.1.0"}')
    with pytest.raises(CheckFailed):
        swagger_check(tmp_path / "bad.json", validate=False)
    with pytest.raises(CheckFailed):
        swagger_check(tmp_path / "missing.json", validate=False)
    (tmp_path / "pm").mkdir()
    (tmp_path / "pm" / "x.postman_collection.json").write_text(json.dumps({"item": [{"request": {}}]}))
    assert postman_check(tmp_path / "pm") == {"requests out": 1, "requests with tests": 0}


def test_flow_from_spec_uses_the_static_auth_extension() -> None:
    spec = {"components": {
        "parameters": {"SessionId": {"example": "abc"}},
        "securitySchemes": {"k": {"type": "apiKey", "in": "header", "name": "X-Key",
                                  "x-connectorgen-auth": {"kind": "static", "credential": "token", "prefix": "Token "}}}}}
    flow = flow_from_spec(spec)
    assert flow.paths == ["/site", "/session/abc"]
    assert (flow.credential, flow.header, flow.prefix) == ("token", "X-Key", "Token ")
    assert flow_from_spec({}).header == "Authorization"


def test_parse_args() -> None:
    args = parse_args(["--only", "convert,scaling", "--runs", "7", "--sizes", "1000,100"])
    assert args.sections == ["convert", "scaling"] and args.runs == 7 and args.size_list == (100, 1000)
    assert parse_args([]).runs == 5
    with pytest.raises(SystemExit):
        parse_args(["--only", "nope"])
    with pytest.raises(SystemExit):
        parse_args(["--runs", "0"])
