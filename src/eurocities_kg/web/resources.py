"""Blueprint: the linked-data pages. `/id/{kind}/{slug}` names a thing and answers 303 See Other to
`/doc/{kind}/{slug}`, the document about it, negotiated by `Accept` (HTML or any RDF format) or
chosen by extension (`.html`, `.ttl`, `.jsonld`, `.rdf`, `.nt`, `.trig`, `.nq`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from ..describe import (
    Description,
    counts,
    describe,
    distinct_triples,
    document_quads,
    exists,
    suggestions,
    units,
)
from ..documents import serialize
from ..errors import EurocitiesKgError
from ..formats import RDF_FORMATS, RdfFormat
from ..iris import is_valid_name, thing_iri
from .cache import request_key
from .diagram import diagram
from .errors import error_response
from .geo import city_map
from .language import visitor_language
from .negotiation import negotiate
from .resource_page import resource_page
from .state import state
from .views import short_name

blueprint = Blueprint("resources", __name__)


@dataclass(frozen=True)
class PageFormat:
    name: str
    label: str
    media_type: str
    extension: str
    aliases: tuple[str, ...] = ()


HTML_FORMAT = PageFormat("html", "HTML", "text/html", "html", ("application/xhtml+xml",))
OFFERED: tuple[PageFormat | RdfFormat, ...] = (HTML_FORMAT, *RDF_FORMATS)


class UnknownResource(EurocitiesKgError):
    http_status = 404
    title = "not found"

    def __init__(self, kind: str, slug: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.slug = slug


class BadPage(EurocitiesKgError):
    http_status = 400
    title = "bad request"


def _valid_iri(kind: str, slug: str) -> str:
    """The IRI of `id/{kind}/{slug}`; 404 when the name cannot be one of ours."""
    if not (is_valid_name(kind) and is_valid_name(slug)):
        raise UnknownResource(
            kind, slug, f"no thing is named {kind}/{slug}: names are lower-case words joined by '-'"
        )
    return thing_iri(kind, slug, state().settings.base)


MAX_PAGE_DIGITS = 9


def _page_number() -> int:
    """`?page=N`: ASCII digits only (int() would read '١' and choke on '²'), at most 9 of them."""
    raw = request.args.get("page", "1")
    if not (raw.isascii() and raw.isdigit()) or len(raw) > MAX_PAGE_DIGITS or int(raw) < 1:
        raise BadPage(f"page must be a whole number from 1, not {raw[:40]!r}")
    return int(raw)


def _describe(kind: str, slug: str, page: int) -> Description:
    current = state()
    iri = _valid_iri(kind, slug)
    found = describe(current.store, iri, page, current.settings.page_size)
    if found is None:
        raise UnknownResource(kind, slug, f"this dataset says nothing about {iri}")
    if page > found.last_page:
        raise UnknownResource(
            kind, slug, f"{iri} has {found.last_page} page(s) of incoming links, not {page}"
        )
    return found


def _by_extension(kind: str, slug: str, extension: str) -> PageFormat | RdfFormat:
    for offered in OFFERED:
        if offered.extension == extension:
            return offered
    names = ", ".join(f".{f.extension}" for f in OFFERED)
    raise UnknownResource(kind, slug, f"unknown format extension .{extension}; offered: {names}")


def _doc_url(kind: str, slug: str, extension: str | None = None, **args: Any) -> str:
    name = f"{slug}.{extension}" if extension else slug
    kept = {k: v for k, v in request.args.items() if k in ("page", "lang")}
    return url_for("resources.document", kind=kind, name=name, _external=True, **{**kept, **args})


@blueprint.route("/id/<kind>/<slug>")
def thing(kind: str, slug: str) -> BaseResponse:
    """303 See Other to the document about the thing (one generic document, so no Vary)."""
    iri = _valid_iri(kind, slug)
    if not exists(state().store, iri):
        raise UnknownResource(kind, slug, f"this dataset says nothing about {iri}")
    lang = request.args.get("lang")
    location = url_for("resources.document", kind=kind, name=slug, lang=lang, _external=True)
    response = redirect(location, 303)
    response.headers["Link"] = f'<{location}>; rel="describedby"'
    return response


@blueprint.route("/doc/<kind>/<name>")
def document(kind: str, name: str) -> Response:
    """The document, rendered once per build and representation (web/cache.py)."""
    current = state()
    key = ("doc", current.version, *request_key())
    return current.cache.through(key, lambda: _document(kind, name))


def _document(kind: str, name: str) -> Response:
    slug, dot, extension = name.partition(".")
    fmt = _by_extension(kind, slug, extension) if dot else None
    description = _describe(kind, slug, _page_number())
    chosen = fmt or negotiate(OFFERED, HTML_FORMAT)
    if isinstance(chosen, RdfFormat):
        response = _rdf_response(description, kind, slug, chosen)
    else:
        response = _html_response(description, kind, slug)
    _add_headers(response, description, kind, slug, chosen, negotiated=fmt is None)
    return response


def _document_iri(kind: str, slug: str, page: int) -> str:
    iri = f"{state().settings.base}doc/{kind}/{slug}"
    return iri if page == 1 else f"{iri}?page={page}"


def _rdf_response(description: Description, kind: str, slug: str, fmt: RdfFormat) -> Response:
    quads = document_quads(description, _document_iri(kind, slug, description.page))
    data = serialize(quads if fmt.holds_graphs else distinct_triples(quads), fmt)
    text_like = fmt.media_type.startswith("text/")
    return Response(data, content_type=fmt.media_type + ("; charset=utf-8" if text_like else ""))


def _alternates(kind: str, slug: str) -> list[dict[str, str]]:
    return [
        {"label": f.label, "media_type": f.media_type, "href": _doc_url(kind, slug, f.extension)}
        for f in OFFERED
    ]


def _paging(
    description: Description, kind: str, slug: str, extension: str | None
) -> dict[str, str]:
    links = {}
    if description.page > 1:
        links["prev"] = _doc_url(kind, slug, extension, page=description.page - 1)
    if description.has_next:
        links["next"] = _doc_url(kind, slug, extension, page=description.page + 1)
    return links


def _query_link(iri: str) -> str:
    query = f"SELECT ?p ?o ?g WHERE {{\n  GRAPH ?g {{ <{iri}> ?p ?o }}\n}}\nORDER BY ?p ?o ?g\n"
    return url_for("sparql.endpoint", query=query)


def _html_response(description: Description, kind: str, slug: str) -> Response:
    current = state()
    lang = visitor_language()
    unit_quads = units(current.store, description.iri)
    page = resource_page(
        description, current.settings.base, lang, counts(current.store, description.iri), unit_quads
    )
    html = render_template(
        "resource.html",
        page=page,
        structure=page.units and diagram(current.store, page.iri, current.settings.base, lang),
        city_map=page.members
        and city_map(current.store, page.iri, page.title, current.settings.base, lang),
        description=description,
        alternates=_alternates(kind, slug),
        paging=_paging(description, kind, slug, None),
        query_href=_query_link(description.iri),
        id_href=url_for("resources.thing", kind=kind, slug=slug),
    )
    return Response(html, content_type="text/html; charset=utf-8")


def _add_headers(
    response: Response,
    description: Description,
    kind: str,
    slug: str,
    chosen: PageFormat | RdfFormat,
    negotiated: bool,
) -> None:
    if negotiated:
        response.vary.add("Accept")
        response.headers["Content-Location"] = _doc_url(kind, slug, chosen.extension)
    if chosen is HTML_FORMAT and "lang" not in request.args:
        response.vary.add("Accept-Language")
    links = [
        f'<{a["href"]}>; rel="alternate"; type="{a["media_type"]}"' for a in _alternates(kind, slug)
    ]
    links.append(f'<{description.iri}>; rel="about"')
    extension = None if negotiated else chosen.extension
    links += [
        f'<{href}>; rel="{rel}"'
        for rel, href in _paging(description, kind, slug, extension).items()
    ]
    response.headers["Link"] = ", ".join(links)


@blueprint.errorhandler(UnknownResource)
def unknown(error: UnknownResource) -> Response:
    """404: the canonical error body; for browsers a page with things of similar names."""
    current = state()

    def suggest() -> list[str]:  # called by the page only, so machine clients do not pay for it
        return suggestions(current.store, current.settings.base, error.kind, error.slug)

    return error_response(
        404, error.title, error.message, template="not_found.html", suggest=suggest
    )


blueprint.add_app_template_filter(short_name, "short_name")
