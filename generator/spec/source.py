"""Reading YAML/JSON files into plain data while remembering where every value came from.

Parsing is done once with the fastest parser available (libyaml's C composer, or `json`); the node
tree is kept so a JSON pointer can be turned into `line:col` only when a problem needs it.
YAML is read with the YAML 1.2 core schema (`yes`/`on` stay strings, dates stay strings) because
OpenAPI documents are JSON-compatible data.
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from generator.problems import Level, Problem, ProblemError

if TYPE_CHECKING:
    import yaml

__all__ = ["SourceFile", "escape_pointer", "join_pointer", "load_source", "split_pointer"]

@lru_cache(maxsize=1)
def _core_schema_loader() -> type:
    """A libyaml composer that tags scalars with the YAML 1.2 core schema (built on first use, so
    reading JSON never imports yaml)."""
    import yaml

    base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    loader: Any = type("CoreSchemaLoader", (base,), {"yaml_implicit_resolvers": {}})
    loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    loader.add_implicit_resolver(
        "tag:yaml.org,2002:int", re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
    )
    loader.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        re.compile(
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
        ),
        list("-+.0123456789"),
    )
    loader.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
    built: type = loader
    return built


def escape_pointer(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def join_pointer(base: str, *tokens: object) -> str:
    out = base
    for token in tokens:
        out += "/" + escape_pointer(str(token))
    return out


def split_pointer(pointer: str) -> list[str]:
    if pointer in ("", "#", "#/", "/"):
        return []
    body = pointer[1:] if pointer.startswith("#") else pointer
    return [t.replace("~1", "/").replace("~0", "~") for t in body.split("/")[1:]]


class SourceFile(Struct):
    """A parsed file. `data` is plain JSON-like Python data."""

    path: Path
    display: str
    text: str
    data: Any
    _root: yaml.Node | None = None
    _composed: bool = False

    def locate(self, pointer: str) -> tuple[int, int]:
        """1-based (line, column) of the value at `pointer`, or of its nearest existing ancestor."""
        import yaml

        node = self._node_tree()
        if node is None:
            return (1, 1)
        for token in split_pointer(pointer):
            nxt: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if str(key_node.value) == token:
                        nxt = value_node
                        break
            elif isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
                nxt = node.value[int(token)]
            if nxt is None:
                break
            node = nxt
        mark = node.start_mark
        return (mark.line + 1, mark.column + 1)

    def problem(self, level: Level, code: str, message: str, pointer: str) -> Problem:
        line, col = self.locate(pointer)
        return Problem(level, code, message, self.display, line, col, pointer or "#")

    def _node_tree(self) -> yaml.Node | None:
        if not self._composed:
            import yaml

            self._composed = True
            try:  # JSON files are composed lazily, only when a position is needed
                self._root = yaml.compose(self.text, Loader=_core_schema_loader())
            except yaml.YAMLError:
                self._root = None
        return self._root


def _decode(raw: bytes, display: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ProblemError(
            [
                Problem(
                    Level.ERROR,
                    "not_utf8",
                    f"file is not valid UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded",
                    display,
                    line,
                    col,
                    "#",
                )
            ]
        ) from None
    return text[1:] if text.startswith("\ufeff") else text


def load_source(path: Path, display: str | None = None) -> SourceFile:
    """Parse `path` (YAML or JSON). Raises `ProblemError` with a located problem on failure."""
    shown = display or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ProblemError([Problem(Level.ERROR, "file_not_found", "file does not exist", shown)]) from None
    except OSError as exc:
        raise ProblemError([Problem(Level.ERROR, "file_unreadable", str(exc), shown)]) from None
    text = _decode(raw, shown)
    if not text.strip():
        raise ProblemError([Problem(Level.ERROR, "empty_document", "file is empty", shown, 1, 1, "#")])

    if text.lstrip().startswith(("{", "[")):
        try:
            return SourceFile(path, shown, text, json.loads(text, parse_constant=_NonFinite.reject))
        except json.JSONDecodeError:
            pass  # not strict JSON: YAML flow syntax is a superset, try it below
        except _NonFinite as exc:
            raise ProblemError([exc.problem(text, shown)]) from None

    import yaml

    try:
        root = yaml.compose(text, Loader=_core_schema_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        lines = text.splitlines()
        offending = lines[line - 1][col - 1 : col] if 0 < line <= len(lines) else ""
        is_tab = offending == "\t" or "\\t" in detail or " tab" in detail
        code, message = (
            ("yaml_tab_indentation", "tab character used for indentation; YAML allows spaces only")
            if is_tab
            else ("yaml_syntax_error", f"invalid YAML: {detail}")
        )
        raise ProblemError([Problem(Level.ERROR, code, message, shown, line, col, "#")]) from None
    except yaml.YAMLError as exc:
        raise ProblemError([Problem(Level.ERROR, "yaml_syntax_error", f"invalid YAML: {exc}", shown, 1, 1)]) from None
    if root is None:
        raise ProblemError([Problem(Level.ERROR, "empty_document", "file holds no document", shown, 1, 1, "#")])

    problems: list[Problem] = []
    data = _construct(root, "", shown, problems)
    if problems:
        raise ProblemError(problems)
    source = SourceFile(path, shown, text, data, root, True)
    return source


_NON_FINITE = "NaN and Infinity have no JSON form (OpenAPI data is JSON); write a number or a string"


class _NonFinite(Exception):
    """Raised by `json.loads` for the NaN/Infinity literals Python's parser otherwise accepts."""

    @staticmethod
    def reject(literal: str) -> Any:
        raise _NonFinite(literal)

    def problem(self, text: str, shown: str) -> Problem:
        # Not inside a string (the parser only calls us for bare literals): the first bare match.
        found = re.search(r'(?<![\w"])' + re.escape(str(self.args[0])) + r'(?![\w"])', text)
        offset = found.start() if found else 0
        line = text.count("\n", 0, offset) + 1
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        return Problem(Level.ERROR, "non_finite_number", _NON_FINITE, shown, line, col, "#")


