"""Content negotiation by `Accept` (with q-values) over the format table, plus the `format` parameter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from flask import request

from ..errors import NotAcceptable

HTML = "text/html"


class Format(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def media_type(self) -> str: ...
    @property
    def extension(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...


F = TypeVar("F", bound=Format)

# What clients send in `format=` (SPARQLWrapper sends format, output and results) besides our names.
FORMAT_ALIASES = {
    "n3": "turtle",
    "ttl": "turtle",
    "json-ld": "jsonld",
    "rdf+xml": "rdfxml",
    "rdf": "rdfxml",
    "nt": "ntriples",
    "n-triples": "ntriples",
    "nq": "nquads",
    "n-quads": "nquads",
}


def media_types(formats: Sequence[F]) -> dict[str, F]:
    table: dict[str, F] = {}
    for offered in formats:
        for media_type in (offered.media_type, *offered.aliases):
            table[media_type] = offered
    return table


def format_parameter(formats: Sequence[F], xml_means: str | None = None) -> F | None:
    """The first recognised value of `format` / `output` / `results`; unknown values are ignored."""
    for name in ("format", "output", "results"):
        for value in request.values.getlist(name):
            key = value.strip().lower()
            key = FORMAT_ALIASES.get(key, key)
            if key == "xml" and xml_means:
                key = xml_means
            if key == "json" and xml_means == "rdfxml":
                key = "jsonld"
            for offered in formats:
                if key in (offered.name, offered.extension, offered.media_type, *offered.aliases):
                    return offered
    return None


def wants_html(offered: Sequence[str]) -> bool:
    """True when the client prefers HTML to every machine format offered (a browser)."""
    accept = request.accept_mimetypes
    html = accept.quality(HTML)
    return html > 0 and all(html > accept.quality(m) for m in offered) and HTML in accept.values()


def negotiate(formats: Sequence[F], default: F) -> F:
    """The client's preferred format among `formats`; `default` when it states no preference;
    406 naming what is offered when it accepts none of them."""
    if not request.headers.get("Accept"):
        return default
    table = media_types(formats)
    accept = request.accept_mimetypes
    ordered = [default.media_type, *(m for m in table if m != default.media_type)]
    best = accept.best_match(ordered)
    if best is None:
        names = ", ".join(f.media_type for f in formats)
        raise NotAcceptable(
            f"none of the accepted types ({request.headers['Accept']}) can be served here; "
            f"offered: {names}"
        )
    return table[best]
