"""Blueprint: the dataset as published — dumps, DCAT-AP catalogue, VoID, the ontology and shapes,
the validation report, named graphs, the feed of changes, sitemap, robots.txt and health.

Every representation is chosen by `Accept` (or fixed by a file extension); files are served with
the manifest's SHA-256 as strong ETag and the time the data last changed as Last-Modified."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from xml.sax.saxutils import escape

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request, send_file
from werkzeug.exceptions import NotFound

from .. import __version__, changes
from ..catalog import Release, Site, catalog_graph, coverage
from ..documents import CATALOG_PREFIXES, GRAPH_FORMATS, canonical, from_rdflib, serialize
from ..formats import RDF_FORMATS, RdfFormat, rdf_format
from ..iris import doc_path, is_valid_name
from ..namespaces import GRAPH_BASE, ONTOLOGY_GRAPH, ONTOLOGY_IRI
from ..ontology import document
from ..validation import Finding
from ..void import statistics, void_document, void_graph
from .language import visitor_language
from .negotiation import Format, format_parameter, negotiate, wants_html
from .state import AppState, state
from .views import term_view

blueprint = Blueprint("dataset", __name__)

TURTLE = rdf_format("turtle")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
F = TypeVar("F", bound=Format)


@dataclass(frozen=True)
class Page:
    """A representation that is not RDF (HTML, JSON, plain text), for negotiation."""

    name: str
    media_type: str
    extension: str
    aliases: tuple[str, ...] = ()


HTML = Page("html", "text/html", "html")
JSON = Page("json", "application/json", "json")
TEXT = Page("text", "text/plain", "txt")
REPORT_TURTLE = Page("turtle", "text/turtle", "ttl")


# --- shared helpers --------------------------------------------------------------------------


def _site() -> Site:
    settings = state().settings
    return Site(
        base=settings.base,
        root=request.url_root,
        publisher_name=settings.publisher_name,
        contact_email=settings.contact_email,
        contributor_id=settings.contributor_id,
    )


def _release(current: AppState) -> Release:
    """The current build as the descriptions state it, issued when the feed's first build ran."""
    feed = changes.feed(current.settings.project.build_dir, current.manifest)
    return Release.from_manifest(current.manifest, feed[-1]["builtAt"] if feed else None)


def _choose(formats: Sequence[F], default: F, extension: str | None) -> F:
    """The format a file extension names (404 for any other), else the negotiated one."""
    if extension is not None:
        for offered in formats:
            if offered.extension == extension:
                return offered
        raise NotFound(f"no representation '.{extension}' here")
    return format_parameter(formats) or negotiate(formats, default)


def _split(name: str) -> tuple[str, str | None]:
    stem, dot, extension = name.partition(".")
    return stem, extension if dot else None


def _rdf_response(
    items: Sequence[ox.Triple] | Sequence[ox.Quad],
    fmt: RdfFormat,
    extension: str | None,
    *,
    path: str | None,
    modified: datetime | None = None,
    prefixes: dict[str, str] | None = None,
) -> Response:
    text_like = fmt.media_type.startswith("text/")
    response = Response(
        serialize(items, fmt, prefixes),
        content_type=fmt.media_type + ("; charset=utf-8" if text_like else ""),
    )
    if extension is None:
        response.vary.add("Accept")
    if extension is None and path is not None:  # the URL of the representation chosen
        response.headers["Content-Location"] = f"{path}.{fmt.extension}"
    if modified is not None:
        response.last_modified = modified
    return response


def _json(body: object) -> Response:
    text = json.dumps(body, indent=2, ensure_ascii=False) + "\n"
    response = Response(text, content_type="application/json; charset=utf-8")
    response.vary.add("Accept")
    return response


def _html(template: str, negotiated: bool = True, **context: Any) -> Response:
    html = render_template(template, **context)
    response = Response(html, content_type="text/html; charset=utf-8")
    if negotiated:
        response.vary.add("Accept")
    return response


def _file(path: Path, media_type: str, sha256: str, modified: datetime) -> Response:
    return send_file(
        path,
        mimetype=media_type,
        conditional=True,
        etag=sha256,
        last_modified=modified,
        max_age=state().settings.cache_seconds,
    )


def _graph_triples(graph: str) -> list[ox.Triple]:
    result = state().store.query(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    )
    assert isinstance(result, ox.QueryTriples)
    return list(result)


# --- downloads ---------------------------------------------------------------------------------


def _dump_rows(release: Release, site: Site) -> list[dict[str, Any]]:
    return [
        {
            "file": dump.file,
            "url": str(site.download_url(dump.file)),
            "format": dump.format,
            "label": rdf_format(dump.format).label,
            "mediaType": dump.media_type,
            "contentType": dump.served_type,
            "compression": dump.compression,
            "bytes": dump.bytes,
            "sha256": dump.sha256,
            "modified": release.modified.isoformat(),
        }
        for dump in release.dumps
    ]


