"""The linked-data pages through the Flask test client: 303 from /id/, content negotiation and
extensions on /doc/, headers, 404/406, languages, paging, and what the HTML page shows."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from eurocities_kg.describe import counts
from eurocities_kg.namespaces import CANONICAL_BASE, EC, GRAPH_BASE
from eurocities_kg.project import Project
from eurocities_kg.settings import load_settings
from eurocities_kg.store import EmbeddedStore
from eurocities_kg.web import create_app
from eurocities_kg.web.state import AppState, load_state

ID = CANONICAL_BASE + "id/"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
RDF_TYPES = {
    "turtle": ("text/turtle", "ttl"),
    "json-ld": ("application/ld+json", "jsonld"),
    "xml": ("application/rdf+xml", "rdf"),
    "nt": ("application/n-triples", "nt"),
}
DATASET_TYPES = {"trig": ("application/trig", "trig"), "nquads": ("application/n-quads", "nq")}
VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _Checker(HTMLParser):
    """Balanced tags, unique ids, no inline scripts or styles (the CSP forbids them)."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        if tag in ("script", "style") or "style" in names or any(n.startswith("on") for n in names):
            self.problems.append(f"inline script or style: <{tag} {attrs}>")
        self.ids += [value or "" for name, value in attrs if name == "id"]
        if tag not in VOID_ELEMENTS:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
        else:
            self.stack.pop()


def assert_valid_html(text: str) -> None:
    assert text.startswith("<!doctype html>")
    checker = _Checker()
    checker.feed(text)
    assert checker.problems == []
    assert checker.stack == []
    assert len(checker.ids) == len(set(checker.ids)), "duplicate ids"


def html(client, path: str, **headers: str) -> str:
    response = client.get(path, headers={"Accept": "text/html", **headers})
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def graph_of(response, fmt: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=response.data, format=fmt)


# --- /id/ → 303 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("accept", ["text/html", "text/turtle", "application/ld+json", "*/*"])
def test_id_answers_303_to_the_same_document_whatever_the_accept(client, accept: str) -> None:
    response = client.get("/id/city/bochum", headers={"Accept": accept})
    assert response.status_code == 303
    assert response.headers["Location"] == "http://localhost/doc/city/bochum"
    assert 'href="http://localhost/doc/city/bochum"' in response.get_data(as_text=True)
    assert response.headers["Link"] == '<http://localhost/doc/city/bochum>; rel="describedby"'


def test_head_on_id_answers_303_without_body(client) -> None:
    response = client.head("/id/city/bochum")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/doc/city/bochum")
    assert response.data == b""


def test_id_keeps_the_language_override(client) -> None:
    response = client.get("/id/city/cologne?lang=de")
    assert response.status_code == 303
    assert response.headers["Location"] == "http://localhost/doc/city/cologne?lang=de"


@pytest.mark.parametrize("accept", ["text/turtle", "application/json", "text/html"])
def test_an_unknown_id_is_404_not_a_redirect(client, accept: str) -> None:
    response = client.get("/id/city/no-such-city", headers={"Accept": accept})
    assert response.status_code == 404
    assert "Location" not in response.headers
    if accept == "text/html":
        assert "no-such-city" in response.get_data(as_text=True)
    else:
        body = json.loads(response.data)
        assert body == {
            "error": {
                "status": 404,
                "title": "not found",
                "message": f"this dataset says nothing about {ID}city/no-such-city",
            }
        }


