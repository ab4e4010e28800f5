"""The Tests script of a request: its status, its response schema, and the ids it keeps for the
requests that follow (OpenAPI links).

Built here rather than from a Jinja template: it is rendered once per request and is the only script
`connectorgen postman` needs on a plain third-party document, where importing and compiling Jinja
cost about 50 ms of a 250 ms run (see `make bench`). The JavaScript is kept in the constants below,
so it reads as it is emitted.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from generator.targets.postman.flow import Capture

__all__ = ["js_literal", "response_checks"]


_STATUS = """pm.test({title}, function () {{
    pm.response.to.have.status({status});
}});
"""

_STATUS_2XX = """pm.test("Status code is 2xx", function () {
    pm.expect(pm.response.code).to.be.within(200, 299);
});
"""

_SCHEMA = """
var schema = {schema};
pm.test("Response body matches the response schema", function () {{
    pm.response.to.have.jsonSchema(schema);
}});
"""

_CAPTURES_START = """
// Keep the ids this request created for the requests that follow (OpenAPI links).
(function () {
    if (pm.response.code < 200 || pm.response.code >= 300) {
        return;
    }
"""

_BODY_HELPERS = """    var body;
    try {
        body = pm.response.json();
    } catch (e) {
        return;
    }

    function pick(value, keys) {
        keys.forEach(function (key) {
            value = value === null || typeof value !== 'object' ? undefined : value[key];
        });
        return value;
    }
"""

_KEEP = """    function keep(name, value) {
        if (value !== undefined && value !== null && value !== '') {
            pm.collectionVariables.set(name, typeof value === 'string' ? value : JSON.stringify(value));
        }
    }
"""

_KEEP_BODY = "    keep({variable}, pick(body, {tokens}));\n"
_KEEP_HEADER = "    keep({variable}, pm.response.headers.get({header}));\n"
_CAPTURES_END = "})();\n"


def js_literal(value: Any) -> str:
    """A JSON value safe inside a script (`<`, `>`, `&` and `'` escaped), as Jinja's `tojson` writes it."""
    text = json.dumps(value, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")


def response_checks(status: int | None, schema: str | None, captures: Sequence[Capture]) -> str:
    """`status`: the documented success status (None: any 2xx); `schema`: the inlined response
    schema as compact JSON (None: no body check)."""
    parts = [_STATUS.format(title=js_literal(f"Status code is {status}"), status=status) if status else _STATUS_2XX]
    if schema:
        parts.append(_SCHEMA.format(schema=schema))
    if captures:
        parts.append(_CAPTURES_START)
        if any(c.source == "body" for c in captures):
            parts.append(_BODY_HELPERS)
        parts.append(_KEEP)
        for capture in captures:
            if capture.source == "body":
                parts.append(_KEEP_BODY.format(variable=js_literal(capture.variable), tokens=js_literal(list(capture.tokens))))
            else:
                parts.append(_KEEP_HEADER.format(variable=js_literal(capture.variable), header=js_literal(capture.header)))
        parts.append(_CAPTURES_END)
    return "".join(parts)
