"""What a query may do here, decided before it runs: it must be a query (the service is read-only)
and may only call SERVICE endpoints on the allow-list (settings.service_allow_list). pyoxigraph would
otherwise send SERVICE calls over HTTP itself, so the targets are found lexically, outside strings,
IRIs' insides and comments."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Collection
from urllib.parse import urlsplit

from .errors import QueryRefused, ReadOnly

TOKENS = re.compile(
    r"""
      (?P<comment>\#[^\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                 |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::[A-Za-z0-9_\-.]*)?)
    | (?P<var>[?$][A-Za-z0-9_]+)
    | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)
UPDATE_KEYWORDS = {
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "DROP",
    "CREATE",
    "ADD",
    "MOVE",
    "COPY",
    "WITH",
}
PROLOGUE_KEYWORDS = {"PREFIX", "BASE"}


def _tokens(query: str) -> list[tuple[str, str]]:
    return [
        (m.lastgroup or "", m.group()) for m in TOKENS.finditer(query) if m.lastgroup != "comment"
    ]


def first_keyword(query: str) -> str | None:
    """The first keyword after the prologue: SELECT, ASK, CONSTRUCT, DESCRIBE — or an update's."""
    tokens = _tokens(query)
    i = 0
    while i < len(tokens):
        kind, text = tokens[i]
        if kind == "word" and text.upper() in PROLOGUE_KEYWORDS:
            i += 3 if text.upper() == "PREFIX" else 2
            continue
        return text.upper() if kind == "word" else None
    return None


def is_update(query: str) -> bool:
    return first_keyword(query) in UPDATE_KEYWORDS


def _prefixes(tokens: list[tuple[str, str]]) -> dict[str, str]:
    """PREFIX declarations: `wdqs:` → `https://query.wikidata.org/`."""
    declared = {}
    for i, (kind, text) in enumerate(tokens[:-2]):
        name, iri = tokens[i + 1], tokens[i + 2]
        if kind == "word" and text.upper() == "PREFIX" and iri[0] == "iri":
            declared[name[1].rstrip(":")] = iri[1][1:-1]
    return declared


def _expand(kind: str, text: str, prefixes: dict[str, str]) -> str:
    """A target as the IRI it names (a prefixed name expanded); a variable stays `?var`."""
    if kind == "iri":
        return text[1:-1]
    if kind == "word" and ":" in text:
        prefix, local = text.split(":", 1)
        if prefix in prefixes:
            return prefixes[prefix] + local
    return text


def service_targets(query: str) -> list[str]:
    """The endpoints a query calls with SERVICE: IRIs (prefixed names expanded), or `?var` for a
    variable target."""
    tokens = _tokens(query)
    prefixes = _prefixes(tokens)
    targets = []
    for i, (kind, text) in enumerate(tokens):
        if kind == "word" and text.upper() == "SERVICE":
            rest = tokens[i + 1 : i + 3]
            if rest and rest[0][0] == "word" and rest[0][1].upper() == "SILENT":
                rest = rest[1:]
            if rest:
                targets.append(_expand(*rest[0], prefixes))
    return targets


PUBLIC_SCHEMES = ("http", "https")


def _refuse_private_target(target: str) -> None:
    """Even an allow-listed endpoint must be HTTP(S) on a public address: a SERVICE call is a request
    this server makes, and must not reach loopback, private or link-local hosts (request forgery).
    Host names are not resolved here (no lookup leaves this check); literal addresses are judged."""
    url = urlsplit(target)
    if url.scheme not in PUBLIC_SCHEMES or not url.hostname:
        raise QueryRefused(
            f"SERVICE <{target}> is not allowed: only http(s) endpoints can be called"
        )
    host = url.hostname
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
            raise QueryRefused(f"SERVICE <{target}> is not allowed: a local host") from None
        return
    if not address.is_global:
        raise QueryRefused(f"SERVICE <{target}> is not allowed: {host} is not a public address")


def check_query(
    query: str, allowed_services: Collection[str] = (), allow_private: bool = False
) -> None:
    """Refuse updates and SERVICE calls to endpoints outside the allow-list (exact IRIs), before
    anything runs. A variable target is always refused: it could name any endpoint. Allow-listed
    targets on loopback or private addresses are refused too unless `allow_private` (tests)."""
    if is_update(query):
        raise ReadOnly("this endpoint is read-only: SPARQL Update is not accepted")
    allowed = ", ".join(f"<{s}>" for s in sorted(allowed_services)) or "none"
    for target in service_targets(query):
        if target.startswith(("?", "$")):
            raise QueryRefused(
                f"SERVICE {target} is not allowed here: a federated query must name its endpoint; "
                f"it may only call: {allowed}"
            )
        if target not in allowed_services:
            raise QueryRefused(
                f"SERVICE <{target}> is not allowed here; federated queries may only call: {allowed}"
            )
        if not allow_private:
            _refuse_private_target(target)
