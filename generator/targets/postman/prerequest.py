"""The collection's pre-request scripts: sign-in, OAuth2 client credentials for newman, and the
environment-selecting query parameters.

Built here rather than from Jinja templates (as `testscript.py` builds the Tests scripts): the vendor
specs and many third-party documents need one of them, and importing Jinja and compiling a template
cost a `connectorgen postman` run more than the rest of its work on a small document (see `make
bench`). The JavaScript is kept in the constants below, `string.Template` placeholders (`${name}`)
marking what is filled in, so it reads as it is emitted; values inside the code are written by
`js_literal` (JSON with `<`, `>`, `&` and `'` escaped).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from string import Template
from typing import Any

from generator.targets.postman.testscript import js_literal

__all__ = ["client_credentials_script", "query_script", "signin_script"]

_SIGNIN = Template(r"""// Sign in with ${operation_id} when no token is cached or the cached one has expired, and keep the
// token in "${token_var}" of the active environment (never in the collection, which may be exported
// or shared) and of this request; the collection's bearer auth sends it. Each credential is the first
// non-empty value of the environment, the collection and the globals.
(function () {
    if (pm.request.auth && pm.request.auth.type !== ${auth_type}) {
        return; // requests with their own auth (such as the sign-in request itself) need no token
    }
    var MARGIN_MS = 60000; // renew a minute early so a request never leaves with an expiring token
    var cache = pm.environment.name ? pm.environment : null; // no environment: nothing is kept
    var token = cache ? cache.get(${token_var_js}) : '';
    var expiresAt = Number((cache && cache.get(${expiry_var_js})) || 0);
    // a token belongs to the server it came from: switching environments fetches a new one
    var server = pm.variables.replaceIn('{{baseUrl}}');
    if (token && Date.now() < expiresAt && cache.get(${server_var_js}) === server) {
        pm.variables.set(${token_var_js}, token);
        return;
    }

    function credential(name) {
        var found = [pm.variables, pm.environment, pm.collectionVariables, pm.globals]
            .map(function (scope) { return scope.get(name); })
            .filter(function (value) { return value !== undefined && value !== null && String(value) !== ''; });
        return found.length ? pm.variables.replaceIn(String(found[0])) : '';
    }

    function expiry(jwt) {
        try {
            var CryptoJS = require('crypto-js');
            var part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
            while (part.length % 4) {
                part += '=';
            }
            var claims = JSON.parse(CryptoJS.enc.Base64.parse(part).toString(CryptoJS.enc.Utf8));
            if (typeof claims.exp === 'number') {
                return claims.exp * 1000 - MARGIN_MS;
            }
        } catch (e) {
            // not a JWT with an exp claim: use the documented lifetime
        }
        return Date.now() + ${lifetime_seconds} * 1000 - MARGIN_MS;
    }

    var body = ${constant_body};
    var missing = [];
    ${credentials}.forEach(function (name) {
        body[name] = credential(name);
        if (!body[name]) {
            missing.push(name);
        }
    });
    if (missing.length) {
        console.warn('Sign-in credentials not set: ' + missing.join(', '));
    }
    pm.sendRequest({
        url: pm.variables.replaceIn('{{baseUrl}}') + ${path},
        method: ${method},
        header: {'Content-Type': 'application/json', 'Accept': 'application/json'},
        body: {mode: 'raw', raw: JSON.stringify(body)}
    }, function (err, res) {
        if (err || res.code < 200 || res.code >= 300) {
            console.error('Sign-in failed: ' + (err ? err.message || err : res.code + ' ' + res.text()));
            return;
        }
        var value = res.json();
        ${token_pointer}.forEach(function (key) {
            value = value === null || typeof value !== 'object' ? undefined : value[key];
        });
        if (typeof value !== 'string' || !value) {
            console.error('Sign-in answer has no token at ' + ${token_pointer_text});
            return;
        }
        pm.variables.set(${token_var_js}, value);
        if (cache) {
            cache.set(${token_var_js}, value);
            cache.set(${server_var_js}, server);
            cache.set(${expiry_var_js}, String(expiry(value)));
        }
    });
})();
""")

_CLIENT_CREDENTIALS = Template(r"""// OAuth2 client credentials for runners that do not fetch tokens themselves (newman): get a token
// from "${token_url_var}" when none is cached or it has expired, keep it in the active environment
// (never in the collection, which may be exported or shared) and send it as the Authorization header.
// Each credential is the first non-empty value of the environment, the collection and the globals, so
// credentials set in the collection's Variables tab work with an environment selected.
(function () {
    if (pm.request.auth && pm.request.auth.type !== ${auth_type}) {
        return; // requests with their own auth need no token
    }
    var MARGIN_MS = 60000; // renew a minute early so a request never leaves with an expiring token
    var cache = pm.environment.name ? pm.environment : null; // no environment: nothing is kept
    var token = cache ? cache.get(${token_var_js}) : '';
    var expiresAt = Number((cache && cache.get(${expiry_var_js})) || 0);
    // a token belongs to the server it came from: switching environments fetches a new one
    var server = pm.variables.replaceIn('{{baseUrl}} {{${token_url_var}}}');

    function use(value) {
        pm.request.headers.upsert({key: 'Authorization', value: 'Bearer ' + value});
    }

    function credential(name) {
        var found = [pm.variables, pm.environment, pm.collectionVariables, pm.globals]
            .map(function (scope) { return scope.get(name); })
            .filter(function (value) { return value !== undefined && value !== null && String(value) !== ''; });
        return found.length ? pm.variables.replaceIn(String(found[0])) : '';
    }

    if (token && Date.now() < expiresAt && cache.get(${server_var_js}) === server) {
        use(token);
        return;
    }
    var form = [{key: 'grant_type', value: 'client_credentials'}];
    var missing = [];
    ${credentials}.forEach(function (name) {
        var value = credential(name);
        if (!value) {
            missing.push(name);
        }
        form.push({key: name, value: value});
    });
${scope_line}    if (missing.length) {
        console.warn('OAuth2 client credentials not set: ' + missing.join(', '));
    }
    pm.sendRequest({
        url: pm.variables.replaceIn('{{${token_url_var}}}'),
        method: 'POST',
        header: {'Content-Type': 'application/x-www-form-urlencoded', 'Accept': 'application/json'},
        body: {mode: 'urlencoded', urlencoded: form}
    }, function (err, res) {
        if (err || res.code < 200 || res.code >= 300) {
            console.error('Token request failed: ' + (err ? err.message || err : res.code + ' ' + res.text()));
            return;
        }
        var answer = res.json();
        if (!answer || typeof answer.access_token !== 'string') {
            console.error('Token answer has no access_token');
            return;
        }
        var lifetime = Number(answer.expires_in) > 0 ? Number(answer.expires_in) : ${lifetime_seconds};
        if (cache) {
            cache.set(${token_var_js}, answer.access_token);
            cache.set(${server_var_js}, server);
            cache.set(${expiry_var_js}, String(Date.now() + lifetime * 1000 - MARGIN_MS));
        }
        use(answer.access_token);
    });
})();
""")

_QUERY = Template(r"""// Environment-selecting query parameters (${keys}) are sent only when the active
// environment gives them a value: drop the ones that are empty (or undefined) here.
(function () {
    function dropIfEmpty(key, value) {
        if (!value || /\{\{/.test(value)) {
            pm.request.removeQueryParams([key]);
        }
    }
${drops}})();
""")

_SCOPE = "    form.push({key: 'scope', value: %s});\n"
_DROP = "    dropIfEmpty(%s, pm.variables.replaceIn(%s));\n"


def signin_script(
    *,
    operation_id: str,
    auth_type: str,
    token_var: str,
    expiry_var: str,
    server_var: str,
    lifetime_seconds: int,
    constant_body: dict[str, Any],
    credentials: Sequence[str],
    path: str,
    method: str,
    token_path: Sequence[str],
    token_pointer: str,
) -> str:
    """Sign in with `operation_id` (`method` `path`, JSON body: `constant_body` plus the credentials)
    when no unexpired token for the current server is cached; the token is at `token_path`."""
    return _SIGNIN.substitute(
        operation_id=operation_id,
        auth_type=json.dumps(auth_type),
        token_var=token_var,
        token_var_js=js_literal(token_var),
        expiry_var_js=js_literal(expiry_var),
        server_var_js=js_literal(server_var),
        lifetime_seconds=lifetime_seconds,
        constant_body=json.dumps(constant_body, ensure_ascii=False),
        credentials=json.dumps(list(credentials)),
        path=json.dumps(path),
        method=json.dumps(method),
        token_pointer=json.dumps(list(token_path)),
        token_pointer_text=json.dumps(token_pointer),
    )


def client_credentials_script(
    *,
    auth_type: str,
    token_url_var: str,
    token_var: str,
    expiry_var: str,
    server_var: str,
    credentials: Sequence[str],
    scope: str,
    lifetime_seconds: int,
) -> str:
    """Fetch a client-credentials token from `{{token_url_var}}` for runners that do not (newman)."""
    return _CLIENT_CREDENTIALS.substitute(
        auth_type=json.dumps(auth_type),
        token_url_var=token_url_var,
        token_var_js=js_literal(token_var),
        expiry_var_js=js_literal(expiry_var),
        server_var_js=js_literal(server_var),
        credentials=json.dumps(list(credentials)),
        scope_line=_SCOPE % js_literal(scope) if scope else "",
        lifetime_seconds=lifetime_seconds,
    )


def query_script(keys: Sequence[str]) -> str:
    """Drop the environment-selecting query parameters `keys` that the environment leaves empty."""
    drops = "".join(_DROP % (js_literal(key), js_literal("{{" + key + "}}")) for key in keys)
    return _QUERY.substitute(keys=", ".join(keys), drops=drops)
