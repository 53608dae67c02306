"""The SPARQL endpoint through the Flask test client: negotiation, errors, the service description,
the query page, and what is refused."""

from __future__ import annotations

import urllib.parse

import pytest
import rdflib

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
ASK = "ASK { ?s ?p ?o }"
SELECT = "SELECT ?s WHERE { ?s a <https://schema.org/City> } LIMIT 2"


def get(client, query: str, **headers: str):
    return client.get("/sparql?" + urllib.parse.urlencode({"query": query}), headers=headers)


def test_select_defaults_to_json_and_varies_on_accept(client) -> None:
    response = get(client, SELECT)
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    assert "Accept" in response.headers["Vary"]
    assert len(response.get_json()["results"]["bindings"]) == 2


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (
            "application/sparql-results+xml;q=0.5, application/sparql-results+json",
            "application/sparql-results+json",
        ),
        (
            "application/sparql-results+json;q=0.4, application/sparql-results+xml",
            "application/sparql-results+xml",
        ),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("*/*", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
    ],
)
def test_accept_with_q_values(client, accept: str, expected: str) -> None:
    assert get(client, SELECT, Accept=accept).mimetype == expected


def test_csv_and_tsv_declare_utf8(client) -> None:
    assert (
        get(client, SELECT, Accept="text/csv").headers["Content-Type"] == "text/csv; charset=utf-8"
    )


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("xml", "application/sparql-results+xml"),
    ],
)
def test_format_parameter_wins_over_accept(client, fmt: str, expected: str) -> None:
    response = client.get(
        "/sparql?" + urllib.parse.urlencode({"query": SELECT, "format": fmt}),
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.mimetype == expected


def test_ask_is_never_csv(client) -> None:
    response = get(client, ASK, Accept="text/csv")
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.get_json()["error"]["message"]


def test_not_acceptable_names_what_is_offered(client) -> None:
    response = get(client, SELECT, Accept="image/png")
    assert response.status_code == 406
    message = response.get_json()["error"]["message"]
    assert "image/png" in message
    assert "text/csv" in message


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/n-triples", "application/n-triples"),
        ("application/trig", "application/trig"),
        ("application/n-quads", "application/n-quads"),
    ],
)
def test_construct_formats(client, accept: str | None, expected: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response = get(client, "CONSTRUCT WHERE { ?s a <https://schema.org/City> }", **headers)
    assert response.mimetype == expected
    assert len(response.get_data()) > 100


def test_construct_resolves_relative_iris_against_the_endpoint(client) -> None:
    body = get(
        client, "CONSTRUCT { <s> <p> 1 } WHERE {}", Accept="application/n-triples"
    ).get_data()
    assert body.startswith(b"<http://localhost/s> <http://localhost/p>")


def test_syntax_error_is_400_with_position(client) -> None:
    response = get(client, "SELECT * WHERE { ?s ?p }")
    assert response.status_code == 400
    assert response.get_json()["error"]["message"].startswith(
        "SPARQL syntax error at line 1, column 25"
    )


def test_error_body_can_be_plain_text(client) -> None:
    response = get(client, "ASK {", Accept="text/plain")
    assert response.status_code == 400
    assert response.get_data(as_text=True).startswith("400 query syntax error: SPARQL syntax error")


def test_errors_carry_cors(client) -> None:
    response = get(client, "ASK {")
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_preflight(client) -> None:
    response = client.options(
        "/sparql",
        headers={"Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST"},
    )
    assert response.status_code == 200
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_unknown_body_type_is_415(client) -> None:
    response = client.post("/sparql", data=ASK, content_type="text/plain")
    assert response.status_code == 415
    assert "application/sparql-query" in response.get_json()["error"]["message"]


def test_method_not_allowed_names_allowed_methods(client) -> None:
    response = client.put("/sparql?query=ASK%7B%7D")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    assert response.get_json()["error"]["status"] == 405


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.get("/sparql?update=CLEAR%20ALL"),
        lambda c: c.post("/sparql", data={"update": "CLEAR ALL"}),
        lambda c: c.post("/sparql", data="CLEAR ALL", content_type="application/sparql-update"),
        lambda c: c.post(
            "/sparql",
            data="INSERT DATA { <a:b> <a:c> <a:d> }",
            content_type="application/sparql-query",
        ),
        lambda c: c.get("/sparql?query=" + urllib.parse.quote("DROP ALL")),
    ],
    ids=["get-update", "form-update", "direct-update", "update-as-query", "drop-as-query"],
)
def test_updates_are_refused(client, send) -> None:
    response = send(client)
    assert response.status_code == 403
    assert "read-only" in response.get_json()["error"]["message"]
    assert get(client, "ASK { <a:b> <a:c> <a:d> }").get_json()["boolean"] is False


