"""The collection's pre-request scripts (built without Jinja) and the start-up path of `connectorgen postman`."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

from generator.targets.postman.ids import NAMESPACE, stable_id
from generator.targets.postman.prerequest import client_credentials_script, query_script, signin_script

from tests.conftest import REPO


def _client_credentials(scope: str) -> str:
    return client_credentials_script(
        auth_type="oauth2", token_url_var="tokenUrl", token_var="accessToken", expiry_var="accessTokenExpiresAt",
        server_var="accessTokenServer", credentials=["client_id", "client_secret"], scope=scope, lifetime_seconds=300,
    )


def test_client_credentials_sends_the_scope_only_when_there_is_one() -> None:
    scoped, plain = _client_credentials("read write"), _client_credentials("")
    assert "    form.push({key: 'scope', value: \"read write\"});\n    if (missing.length) {" in scoped
    assert "'scope'" not in plain and "        form.push({key: name, value: value});\n    });\n    if (missing.length) {" in plain
    assert "pm.variables.replaceIn('{{baseUrl}} {{tokenUrl}}')" in plain and "replaceIn('{{tokenUrl}}')" in plain
    assert "${" not in scoped + plain  # every placeholder filled


def test_values_are_escaped_for_a_script() -> None:
    script = _client_credentials("a'<b>")
    assert 'value: "a\\u0027\\u003cb\\u003e"' in script


def test_signin_fills_request_and_token_path() -> None:
    script = signin_script(
        operation_id="SignIn", auth_type="bearer", token_var="accessToken", expiry_var="accessTokenExpiresAt",
        server_var="accessTokenServer", lifetime_seconds=900, constant_body={"acceptEula": True}, credentials=["email"],
        path="/auth/signin", method="POST", token_path=["data", "token"], token_pointer="/data/token",
    )
    assert script.startswith("// Sign in with SignIn when no token is cached")
    assert "+ \"/auth/signin\",\n        method: \"POST\"," in script and '["data", "token"].forEach' in script
    assert 'var body = {"acceptEula": true};' in script and "Date.now() + 900 * 1000" in script
    assert "${" not in script and script.endswith("})();\n")


def test_query_script_drops_each_key() -> None:
    script = query_script(["environment", "region"])
    assert "parameters (environment, region) are sent" in script
    assert '    dropIfEmpty("environment", pm.variables.replaceIn("{{environment}}"));\n' in script
    assert '    dropIfEmpty("region", pm.variables.replaceIn("{{region}}"));\n})();\n' in script
    assert "/\\{\\{/.test(value)" in script


def test_stable_ids_are_uuid5() -> None:
    assert uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/connectorgen/connectorgen/postman") == NAMESPACE
    assert stable_id("volue", "item", "ListUsers") == str(uuid.uuid5(NAMESPACE, "volue\x1fitem\x1fListUsers"))


def test_postman_command_does_not_import_jinja(tmp_path: Path) -> None:
    """What the start-up path loads (not how long it takes): a vendor spec with a sign-in script."""
    code = (
        "import sys\nfrom generator.cli import main\n"
        f"code = main(['postman', {str(REPO / 'specs' / 'vev-iq' / 'openapi.yaml')!r}, '-o', {str(tmp_path / 'out')!r}])\n"
        "print(code, sorted(m for m in sys.modules if m.split('.')[0] in ('jinja2', 'markupsafe')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] in ("0 []", "1 []")
    assert any(tmp_path.joinpath("out").glob("*.postman_collection.json"))


def test_postman_command_switches_the_garbage_collector_back_on(tmp_path: Path) -> None:
    """The command pauses the cyclic collector while it runs; a caller's process gets it back."""
    import gc

    from generator.cli import main

    assert gc.isenabled()
    code = main(["postman", str(REPO / "specs" / "eevion" / "openapi.yaml"), "-o", str(tmp_path / "out")])
    assert code in (0, 1) and gc.isenabled()
    assert any((tmp_path / "out").glob("*.postman_collection.json"))
