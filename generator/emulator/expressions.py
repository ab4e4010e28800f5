"""The expression subset policy templates use: `@connectionParameters('x')`, `@headers('X')`,
`@queryParameters('x')` inline in text, and `@{...}` with `triggerBody()`, indexers and `add`/`sub`/
`string`/`int` (pollingtrigger state). Anything else is an error, so an unsupported policy value fails
loudly instead of being sent verbatim.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ExpressionContext", "ExpressionError", "evaluate", "evaluate_template"]


class ExpressionError(ValueError):
    pass


@dataclass
class ExpressionContext:
    connection: Mapping[str, str] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-case names
    query: Mapping[str, str] = field(default_factory=dict)
    trigger_body: Any = None


_TOKEN = re.compile(r"\s*(?:(?P<num>-?\d+(?:\.\d+)?)|(?P<str>'(?:[^']|'')*')|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>[()\[\],.]))")


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match:
            raise ExpressionError(f"cannot read expression at {text[pos:]!r}")
        kind = match.lastgroup or ""
        out.append((kind, match.group(kind)))
        pos = match.end()
    return out


class _Parser:
    def __init__(self, text: str, ctx: ExpressionContext):
        self.tokens = _tokens(text)
        self.pos = 0
        self.ctx = ctx

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1] != value):
            raise ExpressionError(f"expected {value or 'more'} in expression")
        self.pos += 1
        return token

    def parse(self) -> Any:
        value = self.value()
        if self.peek() is not None:
            raise ExpressionError(f"unexpected {self.peek()!r} in expression")
        return value

    def value(self) -> Any:
        kind, text = self.take()
        if kind == "num":
            result: Any = float(text) if "." in text else int(text)
        elif kind == "str":
            result = text[1:-1].replace("''", "'")
        elif kind == "name":
            self.take("(")
            args: list[Any] = []
            while self.peek() != ("op", ")"):
                args.append(self.value())
                if self.peek() == ("op", ","):
                    self.take(",")
            self.take(")")
            result = self.call(text, args)
        else:
            raise ExpressionError(f"unexpected {text!r} in expression")
        while self.peek() in (("op", "["), ("op", ".")):
            if self.take()[1] == "[":
                key = self.value()
                self.take("]")
            else:
                key = self.take()[1]
            result = _index(result, key)
        return result

    def call(self, name: str, args: list[Any]) -> Any:
        ctx = self.ctx
        lookups: dict[str, Callable[[], Any]] = {
            "connectionParameters": lambda: ctx.connection.get(str(args[0]), args[1] if len(args) > 1 else ""),
            "headers": lambda: ctx.headers.get(str(args[0]).lower(), ""),
            "queryParameters": lambda: ctx.query.get(str(args[0]), ""),
            "triggerBody": lambda: ctx.trigger_body,
            "add": lambda: args[0] + args[1],
            "sub": lambda: args[0] - args[1],
            "string": lambda: _text(args[0]),
            "int": lambda: int(args[0]),
        }
        if name not in lookups:
            raise ExpressionError(f"function {name}() is not supported by the emulator")
        try:
            return lookups[name]()
        except (IndexError, TypeError) as exc:
            raise ExpressionError(f"{name}() failed: {exc}") from exc


def _index(value: Any, key: Any) -> Any:
    try:
        return value[key]
    except (KeyError, IndexError, TypeError) as exc:
        raise ExpressionError(f"no {key!r} in {type(value).__name__}") from exc


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, separators=(",", ":"))


def evaluate(expression: str, ctx: ExpressionContext) -> Any:
    """One expression without the leading `@` (e.g. `triggerBody()[0]['id']`)."""
    return _Parser(expression, ctx).parse()


def _call_end(text: str, start: int) -> int:
    """Index after the inline call starting at `start` (`name(...)` plus `[...]` indexers)."""
    depth, pos, quoted = 0, start, False
    while pos < len(text):
        char = text[pos]
        if quoted:
            if char == "'" and text[pos + 1 : pos + 2] == "'":
                pos += 1  # '' is a quote inside the string
            elif char == "'":
                quoted = False
        elif char == "'":
            quoted = True
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
            # Inline calls take no `.name` postfix: `@connectionParameters('x').example.com` is a host.
            if depth == 0 and text[pos + 1 : pos + 2] != "[":
                return pos + 1
        pos += 1
    raise ExpressionError(f"unterminated expression in {text!r}")


def evaluate_template(template: str, ctx: ExpressionContext) -> str:
    """A policy value: text with `@{expr}` and `@name(...)` parts replaced by their values."""
    out: list[str] = []
    pos = 0
    while True:
        at = template.find("@", pos)
        if at < 0:
            out.append(template[pos:])
            return "".join(out)
        out.append(template[pos:at])
        if template.startswith("@@", at):
            out.append("@")
            pos = at + 2
        elif template.startswith("@{", at):
            end = template.find("}", at)
            if end < 0:
                raise ExpressionError(f"unterminated @{{ in {template!r}")
            out.append(_text(evaluate(template[at + 2 : end], ctx)))
            pos = end + 1
        elif re.match(r"@[A-Za-z_]\w*\(", template[at:]):
            end = _call_end(template, at + 1)
            out.append(_text(evaluate(template[at + 1 : end], ctx)))
            pos = end
        else:
            out.append("@")
            pos = at + 1