def test_a_name_that_cannot_be_ours_is_404(client) -> None:
    response = client.get("/id/City/Bochum", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert "lower-case" in json.loads(response.data)["error"]["message"]


# --- /doc/: negotiation, extensions, headers ----------------------------------------------------------


@pytest.mark.parametrize(("fmt", "expected"), list(RDF_TYPES.items()))
def test_doc_negotiates_every_rdf_format(client, fmt: str, expected: tuple[str, str]) -> None:
    media_type, extension = expected
    response = client.get("/doc/city/bochum", headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert response.headers["Content-Location"] == f"http://localhost/doc/city/bochum.{extension}"
    assert "Accept" in response.headers["Vary"]
    graph = graph_of(response, fmt)
    bochum = rdflib.URIRef(ID + "city/bochum")
    assert (bochum, rdflib.RDFS.label, rdflib.Literal("Bochum", lang="de")) in graph
    doc = rdflib.URIRef(CANONICAL_BASE + "doc/city/bochum")
    assert (doc, rdflib.FOAF.primaryTopic, bochum) in graph


@pytest.mark.parametrize(("fmt", "expected"), list(DATASET_TYPES.items()))
def test_dataset_formats_keep_the_named_graphs(client, fmt: str, expected: tuple[str, str]) -> None:
    media_type, _ = expected
    response = client.get("/doc/city/essen", headers={"Accept": media_type})
    assert response.mimetype == media_type
    dataset = rdflib.Dataset().parse(data=response.data, format=fmt)
    start = rdflib.URIRef(ID + "membership/essen#start")
    graphs = {
        str(c)
        for s, p, o, c in dataset.quads(
            (start, rdflib.URIRef(str(rdflib.namespace.TIME) + "inXSDgYear"), None, None)
        )
    }
    assert graphs == {GRAPH_BASE + "essen-europe-direct"}


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (BROWSER, "text/html"),
        ("text/html;q=0.5, text/turtle", "text/turtle"),
        ("application/rdf+xml;q=0.9, application/ld+json", "application/ld+json"),
        ("application/n-triples;q=0.2, text/turtle;q=0.3", "text/turtle"),
        ("*/*", "text/html"),
    ],
)
def test_q_values_are_respected(client, accept: str, expected: str) -> None:
    response = client.get("/doc/city/bochum", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == expected


def test_without_accept_the_document_is_html(client) -> None:
    response = client.get("/doc/city/bochum")
    assert response.mimetype == "text/html"
    assert response.headers["Content-Location"] == "http://localhost/doc/city/bochum.html"


def test_an_unacceptable_accept_is_406_naming_what_is_offered(client) -> None:
    response = client.get("/doc/city/bochum", headers={"Accept": "image/png"})
    assert response.status_code == 406
    message = json.loads(response.data)["error"]["message"]
    for offered in ("text/html", "text/turtle", "application/ld+json", "application/trig"):
        assert offered in message


@pytest.mark.parametrize(
    ("extension", "media_type"),
    [
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("rdf", "application/rdf+xml"),
        ("nt", "application/n-triples"),
        ("html", "text/html"),
        ("trig", "application/trig"),
        ("nq", "application/n-quads"),
    ],
)
def test_an_extension_fixes_the_type_whatever_the_accept(
    client, extension: str, media_type: str
) -> None:
    response = client.get(f"/doc/city/bochum.{extension}", headers={"Accept": "image/png"})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Accept" not in response.vary
    assert "Content-Location" not in response.headers


def test_an_unknown_extension_is_404(client) -> None:
    response = client.get("/doc/city/bochum.xyz", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert ".ttl" in json.loads(response.data)["error"]["message"]


def test_an_unknown_document_is_404_in_rdf_too(client) -> None:
    for path in ("/doc/city/atlantis", "/doc/city/atlantis.ttl"):
        response = client.get(path, headers={"Accept": "text/turtle"})
        assert response.status_code == 404
        assert json.loads(response.data)["error"]["status"] == 404


def test_link_header_lists_every_format_and_the_thing(client) -> None:
    response = client.get("/doc/city/bochum.ttl")
    link = response.headers["Link"]
    for media_type, extension in (
        *RDF_TYPES.values(),
        *DATASET_TYPES.values(),
        ("text/html", "html"),
    ):
        assert (
            f'<http://localhost/doc/city/bochum.{extension}>; rel="alternate"; type="{media_type}"'
            in link
        )
    assert f'<{ID}city/bochum>; rel="about"' in link


def test_the_html_page_links_its_rdf_alternates(client) -> None:
    page = html(client, "/doc/city/bochum")
    assert (
        '<link rel="alternate" type="text/turtle" href="http://localhost/doc/city/bochum.ttl">'
        in page
    )
    assert 'href="http://localhost/doc/city/bochum.trig"' in page


def test_responses_are_cacheable_and_conditional(client) -> None:
    first = client.get("/doc/city/bochum.ttl")
    assert first.status_code == 200
    etag = first.headers["ETag"]
    second = client.get("/doc/city/bochum.ttl", headers={"If-None-Match": etag})
    assert second.status_code == 304
    assert second.data == b""


def test_representations_are_isomorphic_and_use_canonical_iris(client) -> None:
    turtle = graph_of(client.get("/doc/network/eurocities.ttl"), "turtle")
    for fmt, (_, extension) in RDF_TYPES.items():
        assert isomorphic(
            turtle, graph_of(client.get(f"/doc/network/eurocities.{extension}"), fmt)
        ), fmt
    subjects = {str(s) for s in turtle.subjects()}
    assert not any("localhost" in s for s in subjects)
    doc_subjects = {(str(s), str(p)) for s, p, _ in turtle if "/doc/" in str(s)}
    assert {p for _, p in doc_subjects} == {
        str(rdflib.FOAF.primaryTopic),
        str(rdflib.DCTERMS.license),
    }


# --- paging ------------------------------------------------------------------------------------------


@pytest.fixture
def paged(real_build: Project):
    application = create_app(load_settings(real_build, page_size=3))
    application.testing = True
    return application.test_client()


def test_many_incoming_links_are_paged_with_link_headers(paged) -> None:
    first = paged.get("/doc/network/eurocities.ttl")
    assert (
        '<http://localhost/doc/network/eurocities.ttl?page=2>; rel="next"' in first.headers["Link"]
    )
    assert 'rel="prev"' not in first.headers["Link"]
    second = paged.get("/doc/network/eurocities.ttl?page=2")
    assert second.status_code == 200
    assert (
        '<http://localhost/doc/network/eurocities.ttl?page=1>; rel="prev"' in second.headers["Link"]
    )
    network = rdflib.URIRef(ID + "network/eurocities")
    incoming_1 = {
        (s, p)
        for s, p, _ in graph_of(first, "turtle").triples((None, None, network))
        if "/doc/" not in s
    }
    incoming_2 = {
        (s, p)
        for s, p, _ in graph_of(second, "turtle").triples((None, None, network))
        if "/doc/" not in s
    }
    only_1, only_2 = incoming_1 - incoming_2, incoming_2 - incoming_1
    assert len(only_1) == 3
    assert len(only_2) == 3  # the page's own incoming links, beside the memberships of every page


def test_the_negotiated_url_pages_too(paged) -> None:
    response = paged.get("/doc/network/eurocities?page=2", headers={"Accept": "text/turtle"})
    assert (
        response.headers["Content-Location"] == "http://localhost/doc/network/eurocities.ttl?page=2"
    )
    assert (
        '<http://localhost/doc/network/eurocities?page=3>; rel="next"' in response.headers["Link"]
    )


def test_the_html_pager_links_the_pages(paged) -> None:
    page = html(paged, "/doc/network/eurocities?page=2")
    assert re.search(r'<a rel="prev" href="http://localhost/doc/network/eurocities\?page=1">', page)
    assert re.search(r'<a rel="next" href="http://localhost/doc/network/eurocities\?page=3">', page)


def test_a_page_beyond_the_last_is_404_and_a_bad_page_400(paged) -> None:
    assert paged.get("/doc/network/eurocities.ttl?page=99").status_code == 404
    assert paged.get("/doc/network/eurocities.ttl?page=0").status_code == 400
    assert paged.get("/doc/network/eurocities.ttl?page=two").status_code == 400


# --- the HTML page -----------------------------------------------------------------------------------


def test_the_page_is_valid_html_in_the_visitors_language(client) -> None:
    page = html(client, "/doc/city/cologne", **{"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"})
    assert_valid_html(page)
    assert '<html lang="de">' in page
    assert "<title>Köln · eurocities-kg</title>" in page
    english = html(client, "/doc/city/cologne", **{"Accept-Language": "en"})
    assert "<title>Cologne · eurocities-kg</title>" in english


def test_lang_overrides_accept_language_and_the_page_varies(client) -> None:
    response = client.get(
        "/doc/city/cologne?lang=en", headers={"Accept": "text/html", "Accept-Language": "de"}
    )
    assert "<title>Cologne · eurocities-kg</title>" in response.get_data(as_text=True)
    assert "Accept-Language" not in response.vary
    negotiated = client.get("/doc/city/cologne", headers={"Accept": "text/html"})
    assert "Accept-Language" in negotiated.vary


def test_a_label_missing_in_the_language_falls_back_to_the_other(client) -> None:
    page = html(client, "/doc/working-group/culture-culture-and-young-people?lang=de")
    assert '<html lang="de">' in page
    assert "<title>Culture and young people · eurocities-kg</title>" in page


def test_every_fact_shows_its_source_linked_to_its_page(client) -> None:
    page = html(client, "/doc/city/bochum")
    source = re.compile(
        r'<a class="source" href="https://www\.bochum\.de/Internationales/Eurocities"[^>]*>City of Bochum: page “Eurocities”</a>'
    )
    assert len(source.findall(page)) >= 4
    assert '<a class="source" href="https://www.wikidata.org/"' in page
    assert '<a href="/graph/links-wikidata"><code>' in page  # the graph itself, served here


def test_a_fact_stated_by_two_sources_shows_both(client) -> None:
    page = html(client, "/doc/city/essen")
    row = page[page.index("memberships-heading") :]
    row = row[: row.index("</tr>", row.index("<tbody>"))]
    assert "Sources:" in row
    assert "City of Bochum: page “Eurocities”" in row
    assert "essen.de: European networking (Europe Direct)" in row
    assert "since autumn 2013" in row


def test_periods_are_shown_as_words(client) -> None:
    assert "since March 2021" in html(client, "/doc/city/bochum")
    assert "seit März 2021" in html(client, "/doc/city/bochum?lang=de")
    nardella = html(client, "/doc/person/dario-nardella")
    assert "5 Nov 2020 – June 2023 (inferred)" in nardella
    assert "about 2020" in html(client, "/doc/working-group/culture-culture-and-young-people")
    assert "until 5 Nov 2020 (inferred)" in html(client, "/doc/person/anna-konig-jerlmyr")
    assert "seit Mitte der 1990er-Jahre" in html(client, "/doc/city/berlin?lang=de")
    assert "2 Apr 2007" in html(client, "/doc/site/brussels-office")  # a date value, in words


def test_inferred_and_low_confidence_statements_are_marked(client) -> None:
    page = html(client, "/doc/network/eurocities")
    members = page[page.index("members-heading") : page.index("offices-heading")]
    florence = members[members.index(">Florence<") :]
    assert florence[: florence.index("</tr>")].count('<span class="badge">inferred</span>') == 1
    hagen = members[members.index(">Hagen<") :]
    assert '<span class="badge">low confidence</span>' in hagen[: hagen.index("</tr>")]
    bochum = members[members.index(">Bochum<") :]
    assert 'class="badge"' not in bochum[: bochum.index("</tr>")]
    assert '<span class="badge">erschlossen</span>' in html(
        client, "/doc/membership/leipzig?lang=de"
    )


def test_reported_figures_stand_beside_what_the_graph_counts(client, real_build: Project) -> None:
    page = html(client, "/doc/network/eurocities")
    figures = page[page.index("figures-heading") : page.index("members-heading")]
    row = figures[figures.index(">member cities<") :]
    row = row[: row.index("</tr>")]
    assert "more than 200" in row
    assert "City of Bochum: page “Eurocities”" in row
    store = EmbeddedStore.from_build(real_build.build_dir)
    counted = counts(store, ID + "network/eurocities")[str(EC.memberCities)]
    assert f'<td class="counted">{counted}</td>' in row
    members = figures[figures.index(">members<") :]
    assert "137" in members[: members.index("</tr>")]
    assert "as of 31 Dec 2016" in members[: members.index("</tr>")]


def test_values_that_read_alike_are_told_apart(client) -> None:
    page = html(client, "/doc/person/dario-nardella")
    assert "person (foaf:Person)" in page
    assert "person (schema:Person)" in page
    assert page.count('<p class="kinds">') == 1
    kinds = page[page.index('<p class="kinds">') :]
    assert kinds[: kinds.index("</p>")].count("<a ") == 1  # one "person" in the heading


def test_wikidata_links_and_iris_as_local_links(client) -> None:
    page = html(client, "/doc/city/bochum")
    assert (
        '<a class="wikidata-link" href="https://www.wikidata.org/wiki/Q2103">Wikidata: Q2103</a>'
        in page
    )
    assert (
        '<a href="/id/country/de" title="https://w3id.org/eurocities-kg/id/country/de">Germany</a>'
        in page
    )
    assert '<a href="https://schema.org/City">city</a>' in page  # an outside IRI links out


def test_property_labels_come_from_the_ontology(client) -> None:
    page = html(client, "/doc/figure/bochum-eurocities-page-member-cities?lang=de")
    assert (
        f'<a href="/def#comparator" title="{CANONICAL_BASE}def#comparator">Vergleichsoperator</a>'
        in page
    )
    assert '<span class="pname">ec:comparator</span>' in page


def test_nested_parts_are_shown_under_the_fact_that_links_them(client) -> None:
    page = html(client, "/doc/site/brussels-office")
    assert "Square de Meeûs 1" in page
    assert page.index("schema:address") < page.index("Square de Meeûs 1")


def test_the_query_link_runs_a_select_for_the_resource(client) -> None:
    page = html(client, "/doc/city/bochum")
    href = re.search(r'<a class="button" href="(/sparql\?query=[^"]+)"', page)
    assert href
    query = parse_qs(urlsplit(href.group(1).replace("&amp;", "&")).query)["query"][0]
    assert f"<{ID}city/bochum>" in query
    result = client.get(
        "/sparql",
        query_string={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    rows = json.loads(result.data)["results"]["bindings"]
    assert {"p", "o", "g"} <= set(rows[0])
    assert any(r["g"]["value"] == GRAPH_BASE + "links-wikidata" for r in rows)


def test_the_unknown_resource_page_suggests_similar_names(client) -> None:
    response = client.get("/doc/city/bochm", headers={"Accept": BROWSER})
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert_valid_html(page)
    assert '<a href="/id/city/bochum?lang=en">city/bochum</a>' in page
    assert 'href="/?lang=en"' in page


def test_data_is_escaped_never_marked_safe(real_build: Project) -> None:
    evil = "<script>alert(1)</script>"
    thing = ox.NamedNode(ID + "city/evil")
    graph = ox.NamedNode(GRAPH_BASE + "evil")
    quads = [
        ox.Quad(
            thing,
            ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
            ox.Literal(evil, language="en"),
            graph,
        ),
        ox.Quad(
            thing,
            ox.NamedNode("https://schema.org/description"),
            ox.Literal('" onmouseover="x'),
            graph,
        ),
    ]
    state = load_state(load_settings(real_build))
    fake = AppState(
        state.settings, EmbeddedStore.in_memory(quads), state.manifest, state.release, ()
    )
    application = create_app(app_state=fake)
    page = html(application.test_client(), "/doc/city/evil")
    assert evil not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert_valid_html(page)