def _construct(node: yaml.Node, pointer: str, shown: str, problems: list[Problem]) -> Any:
    import yaml

    return _construct_with(yaml, node, pointer, shown, problems)


def _construct_with(yaml: Any, node: yaml.Node, pointer: str, shown: str, problems: list[Problem]) -> Any:
    if isinstance(node, yaml.ScalarNode):
        value = _scalar(node)
        if isinstance(value, float) and not math.isfinite(value):
            mark = node.start_mark
            problems.append(Problem(Level.ERROR, "non_finite_number", _NON_FINITE, shown, mark.line + 1, mark.column + 1, pointer or "#"))
        return value
    if isinstance(node, yaml.SequenceNode):
        return [_construct_with(yaml, item, f"{pointer}/{i}", shown, problems) for i, item in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged = _construct_with(yaml, value_node, pointer, shown, problems)
                for item in merged if isinstance(merged, list) else [merged]:
                    if isinstance(item, dict):
                        for k, v in item.items():
                            out.setdefault(k, v)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(
                    Problem(
                        Level.ERROR,
                        "yaml_complex_key",
                        "mapping keys must be plain scalars",
                        shown,
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        pointer or "#",
                    )
                )
                continue
            key = str(key_node.value)
            child = join_pointer(pointer, key)
            if key in out:
                problems.append(
                    Problem(
                        Level.ERROR,
                        "yaml_duplicate_key",
                        f"duplicate key {key!r} in the same mapping (the later value would silently win)",
                        shown,
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        child,
                    )
                )
                continue
            out[key] = _construct_with(yaml, value_node, child, shown, problems)
        return out
    return None


def _scalar(node: yaml.ScalarNode) -> Any:
    tag, value = node.tag, node.value
    if tag == "tag:yaml.org,2002:str":
        return value
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return value.lower() == "true"
    if tag == "tag:yaml.org,2002:int":
        if value.startswith(("0o", "0x")):
            return int(value, 0)
        return int(value, 10)
    if tag == "tag:yaml.org,2002:float":
        lowered = value.lower()
        if lowered.endswith(".inf"):
            return -math.inf if lowered.startswith("-") else math.inf
        if lowered == ".nan":
            return math.nan
        return float(value)
    return value  # explicit tags (!!binary, custom): keep the text
