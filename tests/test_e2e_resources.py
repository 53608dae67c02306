"""End to end: the real server (gunicorn) on a loopback port, read with real clients — urllib
following the 303 from /id/, and rdflib parsing every negotiated document."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
import rdflib
from rdflib.compare import isomorphic

from eurocities_kg.namespaces import CANONICAL_BASE, GRAPH_BASE

pytestmark = pytest.mark.e2e

ID = CANONICAL_BASE + "id/"
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
TIME = rdflib.Namespace("http://www.w3.org/2006/time#")
SCHEMA = rdflib.Namespace("https://schema.org/")
EC = rdflib.Namespace(CANONICAL_BASE + "def#")
FORMATS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
}
RESOURCES = ("city/bochum", "network/eurocities", "person/dario-nardella", "site/brussels-office")


def fetch(url: str, accept: str):
    request = urllib.request.Request(url, headers={"Accept": accept})
    return urllib.request.urlopen(request, timeout=10)


def negotiated(live_server: str, path: str, accept: str) -> rdflib.Graph:
    with fetch(f"{live_server}id/{path}", accept) as response:
        assert response.status == 200
        assert response.url == f"{live_server}doc/{path}"  # urllib followed the 303
        assert response.headers.get_content_type() == accept
        return rdflib.Graph().parse(data=response.read(), format=FORMATS[accept])


@pytest.mark.parametrize("path", RESOURCES)
def test_every_negotiated_document_parses_to_the_same_graph(live_server: str, path: str) -> None:
    graphs = {accept: negotiated(live_server, path, accept) for accept in FORMATS}
    turtle = graphs["text/turtle"]
    thing = rdflib.URIRef(ID + path)
    assert (
        rdflib.URIRef(CANONICAL_BASE + "doc/" + path),
        rdflib.FOAF.primaryTopic,
        thing,
    ) in turtle
    assert len(turtle) > 10
    for accept, graph in graphs.items():
        assert isomorphic(turtle, graph), accept


def test_the_city_document_holds_its_membership_and_start(live_server: str) -> None:
    graph = negotiated(live_server, "city/bochum", "application/ld+json")
    membership = rdflib.URIRef(ID + "membership/bochum")
    assert (membership, ORG.member, rdflib.URIRef(ID + "city/bochum")) in graph
    start = rdflib.URIRef(ID + "membership/bochum#start")
    assert graph.value(start, TIME.inXSDgYearMonth) == rdflib.Literal(
        "2021-03", datatype=rdflib.XSD.gYearMonth
    )
    assert (
        rdflib.URIRef(ID + "country/de"),
        rdflib.RDFS.label,
        rdflib.Literal("Germany", lang="en"),
    ) in graph


def test_the_network_document_holds_its_reported_figures(live_server: str) -> None:
    graph = negotiated(live_server, "network/eurocities", "application/rdf+xml")
    figure = rdflib.URIRef(ID + "figure/bochum-eurocities-page-member-cities")
    assert graph.value(figure, SCHEMA.value) == rdflib.Literal(200)
    assert graph.value(figure, EC.comparator) == EC.moreThan


def test_trig_keeps_each_fact_in_the_graph_of_its_source(live_server: str) -> None:
    with fetch(f"{live_server}doc/person/dario-nardella", "application/trig") as response:
        assert response.headers.get_content_type() == "application/trig"
        dataset = rdflib.Dataset().parse(data=response.read(), format="trig")
    end = rdflib.URIRef(ID + "office/dario-nardella-president-2020#end")
    graphs = {str(c) for _, _, _, c in dataset.quads((end, TIME.inXSDgYearMonth, None, None))}
    assert graphs == {GRAPH_BASE + "radio-wsw-2023", GRAPH_BASE + "eu-political-report-2023"}


def test_rdflib_reads_an_id_iri_of_this_host_directly(live_server: str) -> None:
    graph = rdflib.Graph().parse(f"{live_server}id/forum/culture", format="turtle")
    forum = rdflib.URIRef(ID + "forum/culture")
    assert (forum, rdflib.RDF.type, EC.Forum) in graph
    assert (forum, rdflib.RDFS.label, rdflib.Literal("Forum Kultur", lang="de")) in graph


def test_a_browser_gets_the_page_and_an_unknown_thing_404(live_server: str) -> None:
    with fetch(f"{live_server}id/city/bochum", "text/html") as response:
        page = response.read().decode()
    assert response.headers["Content-Location"] == f"{live_server}doc/city/bochum.html"
    assert "<h1>Bochum" in page
    with pytest.raises(urllib.error.HTTPError) as caught:
        fetch(f"{live_server}id/city/atlantis", "text/turtle")
    assert caught.value.code == 404


def test_the_303_itself(live_server: str) -> None:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(
        f"{live_server}id/city/bochum", headers={"Accept": "text/turtle"}
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        opener.open(request, timeout=10)
    assert caught.value.code == 303
    assert caught.value.headers["Location"] == f"{live_server}doc/city/bochum"
