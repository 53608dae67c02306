"""The dataset routes through the Flask test client: downloads, ontology, shapes, validation report,
named graphs, changes, sitemap, robots.txt and health — representations, errors and caching."""

from __future__ import annotations

import gzip
import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from email.utils import parsedate_to_datetime

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, RDFS, SH, VOID

from eurocities_kg.build import build
from eurocities_kg.namespaces import GRAPH_BASE
from eurocities_kg.settings import load_settings
from eurocities_kg.web import create_app
from eurocities_kg.web.state import KEY

from .test_changes import change_data, ticking_clock

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
EC = "https://w3id.org/eurocities-kg/def#"


def manifest(app) -> dict:
    return dict(app.extensions[KEY].manifest)


# --- downloads ------------------------------------------------------------------------------


def test_downloads_page_lists_every_dump(client, app) -> None:
    page = client.get("/download/")
    assert page.mimetype == "text/html"
    assert "Accept" in page.headers["Vary"]
    html = page.get_data(as_text=True)
    for dump in manifest(app)["dumps"]:
        assert f'href="http://localhost/download/{dump["file"]}"' in html
        assert dump["sha256"] in html
        assert f'data-bytes="{dump["bytes"]}"' in html
    assert client.get("/download/", headers={"Accept": BROWSER}).mimetype == "text/html"


@pytest.mark.parametrize(
    ("path", "headers"),
    [("/download/", {"Accept": "application/json"}), ("/download/?format=json", {})],
)
def test_downloads_as_json(client, app, path: str, headers: dict) -> None:
    body = client.get(path, headers=headers).get_json()
    listed = {d["file"]: d for d in body["dumps"]}
    assert set(listed) == {d["file"] for d in manifest(app)["dumps"]}
    gz = listed["eurocities-kg.nt.gz"]
    assert (gz["mediaType"], gz["contentType"], gz["compression"]) == (
        "application/n-triples",
        "application/gzip",
        "gzip",
    )
    assert body["modified"] == body["dumps"][0]["modified"]
    assert body["catalog"] == "http://localhost/catalog"


@pytest.mark.parametrize(
    ("file", "content_type"),
    [
        ("eurocities-kg.ttl", "text/turtle"),
        ("eurocities-kg.nt.gz", "application/gzip"),
        ("eurocities-kg.jsonld", "application/ld+json"),
        ("eurocities-kg.rdf", "application/rdf+xml"),
        ("eurocities-kg.trig", "application/trig"),
        ("eurocities-kg.nq", "application/n-quads"),
    ],
)
def test_each_dump_is_served_with_its_type_size_and_checksum(
    client, app, file: str, content_type: str
) -> None:
    listed = next(d for d in manifest(app)["dumps"] if d["file"] == file)
    response = client.get(f"/download/{file}")
    assert response.status_code == 200
    assert response.mimetype == content_type
    assert "Content-Encoding" not in response.headers  # a .gz file is served as it is
    body = response.get_data()
    assert int(response.headers["Content-Length"]) == len(body) == listed["bytes"]
    assert hashlib.sha256(body).hexdigest() == listed["sha256"]
    assert response.headers["ETag"] == f'"{listed["sha256"]}"'  # strong
    modified = parsedate_to_datetime(response.headers["Last-Modified"])
    assert modified.isoformat() == manifest(app).get("dataModifiedAt", manifest(app)["builtAt"])


def test_the_gzip_dump_holds_every_triple(client, app) -> None:
    response = client.get("/download/eurocities-kg.nt.gz")
    assert response.headers["Content-Type"] == "application/gzip"
    data = gzip.decompress(response.get_data())
    assert len(rdflib.Graph().parse(data=data, format="nt")) == manifest(app)["triples"]


def test_dumps_answer_conditional_and_range_requests(client) -> None:
    first = client.get("/download/eurocities-kg.ttl")
    etag, since = first.headers["ETag"], first.headers["Last-Modified"]
    assert (
        client.get("/download/eurocities-kg.ttl", headers={"If-None-Match": etag}).status_code
        == 304
    )
    assert (
        client.get("/download/eurocities-kg.ttl", headers={"If-Modified-Since": since}).status_code
        == 304
    )
    assert (
        client.get("/download/eurocities-kg.ttl", headers={"If-None-Match": '"x"'}).status_code
        == 200
    )
    part = client.get("/download/eurocities-kg.ttl", headers={"Range": "bytes=0-9"})
    assert part.status_code == 206
    assert part.get_data() == first.get_data()[:10]
    head = client.head("/download/eurocities-kg.ttl")
    assert head.status_code == 200
    assert head.headers["ETag"] == etag