@blueprint.route("/download/")
def downloads() -> Response:
    current, site = state(), _site()
    release = _release(current)
    rows = _dump_rows(release, site)
    links = {
        "catalog": site.url("catalog"),
        "void": site.url(".well-known/void"),
        "changes": site.url("changes"),
    }
    if _choose((HTML, JSON), HTML, None) == HTML:
        return _html("downloads.html", release=release, dumps=rows, links=links)
    return _json(
        {
            "buildId": release.build_id,
            "version": release.version,
            "modified": release.modified.isoformat(),
            "triples": release.triples,
            "dumps": rows,
            **{name: str(url) for name, url in links.items()},
        }
    )


@blueprint.route("/download/<path:name>")
def dump(name: str) -> Response:
    """A dump file, only by a name the manifest lists: nothing outside dumps/ is reachable."""
    current = state()
    release = Release.from_manifest(current.manifest, None)
    found = next((d for d in release.dumps if d.file == name), None)
    if found is None or current.release is None:
        raise NotFound(f"no dump named '{name}'; the dumps are listed at /download/")
    return _file(
        current.release / "dumps" / found.file, found.served_type, found.sha256, release.modified
    )


# --- catalogue and VoID ---------------------------------------------------------------------------


@blueprint.route("/catalog")
@blueprint.route("/catalog.<extension>")
def catalog(extension: str | None = None) -> Response:
    """The DCAT-AP catalogue, with the VoID description of the same dataset merged in."""
    current, site = state(), _site()
    fmt = _choose(GRAPH_FORMATS, TURTLE, extension)
    release = _release(current)
    stats = statistics(current.store, site.base)
    graph = catalog_graph(site, release, coverage(current.store))
    graph += void_graph(site, release, stats, list(current.manifest["graphs"]))
    return _rdf_response(
        from_rdflib(graph),
        fmt,
        extension,
        path="/catalog",
        modified=release.modified,
        prefixes=CATALOG_PREFIXES,
    )


@blueprint.route("/.well-known/void")
def void() -> Response:
    current, site = state(), _site()
    fmt = _choose(GRAPH_FORMATS, TURTLE, None)
    release = _release(current)
    stats = statistics(current.store, site.base)
    graph = void_document(site, release, stats, list(current.manifest["graphs"]))
    return _rdf_response(from_rdflib(graph), fmt, None, path=None, modified=release.modified)


# --- ontology, shapes, validation report -----------------------------------------------------------


@blueprint.route("/def")
@blueprint.route("/def.<extension>")
def ontology(extension: str | None = None) -> Response:
    triples = _graph_triples(ONTOLOGY_GRAPH)
    offered = [f.media_type for f in GRAPH_FORMATS]
    if extension == "html" or (extension is None and wants_html(offered)):
        doc = document(triples, ONTOLOGY_IRI, visitor_language())
        base = state().settings.base
        return _html(
            "ontology.html",
            extension is None,
            doc=doc,
            term=lambda value: term_view(
                ox.NamedNode(value) if isinstance(value, str) else value, base, doc.labels
            ),
            rdf_formats=GRAPH_FORMATS,
        )
    fmt = _choose(GRAPH_FORMATS, TURTLE, extension)
    return _rdf_response(triples, fmt, extension, path="/def")


@blueprint.route("/def/shapes")
@blueprint.route("/def/shapes.<extension>")
def shapes(extension: str | None = None) -> Response:
    """The SHACL shapes the current build was validated against, as the build wrote them: an
    edited shapes file is published with the data it admits, by the next build."""
    current = state()
    listed = current.manifest.get("shapes")
    if current.release is None or listed is None:
        raise NotFound("this build has no shapes: build it again")
    fmt = _choose(GRAPH_FORMATS, TURTLE, extension)
    path = current.release / listed["file"]
    triples = canonical(q.triple for q in ox.parse(path=path, format=ox.RdfFormat.TURTLE))
    return _rdf_response(triples, fmt, extension, path="/def/shapes")


@blueprint.route("/validation-report")
@blueprint.route("/validation-report.<extension>")
def validation_report(extension: str | None = None) -> Response:
    """The report of the validation that admitted the current build."""
    current = state()
    if current.release is None:
        raise NotFound("this build has no validation report")
    report = json.loads((current.release / "validation-report.json").read_text(encoding="utf-8"))
    offered = (REPORT_TURTLE, JSON, TEXT)
    if extension == "html" or (extension is None and wants_html([f.media_type for f in offered])):
        findings = [_finding(r) for r in report["results"]]
        return _html("validation_report.html", extension is None, report=report, findings=findings)
    chosen = _choose(offered, REPORT_TURTLE, extension)
    suffix = {"turtle": "ttl", "json": "json", "text": "txt"}[chosen.name]
    data = (current.release / f"validation-report.{suffix}").read_bytes()
    response = Response(data, content_type=f"{chosen.media_type}; charset=utf-8")
    if extension is None:
        response.vary.add("Accept")
    return response


