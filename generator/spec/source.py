"""Reading YAML/JSON files into plain data while remembering where every value came from.

Parsing is done once with the fastest parser available (libyaml's C composer, or `json`); the node
tree is kept so a JSON pointer can be turned into `line:col` only when a problem needs it.
YAML is read with the YAML 1.2 core schema (`yes`/`on` stay strings, dates stay strings) because
OpenAPI documents are JSON-compatible data.

Input is bounded (`InputLimits`, overridable through environment variables): file size, nesting
depth and the nodes YAML aliases may add when expanded (a "billion laughs" document is refused
before it is expanded); only regular files are read (never a device or a FIFO); duplicate keys and
numbers without a faithful JSON value are located errors in JSON as in YAML.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msgspec import Struct

from generator.problems import Level, Problem, ProblemError
from generator.util.pointer import join_pointer, split_pointer

if TYPE_CHECKING:
    import yaml

__all__ = [
    "InputLimits",
    "SourceFile",
    "decode_utf8",
    "load_source",
    "parse_source",
    "read_bounded",
]


class InputLimits(Struct, frozen=True):
    """Bounds on what a document may cost to read. Defaults suit the largest public API documents
    (Azure, Microsoft Graph: tens of MB, depth < 60); each is overridable with the environment
    variable named in `ENVIRONMENT`."""

    max_bytes: int = 64 * 1024 * 1024
    max_depth: int = 200  # nesting of mappings and sequences
    max_alias_nodes: int = 100_000  # nodes YAML aliases may add when expanded
    max_int_digits: int = 100
    ref_roots: tuple[Path, ...] = ()  # folders `$ref` may reach besides the spec's own folder tree
    allow_remote: bool = False  # `$ref` to http(s) URLs fetched (bounded by max_bytes and a timeout)
    remote_timeout: float = 10.0

    ENVIRONMENT = {
        "max_bytes": "CONNECTORGEN_MAX_INPUT_BYTES",
        "max_depth": "CONNECTORGEN_MAX_DEPTH",
        "max_alias_nodes": "CONNECTORGEN_MAX_ALIAS_NODES",
        "max_int_digits": "CONNECTORGEN_MAX_INT_DIGITS",
    }

    @classmethod
    def from_env(cls, ref_roots: tuple[Path, ...] = (), allow_remote: bool = False) -> InputLimits:
        values: dict[str, int] = {}
        for name, variable in cls.ENVIRONMENT.items():
            raw = os.environ.get(variable, "").strip()
            if not raw:
                continue
            if not raw.isdigit() or int(raw) <= 0:
                raise ProblemError(
                    [Problem(Level.ERROR, "invalid_limit", f"{variable} must be a positive integer, got {raw!r}", "<environment>")]
                )
            values[name] = int(raw)
        return cls(**values, ref_roots=tuple(p.resolve() for p in ref_roots), allow_remote=allow_remote)

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


class SourceFile(Struct):
    """A parsed file. `data` is plain JSON-like Python data."""

    path: Path
    display: str
    text: str
    data: Any
    _root: yaml.Node | None = None
    _composed: bool = False
    # Every distinct `$ref` string in `data`, gathered while parsing JSON (None: not gathered, e.g.
    # YAML); spares the bundler a walk over the whole document.
    ref_values: frozenset[str] | None = None
    # True when every `$ref` in `text`, even inside a string, is a `"$ref"` key with a string value
    # (one of `ref_values`): spares the bundler a search of the text for other refs.
    ref_keys_only: bool = False

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


def decode_utf8(raw: bytes, display: str) -> str:
    """`raw` as text (a byte-order mark dropped); a located `not_utf8` problem otherwise."""
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


def _read_bounded(path: Path, shown: str, limits: InputLimits) -> bytes:
    """The bytes of a regular file of at most `limits.max_bytes` (never blocks on a FIFO)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise ProblemError([Problem(Level.ERROR, "file_not_found", "file does not exist", shown)]) from None
    except OSError as exc:
        raise ProblemError([Problem(Level.ERROR, "file_unreadable", f"cannot read: {exc.strerror or exc}", shown)]) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a device, FIFO or socket"
            raise ProblemError([Problem(Level.ERROR, "not_a_regular_file", f"is {kind}; only regular files are read", shown)])
        if info.st_size > limits.max_bytes:
            raise ProblemError([_too_large(shown, limits)])
        chunks: list[bytes] = []
        total = 0
        size = max(1 << 20, info.st_size + 1)  # the whole file in one read (one chunk: no join copies it)
        while True:
            chunk = os.read(fd, size)
            if not chunk:
                break
            total += len(chunk)
            if total > limits.max_bytes:  # grew while being read
                raise ProblemError([_too_large(shown, limits)])
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise ProblemError([Problem(Level.ERROR, "file_unreadable", f"cannot read: {exc.strerror or exc}", shown)]) from None
    finally:
        os.close(fd)