@pytest.mark.parametrize(
    "path",
    [
        "/download/../manifest.json",
        "/download/..%2fmanifest.json",
        "/download/%2e%2e/manifest.json",
        "/download/%2e%2e%2fmanifest.json",
        "/download/..%5cmanifest.json",
        "/download/dumps/../../manifest.json",
        "/download/eurocities-kg.ttl/../../manifest.json",
        "/download//etc/passwd",
        "/download/%2Fetc%2Fpasswd",
        "/download/store",
        "/download/validation-report.json",
        "/download/eurocities-kg.ttl.bak",
    ],
)
def test_nothing_outside_the_dumps_is_served(client, path: str) -> None:
    response = client.get(path, follow_redirects=True)  # `//` is first merged by a 308
    assert response.status_code == 404
    assert b'"buildId"' not in response.get_data()
    assert response.get_json()["error"]["status"] == 404


# --- ontology and shapes -----------------------------------------------------------------------


def ontology_terms(client) -> set[str]:
    graph = rdflib.Graph().parse(data=client.get("/def.ttl").get_data(), format="turtle")
    return {str(s) for s in graph.subjects() if str(s).startswith(EC)}


def test_ontology_page_has_an_anchor_for_every_term(client) -> None:
    response = client.get("/def", headers={"Accept": BROWSER})
    assert response.mimetype == "text/html"
    assert "Accept" in response.headers["Vary"]
    html = response.get_data(as_text=True)
    terms = ontology_terms(client)
    assert len(terms) > 50
    for term in terms:
        assert f'id="{term.removeprefix(EC)}"' in html, term
    links = set(re.findall(r'href="/def#([^"]+)"', html))  # {base}def#Term → /def#Term
    assert "ReportedFigure" in links  # the domain of ec:about
    assert all(f'id="{anchor}"' in html for anchor in links)


@pytest.mark.parametrize(
    ("lang", "label", "comment"),
    [
        ("de", "Arbeitsgruppe", "Eine Arbeitsgruppe innerhalb eines Forums"),
        ("en", "Working group", "A working group within a forum"),
    ],
)
def test_ontology_page_speaks_the_visitor_s_language(
    client, lang: str, label: str, comment: str
) -> None:
    by_header = client.get("/def", headers={"Accept": BROWSER, "Accept-Language": lang})
    by_parameter = client.get(f"/def?lang={lang}", headers={"Accept": BROWSER})
    for response in (by_header, by_parameter):
        html = response.get_data(as_text=True)
        article = html[html.index('id="WorkingGroup"') :][:1500]
        assert label in article
        assert comment in article


@pytest.mark.parametrize(
    ("extension", "media_type", "rdflib_format"),
    [
        ("ttl", "text/turtle", "turtle"),
        ("nt", "application/n-triples", "nt"),
        ("jsonld", "application/ld+json", "json-ld"),
        ("rdf", "application/rdf+xml", "xml"),
    ],
)
def test_ontology_in_every_rdf_format(
    client, extension: str, media_type: str, rdflib_format: str
) -> None:
    fixed = client.get(f"/def.{extension}", headers={"Accept": BROWSER})
    negotiated = client.get("/def", headers={"Accept": media_type})
    assert fixed.mimetype == negotiated.mimetype == media_type
    assert negotiated.headers["Content-Location"] == f"/def.{extension}"
    graphs = [
        rdflib.Graph().parse(data=r.get_data(), format=rdflib_format) for r in (fixed, negotiated)
    ]
    assert isomorphic(graphs[0], graphs[1])
    [ontology] = graphs[0].subjects(RDF.type, OWL.Ontology)
    assert str(ontology) == "https://w3id.org/eurocities-kg/def"
    forum = rdflib.URIRef(EC + "Forum")
    assert {label.language for label in graphs[0].objects(forum, RDFS.label)} == {"de", "en"}


