"""Content negotiation by `Accept` (with q-values) over the format table, plus the `format` parameter."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from flask import request

from ..errors import EurocitiesKgError
from ..formats import RdfFormat, ResultsFormat

HTML = "text/html"

F = TypeVar("F", RdfFormat, ResultsFormat)

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


class NotAcceptable(EurocitiesKgError):
    http_status = 406
    title = "not acceptable"


def media_types(formats: Sequence[F]) -> dict[str, F]:
    table: dict[str, F] = {}
    for fmt in formats:
        for media_type in (fmt.media_type, *fmt.aliases):
            table[media_type] = fmt
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
            for fmt in formats:
                if key in (fmt.name, fmt.extension, fmt.media_type, *fmt.aliases):
                    return fmt
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
        offered = ", ".join(f.media_type for f in formats)
        raise NotAcceptable(
            f"none of the accepted types ({request.headers['Accept']}) can be served here; "
            f"offered: {offered}"
        )
    return table[best]
