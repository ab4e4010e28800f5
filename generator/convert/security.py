"""Security schemes and requirements → Swagger 2.0 `securityDefinitions` / `security`."""

from __future__ import annotations

from typing import Any

from generator.convert.context import Context
from generator.ir.model import OAuthFlow, SecurityRequirement, SecurityScheme
from generator.util.pointer import join_pointer

__all__ = ["SecurityConverter"]

_FLOWS = {
    "authorizationCode": "accessCode",
    "implicit": "implicit",
    "password": "password",
    "clientCredentials": "application",
}


class SecurityConverter:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.definitions: dict[str, dict[str, Any]] = {}
        self.kinds: dict[str, str] = {}  # kept scheme name -> Swagger 2.0 type
        for name, scheme in ctx.api.security_schemes.items():
            converted = self._scheme(scheme)
            if converted is not None:
                self.definitions[name] = converted
                self.kinds[name] = converted["type"]
        if ctx.profile.security_definitions_max == 1 and len(self.definitions) > 1:
            self._keep_one()

    def _keep_one(self) -> None:
        preferred = [n for req in self.ctx.api.security for n, _ in req.schemes if n in self.definitions]
        keep = preferred[0] if preferred else next(iter(self.definitions))
        for name in list(self.definitions):
            if name != keep:
                scheme = self.ctx.api.security_schemes[name]
                self.ctx.losses.warning(
                    "security_definition_dropped",
                    scheme.pointer,
                    f"security scheme {name!r} dropped: Power Platform uses only one ({keep!r})",
                )
                del self.definitions[name]
                del self.kinds[name]

    def _scheme(self, s: SecurityScheme) -> dict[str, Any] | None:
        losses = self.ctx.losses
        out: dict[str, Any]
        if s.kind == "apiKey" and s.key_location in ("header", "query"):
            out = {"type": "apiKey", "name": s.key_name, "in": s.key_location}
        elif s.kind == "http" and s.scheme == "basic":
            out = {"type": "basic"}
        elif s.kind == "http":
            scheme = s.scheme or "bearer"
            out = {"type": "apiKey", "name": "Authorization", "in": "header"}
            if scheme == "bearer":
                losses.info(
                    "bearer_as_api_key",
                    s.pointer,
                    f"HTTP bearer scheme {s.name!r} written as an apiKey in the Authorization header (value: 'Bearer <token>')",
                )
            else:
                losses.warning(
                    "http_scheme_as_api_key",
                    s.pointer,
                    f"HTTP {scheme} scheme {s.name!r} written as an apiKey in the Authorization header",
                )
        elif s.kind == "oauth2":
            flow = self._oauth2(s)
            if flow is None:
                return None
            out = flow
        else:
            where = f" in {s.key_location}" if s.kind == "apiKey" else ""
            losses.warning(
                "security_scheme_dropped",
                s.pointer,
                f"{s.kind}{where} security scheme {s.name!r} dropped (no Swagger 2.0 form)",
            )
            return None
        description = s.description or (
            "Send 'Bearer <token>' in the Authorization header."
            if s.kind == "http" and s.scheme == "bearer"
            else ""
        )
        if description:
            out["description"] = description
        for key, value in s.extensions.items():
            if not losses.drops_own_extension(key, s.pointer) and not key.startswith("x-ms-"):
                out[key] = value
        return out

    def _oauth2(self, s: SecurityScheme) -> dict[str, Any] | None:
        losses = self.ctx.losses
        usable: list[OAuthFlow] = []
        for flow in s.flows:
            if flow.kind == "clientCredentials" and not self.ctx.profile.client_credentials:
                losses.warning(
                    "oauth2_client_credentials_unsupported",
                    join_pointer(s.pointer, "flows", flow.kind),
                    f"OAuth2 client credentials flow of {s.name!r} dropped: Power Platform custom connectors do not support it "
                    "(authenticate with connection parameters and custom code instead)",
                )
            elif flow.kind in _FLOWS:
                usable.append(flow)
        if not usable:
            if self.ctx.profile.client_credentials or not any(f.kind == "clientCredentials" for f in s.flows):
                losses.warning(
                    "security_scheme_dropped",
                    s.pointer,
                    f"OAuth2 scheme {s.name!r} has no usable flow; dropped",
                )
            return None
        flow = usable[0]
        if flow.kind == "clientCredentials":
            losses.info(
                "oauth2_client_credentials_unsupported",
                join_pointer(s.pointer, "flows", flow.kind),
                f"OAuth2 client credentials flow of {s.name!r} written as the 'application' flow; "
                "Power Platform custom connectors do not support it",
            )
        for other in usable[1:]:
            losses.warning(
                "oauth2_flow_dropped",
                join_pointer(s.pointer, "flows", other.kind),
                f"OAuth2 flow {other.kind} dropped (Swagger 2.0 has one flow per scheme)",
            )
        out: dict[str, Any] = {"type": "oauth2", "flow": _FLOWS[flow.kind]}
        if flow.kind in ("authorizationCode", "implicit"):
            out["authorizationUrl"] = flow.authorization_url
        if flow.kind != "implicit":
            out["tokenUrl"] = flow.token_url
        out["scopes"] = dict(flow.scopes)
        if flow.refresh_url:
            losses.info(
                "oauth2_refresh_url_dropped",
                join_pointer(s.pointer, "flows", flow.kind, "refreshUrl"),
                "refreshUrl dropped (no Swagger 2.0 form)",
            )
        return out

    def requirements(
        self, requirements: tuple[SecurityRequirement, ...], pointer: str
    ) -> list[dict[str, list[str]]] | None:
        """The converted requirements; None when every alternative was lost (the caller omits `security`)."""
        out: list[dict[str, list[str]]] = []
        for requirement in requirements:
            item: dict[str, list[str]] = {}
            lost = False
            for name, scopes in requirement.schemes:
                if name not in self.kinds:
                    lost = True
                    continue
                if scopes and self.kinds[name] != "oauth2":
                    self.ctx.losses.info(
                        "security_scopes_dropped",
                        pointer,
                        f"roles {list(scopes)} of {name!r} dropped (Swagger 2.0 allows scopes for OAuth2 only)",
                    )
                item[name] = list(scopes) if self.kinds[name] == "oauth2" else []
            if lost and not item:
                continue  # every scheme of this alternative was dropped (reported with the scheme)
            if item not in out:
                out.append(item)
        if requirements and not out:
            names = ", ".join(dict.fromkeys(n for r in requirements for n, _ in r.schemes))
            # Power Platform authenticates through connection parameters, so there this is only a note.
            self.ctx.losses.add(
                self.ctx.profile.lost_security_requirement,
                "security_requirement_dropped",
                pointer,
                f"security requirement ({names}) has no Swagger 2.0 form left; left out",
            )
            return None
        return out