def test_ontology_defaults_to_turtle_and_refuses_other_types(client) -> None:
    assert client.get("/def").mimetype == "text/turtle"
    assert client.get("/def.html").mimetype == "text/html"
    assert client.get("/def", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/def.xyz").status_code == 404


def test_shapes_are_published(client, real_build) -> None:
    for path in ("/def/shapes", "/def/shapes.ttl"):
        response = client.get(path)
        assert response.mimetype == "text/turtle"
        graph = rdflib.Graph().parse(data=response.get_data(), format="turtle")
        assert isomorphic(graph, rdflib.Graph().parse(real_build.shapes_file))
        assert any(graph.subjects(RDF.type, SH.NodeShape))
    assert client.get("/def/shapes.nt").mimetype == "application/n-triples"


def test_shapes_come_from_the_build_not_the_working_tree(tiny_project) -> None:
    """An edited shapes file is published with the data it admits: by the next build."""

    def served() -> rdflib.Graph:
        app = create_app(load_settings(tiny_project))  # as a worker started now would serve it
        response = app.test_client().get("/def/shapes.ttl")
        assert response.status_code == 200
        return rdflib.Graph().parse(data=response.get_data(), format="turtle")

    build(tiny_project)
    built = rdflib.Graph().parse(tiny_project.shapes_file)
    assert isomorphic(served(), built)
    edited = tiny_project.shapes_file.read_text() + (
        "\necsh:NewShape a sh:NodeShape ; sh:targetClass schema:Place .\n"
    )
    tiny_project.shapes_file.write_text(edited)
    new_shape = rdflib.URIRef("https://w3id.org/eurocities-kg/shapes#NewShape")
    assert isomorphic(served(), built)  # not yet built: the current build's shapes
    assert (new_shape, RDF.type, SH.NodeShape) not in served()
    build(tiny_project)
    assert (new_shape, RDF.type, SH.NodeShape) in served()


def test_a_build_without_shapes_answers_404(tiny_project) -> None:
    """A build from before the shapes were kept in the release: no shapes rather than the working
    tree's."""
    build(tiny_project)
    app = create_app(load_settings(tiny_project))
    current = app.extensions[KEY]
    app.extensions[KEY] = replace(
        current, manifest={k: v for k, v in current.manifest.items() if k != "shapes"}
    )
    response = app.test_client().get("/def/shapes")
    assert response.status_code == 404
    assert "build it again" in response.get_json()["error"]["message"]


# --- validation report ------------------------------------------------------------------------


def test_validation_report_in_each_form(client, real_build) -> None:
    turtle = client.get("/validation-report")
    assert turtle.mimetype == "text/turtle"
    report = rdflib.Graph().parse(data=turtle.get_data(), format="turtle")
    assert (None, SH.conforms, rdflib.Literal(True)) in report
    body = client.get("/validation-report.json").get_json()
    assert body["conforms"] is True
    assert body["violations"] == 0
    assert (
        client.get("/validation-report", headers={"Accept": "application/json"}).get_json() == body
    )
    text = client.get("/validation-report.txt")
    assert text.mimetype == "text/plain"
    assert "violation(s)" in text.get_data(as_text=True)
    html = client.get("/validation-report", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert html.count('<tr class="warning">') == body["warnings"]
    assert client.get("/validation-report.xyz").status_code == 404


# --- named graphs ------------------------------------------------------------------------------


def test_every_named_graph_is_served_with_its_triples(client, app) -> None:
    for described in manifest(app)["graphs"]:
        name = described["graph"].removeprefix(GRAPH_BASE)
        nt = client.get(f"/graph/{name}.nt")
        assert nt.mimetype == "application/n-triples"
        assert len(rdflib.Graph().parse(data=nt.get_data(), format="nt")) == described["triples"]
        quads = list(
            ox.parse(client.get(f"/graph/{name}.nq").get_data(), format=ox.RdfFormat.N_QUADS)
        )
        assert {q.graph_name.value for q in quads} == {described["graph"]}
        assert len(quads) == described["triples"]


def test_named_graph_page_shows_count_and_source(client) -> None:
    response = client.get("/graph/links-wikidata", headers={"Accept": BROWSER})
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<dd class="triples">34</dd>' in html
    assert "data/links/wikidata.ttl" in html
    assert 'href="/id/source/wikidata"' in html  # prov:wasDerivedFrom its source
    assert client.get("/graph/links-wikidata").mimetype == "text/turtle"


@pytest.mark.parametrize(
    "path", ["/graph/no-such-graph", "/graph/..%2fmanifest", "/graph/ontology.xyz"]
)
def test_unknown_graphs_are_404(client, path: str) -> None:
    assert client.get(path).status_code == 404


# --- changes ------------------------------------------------------------------------------------


@pytest.fixture
def tiny_client(tiny_project):
    """An app over the tiny project built twice, with one data change in between."""
    clock = ticking_clock()
    build(tiny_project, clock=clock)
    change_data(tiny_project)
    build(tiny_project, clock=clock)
    application = create_app(load_settings(tiny_project))
    application.testing = True
    return application.test_client()


def test_changes_feed_lists_builds_and_serves_the_differences(tiny_client) -> None:
    body = tiny_client.get("/changes", headers={"Accept": "application/json"}).get_json()
    newest, oldest = body["builds"]
    assert body["current"] == newest["buildId"]
    assert oldest["previousBuildId"] is None
    assert (newest["added"], newest["removed"]) == (1, 1)
    added, removed = newest["files"]
    response = tiny_client.get(added["url"])
    assert response.status_code == 200
    assert response.mimetype == "application/n-quads"
    assert response.headers["ETag"] == f'"{added["sha256"]}"'
    assert '"Cologne"@en' in response.get_data(as_text=True)
    assert '"Bochum"@en' in tiny_client.get(removed["url"]).get_data(as_text=True)
    etag = response.headers["ETag"]
    assert tiny_client.get(added["url"], headers={"If-None-Match": etag}).status_code == 304
    html = tiny_client.get("/changes", headers={"Accept": BROWSER}).get_data(as_text=True)
    assert added["url"] in html
    assert f'id="{oldest["buildId"]}"' in html


def test_a_small_project_is_described_too(tiny_client) -> None:
    """No countries, no dates, no network: the catalogue and VoID still describe what there is."""
    catalog = rdflib.Graph().parse(data=tiny_client.get("/catalog").get_data(), format="turtle")
    [dataset] = catalog.subjects(RDF.type, DCAT.Dataset)
    assert int(catalog.value(dataset, VOID.triples)) == 13
    period = catalog.value(dataset, DCTERMS.temporal)
    assert catalog.value(period, DCAT.startDate) is None
    assert catalog.value(dataset, VOID.rootResource) is None
    assert list(catalog.objects(dataset, DCTERMS.spatial)) == [
        rdflib.URIRef("http://publications.europa.eu/resource/authority/continent/EUROPE")
    ]
    assert tiny_client.get("/.well-known/void").status_code == 200


def test_the_catalogue_changes_when_and_only_when_the_data_change(tiny_project) -> None:
    """CAT-5: a rebuild of the same data gives the same catalogue (same ETag, same dct:modified),
    so a harvester's conditional request still gets 304; changed data give a new one."""
    clock = ticking_clock()

    def catalogue():
        build(tiny_project, clock=clock)
        application = create_app(load_settings(tiny_project))
        return application.test_client().get("/catalog")

    first, same = catalogue(), catalogue()
    assert same.headers["ETag"] == first.headers["ETag"]
    assert same.headers["Last-Modified"] == first.headers["Last-Modified"]
    change_data(tiny_project)
    changed = catalogue()
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert parsedate_to_datetime(changed.headers["Last-Modified"]) > parsedate_to_datetime(
        first.headers["Last-Modified"]
    )


@pytest.mark.parametrize(
    "name", ["..%2fmanifest.json", "nothing.added.nq", "%2e%2e%2fcurrent%2fmanifest.json"]
)
def test_unknown_change_files_are_404(tiny_client, name: str) -> None:
    assert tiny_client.get(f"/changes/{name}").status_code == 404


def test_first_build_has_no_difference_files(client, app) -> None:
    body = client.get("/changes?format=json").get_json()
    assert [b["buildId"] for b in body["builds"]] == [manifest(app)["buildId"]]
    assert body["builds"][0]["files"] == []


# --- sitemap, robots, health ----------------------------------------------------------------


def test_sitemap_lists_every_thing_s_page_and_the_main_pages(client) -> None:
    response = client.get("/sitemap.xml")
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.get_data())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    for page in ("", "sparql", "download/", "def", "catalog"):
        assert f"http://localhost/{page}" in urls
    things = client.get(
        "/sparql?query="
        + "SELECT%20DISTINCT%20%3Fs%20WHERE%20%7B%20%3Fs%20%3Fp%20%3Fo%20FILTER(STRSTARTS(STR(%3Fs)%2C%20%22https%3A%2F%2Fw3id.org%2Feurocities-kg%2Fid%2F%22)%20%26%26%20!CONTAINS(STR(%3Fs)%2C%20%22%23%22))%20%7D"
    ).get_json()["results"]["bindings"]
    docs = {u for u in urls if "/doc/" in u}
    assert len(docs) == len(things) > 100
    for url in sorted(docs)[::25]:  # a sample of the pages answers (X-7)
        assert client.get(url).status_code == 200, url


def test_robots_allows_all_and_names_the_sitemap(client) -> None:
    response = client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /" in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines


def test_health_reports_the_build(client, app) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_json()
    m = manifest(app)
    assert body["status"] == "ok"
    assert (body["version"], body["buildId"], body["triples"], body["builtAt"]) == (
        m["version"],
        m["buildId"],
        m["triples"],
        m["builtAt"],
    )


# --- caching on every route --------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/download/",
        "/download/eurocities-kg.nq",
        "/catalog",
        "/catalog.jsonld",
        "/.well-known/void",
        "/def",
        "/def.rdf",
        "/def/shapes",
        "/validation-report",
        "/graph/ontology",
        "/changes",
        "/sitemap.xml",
        "/robots.txt",
        "/health",
    ],
)
def test_every_route_is_cacheable_and_answers_304(client, path: str) -> None:
    first = client.get(path)
    assert first.status_code == 200
    assert first.headers["Last-Modified"]
    etag = first.headers["ETag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    assert "max-age" in first.headers["Cache-Control"] or path == "/health"
