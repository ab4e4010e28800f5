"""String formats and regular expressions checked the way schemathesis (jsonschema-rs) checks them.

The contract tests generate "negative" values with jsonschema-rs's format and ECMA-262 `pattern`
semantics, so the mock must reject exactly what that validator rejects: a laxer check accepts
invalid data, a stricter one rejects valid data. Only the formats the specs use are asserted
(date-time, date, email, uri, uuid, and int32/int64 as integer ranges); others are annotations,
as in JSON Schema 2020-12.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from functools import lru_cache

__all__ = ["FORMAT_CHECKS", "INTEGER_FORMATS", "check_date", "check_date_time", "check_email", "check_uri", "check_uri_reference", "ecma_regex"]

_DATE_TIME = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?([Zz]|([+-])([0-9]{2}):([0-9]{2}))"
)
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid_date(year: int, month: int, day: int) -> bool:
    if not 1 <= month <= 12:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return 1 <= day <= (29 if month == 2 and leap else _MONTH_DAYS[month - 1])


def check_date(value: str) -> bool:
    match = _DATE.fullmatch(value)
    return bool(match) and _valid_date(*(int(g) for g in match.groups()))  # type: ignore[union-attr]


def check_date_time(value: str) -> bool:
    match = _DATE_TIME.fullmatch(value)
    if not match:
        return False
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    if not _valid_date(year, month, day) or hour > 23 or minute > 59 or second > 60:
        return False
    offset_minutes = 0
    if match.group(9):
        off_h, off_m = int(match.group(10)), int(match.group(11))
        if off_h > 23 or off_m > 59:
            return False
        offset_minutes = (off_h * 60 + off_m) * (1 if match.group(9) == "+" else -1)
    if second == 60:
        # A leap second only exists at 23:59:60 UTC.
        utc = (hour * 60 + minute - offset_minutes) % (24 * 60)
        return utc == 23 * 60 + 59
    return True


_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL_DOT_ATOM = re.compile(rf"{_ATEXT}(\.{_ATEXT})*")
_LOCAL_QUOTED = re.compile(r'"([\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"')
_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


def _label(label: str) -> bool:
    if not _LABEL.fullmatch(label):
        return False
    if label[2:4] != "--":
        return True
    # Hyphens in the 3rd and 4th places are reserved for IDNA A-labels ("xn--"), which must decode.
    if not label.startswith("xn--"):
        return False
    import idna  # a dependency of httpx

    try:
        idna.decode(label)
    except (idna.IDNAError, UnicodeError):
        return False
    return True


def _hostname(domain: str) -> bool:
    if not domain or len(domain) > 253:
        return False
    return all(_label(label) for label in domain.split("."))


def check_email(value: str) -> bool:
    local, sep, domain = value.rpartition("@")
    if not sep or not local or len(local) > 64:
        return False
    if not (_LOCAL_DOT_ATOM.fullmatch(local) or _LOCAL_QUOTED.fullmatch(local)):
        return False
    if domain.startswith("[") and domain.endswith("]"):
        literal = domain[1:-1]
        if literal[:5].lower() == "ipv6:":
            return _ipv6(literal[5:])
        try:
            ipaddress.IPv4Address(literal)
        except ValueError:
            return False
        return True
    return _hostname(domain)


def _ipv6(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return "%" not in text


# RFC 3986, appendix A.
_UNRESERVED = r"A-Za-z0-9\-._~"
_SUB_DELIMS = r"!$&'()*+,;="
_PCT = r"%[0-9A-Fa-f]{2}"
_PCHAR = rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:@]|{_PCT})"
_SEGMENT_NZ = rf"{_PCHAR}+"
_SEGMENT = rf"{_PCHAR}*"
_QUERY = rf"(?:{_PCHAR}|[/?])*"
_URI = re.compile(
    rf"(?P<scheme>[A-Za-z][A-Za-z0-9+\-.]*):"
    rf"(?:(?://(?P<authority>[^/?#]*)(?P<abempty>(?:/{_SEGMENT})*))"
    rf"|(?P<path>/(?:{_SEGMENT_NZ}(?:/{_SEGMENT})*)?|{_SEGMENT_NZ}(?:/{_SEGMENT})*)?)"
    rf"(?:\?{_QUERY})?(?:#{_QUERY})?"
)
_USERINFO = re.compile(rf"(?:[{_UNRESERVED}{_SUB_DELIMS}:]|{_PCT})*")
_REG_NAME = re.compile(rf"(?:[{_UNRESERVED}{_SUB_DELIMS}]|{_PCT})*")
_IPV_FUTURE = re.compile(rf"[vV][0-9A-Fa-f]+\.[{_UNRESERVED}{_SUB_DELIMS}:]+")
_PORT = re.compile(r"[0-9]*")


def _authority(authority: str) -> bool:
    userinfo, sep, hostport = authority.rpartition("@")
    if sep and not _USERINFO.fullmatch(userinfo):
        return False
    if hostport.startswith("["):
        end = hostport.find("]")
        if end < 0:
            return False
        literal, rest = hostport[1:end], hostport[end + 1 :]
        if not (_ipv6(literal) or _IPV_FUTURE.fullmatch(literal)):
            return False
        return rest == "" or (rest.startswith(":") and bool(_PORT.fullmatch(rest[1:])))
    host, _, port = hostport.partition(":") if ":" in hostport else (hostport, "", "")
    return bool(_REG_NAME.fullmatch(host)) and bool(_PORT.fullmatch(port))


def check_uri(value: str) -> bool:
    match = _URI.fullmatch(value)
    if not match:
        return False
    authority = match.group("authority")
    return authority is None or _authority(authority)


_UUID = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")


def check_uuid(value: str) -> bool:
    return bool(_UUID.fullmatch(value))


_URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?#\[\]]|%[0-9A-Fa-f]{2})*")


def check_uri_reference(value: str) -> bool:
    """RFC 3986 URI-reference characters only (no spaces, braces, quotes; `%` escapes well-formed)."""
    return _URI_REFERENCE.fullmatch(value) is not None


FORMAT_CHECKS: dict[str, Callable[[str], bool]] = {
    "uri-reference": check_uri_reference,
    "date-time": check_date_time,
    "date": check_date,
    "email": check_email,
    "uri": check_uri,
    "uuid": check_uuid,
}


# Integer widths: schemathesis reads them as bounds, so values outside are invalid data.
INTEGER_FORMATS: dict[str, tuple[int, int]] = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


@lru_cache(maxsize=512)
def ecma_regex(pattern: str) -> re.Pattern[str]:
    """Compile an ECMA-262 `pattern` for Python: `$` outside a class means end of input (Python's
    `$` also matches before a final newline) and `\\d`/`\\w` are ASCII-only, as in ECMA-262."""
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            char = r"\Z"
        out.append(char)
        i += 1
    return re.compile("".join(out), re.ASCII)