def read_bounded(path: Path, shown: str, limits: InputLimits | None = None) -> bytes:
    """The bytes of a regular file within the input limits; located `ProblemError` otherwise."""
    return _read_bounded(path, shown, limits or InputLimits.from_env())


def _too_large(shown: str, limits: InputLimits) -> Problem:
    return Problem(
        Level.ERROR,
        "file_too_large",
        f"file is larger than {limits.max_bytes:,} bytes (raise {InputLimits.ENVIRONMENT['max_bytes']} to read it)",
        shown,
        1,
        1,
        "#",
    )


def load_source(path: Path, display: str | None = None, limits: InputLimits | None = None) -> SourceFile:
    """Parse `path` (YAML or JSON). Raises `ProblemError` with a located problem on failure."""
    shown = display or str(path)
    limits = limits or InputLimits.from_env()
    return parse_source(_read_bounded(path, shown, limits), path, shown, limits)


def parse_source(raw: bytes, path: Path, shown: str, limits: InputLimits) -> SourceFile:
    """Parse the bytes of a document read from `path` (or fetched: then `path` is only a key)."""
    if len(raw) > limits.max_bytes:
        raise ProblemError([_too_large(shown, limits)])
    text = decode_utf8(raw, shown)
    if not text or text.isspace():  # (`not text.strip()`, without copying the text)
        raise ProblemError([Problem(Level.ERROR, "empty_document", "file is empty", shown, 1, 1, "#")])

    duplicate_code = "yaml_duplicate_key"
    if _first_char(text) in ("{", "["):
        fast = _json_fast(raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw, limits)  # (`text`'s bytes)
        if fast is not None:
            return SourceFile(path, shown, text, fast[0], ref_values=fast[1], ref_keys_only=fast[2])
        try:
            refs: set[str] = set()
            data = _json_loads(text, limits, refs)
            return SourceFile(path, shown, text, data, ref_values=frozenset(refs))
        except json.JSONDecodeError:
            pass  # not strict JSON: YAML flow syntax is a superset, try it below
        except _NonFinite as exc:
            raise ProblemError([exc.problem(text, shown)]) from None
        except (_JsonRefused, RecursionError):
            # A duplicate key, an out-of-range number or too deep: JSON is YAML, whose composer
            # below locates the problem (line, column and pointer).
            duplicate_code = "json_duplicate_key"

    import yaml

    try:
        aliases = _prescan(yaml, text, shown, limits)
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
    if aliases:
        _check_aliases(yaml, root, shown, limits)

    problems: list[Problem] = []
    data = _Constructor(yaml, shown, problems, limits, duplicate_code).construct(root, "")
    if problems:
        raise ProblemError(problems)
    source = SourceFile(path, shown, text, data, root, True)
    return source


def _first_char(text: str) -> str:
    """`text.lstrip()[:1]`, without copying the whole text."""
    head = text[:4096].lstrip()
    return head[:1] if head else text.lstrip()[:1]


_JSON_MARGIN = 4  # frames of json.loads and its hooks; a document stopped short is read by the exact YAML path


class _JsonRefused(Exception):
    """Raised by the JSON hooks for input the YAML pass then locates."""


# A `$ref` key with a string value in compact JSON (`msgspec.json.format`): only a key is followed
# by a colon, and a quote inside a string is escaped, so nothing else matches. The second group is
# the character that ends the match: a backslash (an escape in the value) means "not sure". In a
# document without a backslash the value always ends at the next quote: one group is enough.
@lru_cache(maxsize=2)
def _compact_ref(escapes: bool) -> re.Pattern[bytes]:
    if escapes:
        return re.compile(rb'"\$ref":"([^"\\]*)(["\\])')  # compiled on first use: start-up counts
    return re.compile(rb'"\$ref":"([^"]*)"')