def test_service_is_refused_before_connecting(client) -> None:
    response = get(client, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")
    assert response.status_code == 400
    assert (
        "SERVICE <http://127.0.0.1:9/sparql> is not allowed"
        in response.get_json()["error"]["message"]
    )


def test_a_service_keyword_inside_a_string_is_not_a_service_call(client) -> None:
    response = get(client, 'SELECT ?x WHERE { BIND("SERVICE <http://x/>" AS ?x) }')
    assert response.status_code == 200


def test_query_over_100kb_is_413(client) -> None:
    query = "ASK {} #" + "x" * 100_001
    response = client.post("/sparql", data=query, content_type="application/sparql-query")
    assert response.status_code == 413


def test_two_queries_are_400(client) -> None:
    assert client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D").status_code == 400


def test_default_graph_is_the_union_each_triple_once(client) -> None:
    union = get(client, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").get_json()
    distinct = get(
        client, "SELECT (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }"
    ).get_json()
    assert (
        union["results"]["bindings"][0]["n"]["value"]
        == distinct["results"]["bindings"][0]["n"]["value"]
    )


def test_protocol_dataset_restricts_the_default_graph(client) -> None:
    graph = "https://w3id.org/eurocities-kg/graph/bochum-eurocities-page"
    query = 'ASK { ?s <http://www.w3.org/2000/01/rdf-schema#label> "Forum Mobilität"@de }'
    url = "/sparql?" + urllib.parse.urlencode({"query": query, "default-graph-uri": graph})
    assert client.get(url).get_json()["boolean"] is True
    url = "/sparql?" + urllib.parse.urlencode(
        {"query": query, "default-graph-uri": graph + "-none"}
    )
    assert client.get(url).get_json()["boolean"] is False


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        (None, "turtle"),
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_service_description(client, app, accept: str | None, fmt: str) -> None:
    response = client.get("/sparql", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.get_data(), format=fmt)
    [service] = graph.subjects(rdflib.RDF.type, SD.Service)
    assert graph.value(service, SD.endpoint) == rdflib.URIRef("http://localhost/sparql")
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in graph
    assert (service, SD.feature, SD.UnionDefaultGraph) in graph
    formats = set(graph.objects(service, SD.resultFormat))
    assert rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_CSV") in formats
    names = {str(n) for n in graph.objects(None, SD.name)}
    manifest = app.extensions["eurocities_kg"].manifest
    assert names == {g["graph"] for g in manifest["graphs"]}
    default = graph.value(graph.value(service, SD.defaultDataset), SD.defaultGraph)
    assert int(graph.value(default, VOID.triples)) == manifest["triples"]
    assert any("read-only" in str(c) for c in graph.objects(service, rdflib.RDFS.comment))


def test_service_description_endpoint_is_the_requested_url(client) -> None:
    response = client.get("/sparql", base_url="https://data.example:8443")
    assert b"<https://data.example:8443/sparql>" in response.get_data()


def test_query_page_for_browsers(client) -> None:
    response = client.get("/sparql?lang=de", headers={"Accept": "text/html,application/xhtml+xml"})
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<html lang="de">' in html
    assert "<textarea" in html
    assert "Beispielabfragen" in html


def test_browser_results_are_a_table_with_links_and_downloads(client) -> None:
    response = get(client, SELECT, Accept="text/html")
    html = response.get_data(as_text=True)
    assert '<a href="/id/city/' in html
    assert "format=csv" in html
    assert "Permalink" in html


def test_browser_syntax_error_shows_the_page_with_the_message(client) -> None:
    response = get(client, "SELECT * WHERE { ?s ?p }", Accept="text/html")
    assert response.status_code == 400
    assert "line 1, column 25" in response.get_data(as_text=True)


def test_conditional_get_answers_304(client) -> None:
    first = get(client, SELECT)
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    again = client.get(
        "/sparql?" + urllib.parse.urlencode({"query": SELECT}), headers={"If-None-Match": etag}
    )
    assert again.status_code == 304