def _finding(result: dict[str, Any]) -> Finding:
    return Finding(
        severity=result["severity"],
        focus=result["focusNode"],
        path=result["path"],
        value=result["value"],
        messages=result["message"],
        shape=result["sourceShape"],
        component=result["constraintComponent"],
        files=tuple(result["files"]),
    )


# --- named graphs ----------------------------------------------------------------------------


@blueprint.route("/graph/<name>")
def named_graph(name: str) -> Response:
    current = state()
    stem, extension = _split(name)
    graphs = {g["graph"]: g for g in current.manifest["graphs"]}
    iri = GRAPH_BASE + stem
    if iri not in graphs:
        raise NotFound(f"no named graph '{stem}'; the graphs are listed at /sparql and /catalog")
    triples = _graph_triples(iri)
    offered = [f.media_type for f in RDF_FORMATS]
    if extension == "html" or (extension is None and wants_html(offered)):
        return _graph_page(graphs[iri], triples, stem, negotiated=extension is None)
    fmt = _choose(RDF_FORMATS, TURTLE, extension)
    items: list[ox.Triple] | list[ox.Quad] = (
        [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(iri)) for t in triples]
        if fmt.holds_graphs
        else triples
    )
    return _rdf_response(items, fmt, extension, path=f"/graph/{stem}")


def _graph_page(
    described: dict[str, Any], triples: list[ox.Triple], stem: str, negotiated: bool
) -> Response:
    base, lang, iri = state().settings.base, visitor_language(), described["graph"]
    labels = {
        t.subject.value: t.object.value
        for t in triples
        if t.predicate == RDFS_LABEL
        and isinstance(t.subject, ox.NamedNode)
        and isinstance(t.object, ox.Literal)
        and t.object.language == lang
    }
    about = [
        (term_view(t.predicate, base), term_view(t.object, base, labels))
        for t in triples
        if t.subject == ox.NamedNode(iri)
    ]
    subjects = sorted({t.subject for t in triples if isinstance(t.subject, ox.NamedNode)}, key=str)
    return _html(
        "graph.html",
        negotiated,
        graph=described,
        stem=stem,
        about=sorted(about, key=lambda pair: (pair[0].text, pair[1].text)),
        subjects=[term_view(s, base, labels) for s in subjects],
        rdf_formats=RDF_FORMATS,
    )


# --- changes -----------------------------------------------------------------------------------


@blueprint.route("/changes")
def changes_feed() -> Response:
    current, site = state(), _site()
    entries = changes.feed(current.settings.project.build_dir, current.manifest)
    entries = [
        {
            **entry,
            "files": [{**f, "url": str(site.url(f"changes/{f['file']}"))} for f in entry["files"]],
        }
        for entry in entries
    ]
    if _choose((HTML, JSON), HTML, None) == HTML:
        return _html("changes.html", entries=entries)
    return _json({"current": current.manifest["buildId"], "builds": entries})


@blueprint.route("/changes/<name>")
def change_file(name: str) -> Response:
    current = state()
    found = changes.find_file(
        current.settings.project.build_dir, current.release, current.manifest, name
    )
    if found is None:
        raise NotFound(f"no difference file '{name}'; the differences are listed at /changes")
    return _file(
        found.path, "application/n-quads", found.sha256, datetime.fromisoformat(found.built_at)
    )


# --- sitemap, robots, health ---------------------------------------------------------------------


@blueprint.route("/sitemap.xml")
def sitemap() -> Response:
    current, site = state(), _site()
    prefix = f"{site.base}id/"
    rows = current.store.query(
        f'SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), "{prefix}")) }}'
    )
    paths = ["", "sparql", "download/", "def", "catalog", "changes"]
    for row in rows:  # type: ignore[union-attr]
        kind, _, slug = row["s"].value[len(prefix) :].partition("/")
        if is_valid_name(kind) and is_valid_name(slug):
            paths.append(doc_path(kind, slug).lstrip("/"))
    modified = _release(current).modified.isoformat(timespec="seconds")
    urls = "".join(
        f"<url><loc>{escape(site.root + path)}</loc><lastmod>{modified}</lastmod></url>\n"
        for path in sorted(set(paths))
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{urls}</urlset>\n"
    )
    return Response(body, content_type="application/xml; charset=utf-8")


@blueprint.route("/robots.txt")
def robots() -> Response:
    body = f"User-agent: *\nAllow: /\n\nSitemap: {request.url_root}sitemap.xml\n"
    return Response(body, content_type="text/plain; charset=utf-8")


@blueprint.route("/health")
def health() -> Response:
    current = state()
    answers = bool(current.store.query("ASK { ?s ?p ?o }"))
    body = {
        "status": "ok" if answers else "empty",
        "packageVersion": __version__,
        "version": current.version,
        "buildId": current.manifest["buildId"],
        "triples": current.manifest["triples"],
        "builtAt": current.manifest["builtAt"],
    }
    response = _json(body)
    response.status_code = 200 if answers else 503
    response.headers["Cache-Control"] = "no-cache"
    return response