def _json_fast(document: str | bytes, limits: InputLimits) -> tuple[Any, frozenset[str], bool] | None:
    """(data, distinct `$ref` strings, `SourceFile.ref_keys_only`) of a JSON document (its text, or
    that text's UTF-8 bytes) exactly as `_json_loads` would read it, or None when not sure: then
    `_json_loads` decides (and locates what it refuses).

    msgspec's C decoder does not call back per object, so it cannot see duplicate keys (the later
    value wins), and it reads numbers and escapes its own way. Its result is therefore encoded again
    and compared with the input's own tokens (`msgspec.json.format`, which keeps them as written):
    equal only when no key was dropped, every number is written as its shortest round-trip form
    (so `float()` reads the same value) and every string as msgspec writes it. msgspec reads
    integers of any length: a document with a run of more than `max_int_digits` digits anywhere
    (or 4,000, below Python's own bound on `int()`) is left to `_json_loads`. Its nesting bound
    is the recursion limit, set a few levels below the one `_json_loads` uses, so a document that
    would stop that parser short stops this one too."""
    if limits.max_depth < 2 * _FAST_MARGIN:
        return None  # (the recursion limit cannot go that low)
    import msgspec

    try:
        raw = document.encode("utf-8") if isinstance(document, str) else document
    except UnicodeEncodeError:
        return None  # a lone surrogate, which no UTF-8 encoding holds
    frame: Any = sys._getframe()
    depth = 0
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + limits.max_depth + _JSON_MARGIN - _FAST_MARGIN)
    try:
        data = msgspec.json.decode(raw)
    except (msgspec.DecodeError, RecursionError, ValueError, TypeError):
        return None
    finally:
        sys.setrecursionlimit(previous)
    try:
        tokens = msgspec.json.format(raw, indent=-1)  # (bytes in, bytes out: as the encoder writes)
        if msgspec.json.encode(data) != tokens:
            return None
    except (msgspec.EncodeError, msgspec.DecodeError, UnicodeEncodeError, ValueError, TypeError, OverflowError):
        return None  # e.g. a lone surrogate escape, which no UTF-8 encoding holds
    if b"0" * (min(limits.max_int_digits, 4000) + 1) in tokens.translate(_DIGITS_AS_ZERO):
        return None  # a run of digits (maybe an integer) longer than `_json_loads` reads
    keys_only = False
    if b"\\" in tokens:
        refs: set[bytes] = set()
        for value, end in _compact_ref(True).findall(tokens):
            if end != b'"':
                return None
            refs.add(value)
    else:
        found = _compact_ref(False).findall(tokens)
        refs = set(found)
        # (formatting drops only whitespace between tokens, which no `$ref` spans: the text holds
        # as many as the tokens, and each is one of those found)
        keys_only = tokens.count(b"$ref") == len(found)
    return data, frozenset(ref.decode("utf-8") for ref in refs), keys_only


_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")
_FAST_MARGIN = 8  # msgspec's decoder reaches 4 levels deeper than `json.loads` at one recursion limit


def _json_loads(text: str, limits: InputLimits, refs: set[str]) -> Any:
    """The parsed document; every distinct `$ref` string value in it is added to `refs`."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)
        if len(out) != len(items):
            raise _JsonRefused("duplicate key")
        if "$ref" in out and isinstance(out["$ref"], str):
            refs.add(out["$ref"])
        return out

    def number(literal: str) -> float:
        value = float(literal)
        if not math.isfinite(value):
            raise _JsonRefused("number out of range")
        return value

    def integer(literal: str) -> int:
        if len(literal.lstrip("-")) > limits.max_int_digits:
            raise _JsonRefused("integer out of range")
        return int(literal)

    # The C decoder counts nesting against the recursion limit: bound it by `max_depth` for the call.
    frame: Any = sys._getframe()
    depth = 0
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + limits.max_depth + _JSON_MARGIN)
    try:
        return json.loads(
            text, parse_constant=_NonFinite.reject, object_pairs_hook=pairs, parse_float=number, parse_int=integer
        )
    finally:
        sys.setrecursionlimit(previous)


def _prescan(yaml: Any, text: str, shown: str, limits: InputLimits) -> int:
    """Nesting depth checked on libyaml's events (its parser keeps a stack, its composer recurses
    and would crash on a deep document); returns the number of aliases."""
    start = {yaml.SequenceStartEvent, yaml.MappingStartEvent}
    end = {yaml.SequenceEndEvent, yaml.MappingEndEvent}
    alias = yaml.AliasEvent
    depth = aliases = 0
    for event in yaml.parse(text, Loader=_core_schema_loader()):
        kind = type(event)
        if kind in start:
            depth += 1
            if depth > limits.max_depth:
                mark = event.start_mark
                raise ProblemError(
                    [
                        Problem(
                            Level.ERROR,
                            "nesting_too_deep",
                            f"document is nested more than {limits.max_depth} levels deep "
                            f"(raise {InputLimits.ENVIRONMENT['max_depth']} to read it)",
                            shown,
                            mark.line + 1,
                            mark.column + 1,
                            "#",
                        )
                    ]
                )
        elif kind in end:
            depth -= 1
        elif kind is alias:
            aliases += 1
    return aliases


def _check_aliases(yaml: Any, root: yaml.Node, shown: str, limits: InputLimits) -> None:
    """Refuse aliases that expand to more than `max_alias_nodes` extra nodes, or refer to themselves."""
    expanded: dict[int, int] = {}  # node id -> nodes in its expansion
    uses: dict[int, int] = {}
    nodes: dict[int, yaml.Node] = {}
    on_path: set[int] = set()
    todo: list[tuple[yaml.Node, bool]] = [(root, False)]
    while todo:
        node, done = todo.pop()
        key = id(node)
        children = node.value if isinstance(node, yaml.SequenceNode) else (
            [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else []
        )
        if done:
            on_path.discard(key)
            expanded[key] = 1 + sum(expanded[id(c)] for c in children)
            continue
        uses[key] = uses.get(key, 0) + 1
        if key in on_path:
            mark = node.start_mark
            raise ProblemError(
                [Problem(Level.ERROR, "yaml_recursive_alias", "an alias refers to the node that contains it", shown, mark.line + 1, mark.column + 1, "#")]
            )
        if key in expanded:
            continue
        nodes[key] = node
        on_path.add(key)
        todo.append((node, True))
        todo.extend((c, False) for c in reversed(children))
    extra = sum((uses[k] - 1) * expanded[k] for k in uses if uses[k] > 1)
    if extra > limits.max_alias_nodes:
        worst = max((k for k in uses if uses[k] > 1), key=lambda k: (uses[k] - 1) * expanded[k])
        mark = nodes[worst].start_mark
        raise ProblemError(
            [
                Problem(
                    Level.ERROR,
                    "yaml_alias_expansion",
                    f"aliases expand the document by {extra:,} nodes, more than {limits.max_alias_nodes:,} "
                    f"(an alias bomb?); the largest is the anchor here, repeated by {uses[worst] - 1} aliases "
                    f"(raise {InputLimits.ENVIRONMENT['max_alias_nodes']} to read it)",
                    shown,
                    mark.line + 1,
                    mark.column + 1,
                    "#",
                )
            ]
        )


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


class _Constructor:
    """Nodes → plain data with every problem located (duplicate keys, NaN, out-of-range numbers)."""

    def __init__(self, yaml: Any, shown: str, problems: list[Problem], limits: InputLimits, duplicate_code: str):
        self.yaml, self.shown, self.problems, self.limits, self.duplicate_code = yaml, shown, problems, limits, duplicate_code

    def _add(self, code: str, message: str, node: yaml.Node, pointer: str) -> None:
        mark = node.start_mark
        self.problems.append(Problem(Level.ERROR, code, message, self.shown, mark.line + 1, mark.column + 1, pointer or "#"))

    def construct(self, node: yaml.Node, pointer: str) -> Any:
        yaml = self.yaml
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, pointer)
        if isinstance(node, yaml.SequenceNode):
            return [self.construct(item, f"{pointer}/{i}") for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    merged = self.construct(value_node, pointer)
                    for item in merged if isinstance(merged, list) else [merged]:
                        if isinstance(item, dict):
                            for k, v in item.items():
                                out.setdefault(k, v)
                    continue
                if not isinstance(key_node, yaml.ScalarNode):
                    self._add("yaml_complex_key", "mapping keys must be plain scalars", key_node, pointer)
                    continue
                key = str(key_node.value)
                child = join_pointer(pointer, key)
                if key in out:
                    self._add(
                        self.duplicate_code,
                        f"duplicate key {key!r} in the same mapping (the later value would silently win)",
                        key_node,
                        child,
                    )
                    continue
                out[key] = self.construct(value_node, child)
            return out
        return None

    def _scalar(self, node: yaml.ScalarNode, pointer: str) -> Any:
        tag, value = node.tag, node.value
        if tag == "tag:yaml.org,2002:int" and not value.startswith(("0o", "0x")) and len(value.lstrip("+-")) > self.limits.max_int_digits:
            self._add(
                "number_out_of_range",
                f"integer of {len(value.lstrip('+-')):,} digits; at most {self.limits.max_int_digits} are read "
                "(write it as a string)",
                node,
                pointer,
            )
            return 0
        if tag == "tag:yaml.org,2002:int" and len(value) > 4000:  # hex/octal: Python's own bound
            self._add("number_out_of_range", "integer literal too long; write it as a string", node, pointer)
            return 0
        result = _scalar(node)
        if isinstance(result, float) and not math.isfinite(result):
            if value.lower().lstrip("+-") in (".inf", ".nan"):
                self._add("non_finite_number", _NON_FINITE, node, pointer)
            else:
                self._add("number_out_of_range", f"{value} is beyond the range of a JSON number (double precision)", node, pointer)
        return result


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
