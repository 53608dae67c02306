"""Real clients against the real server: SPARQLWrapper for every query form, method and results
format, rdflib's SPARQLStore, and curl."""

from __future__ import annotations

import subprocess
import warnings

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import (
    CSV,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    XML,
    SPARQLWrapper,
)

pytestmark = pytest.mark.e2e

PREFIXES = """PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
"""
BOCHUM = "https://w3id.org/eurocities-kg/id/city/bochum"
SELECT = PREFIXES + f"SELECT ?label WHERE {{ <{BOCHUM}> rdfs:label ?label }} ORDER BY ?label"
ASK = PREFIXES + f"ASK {{ ?m org:member <{BOCHUM}> ; org:organization ?n }}"
CONSTRUCT = (
    PREFIXES + f"CONSTRUCT {{ <{BOCHUM}> rdfs:label ?l }} WHERE {{ <{BOCHUM}> rdfs:label ?l }}"
)
DESCRIBE = f"DESCRIBE <{BOCHUM}>"
METHODS = {"GET": None, "POST": POST, "POSTDIRECTLY": POSTDIRECTLY}


def wrapper(url: str, query: str, fmt: str, method: str) -> SPARQLWrapper:
    client = SPARQLWrapper(url + "sparql", agent="eurocities-kg-tests")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    if method != "GET":
        client.setMethod(POST)
        if method == "POSTDIRECTLY":
            client.setRequestMethod(POSTDIRECTLY)
    return client


def convert_without_warning(client: SPARQLWrapper):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # "Format requested was … but … returned"
        return client.queryAndConvert()


@pytest.mark.parametrize("method", METHODS)
def test_select_json(live_server: str, method: str) -> None:
    result = convert_without_warning(wrapper(live_server, SELECT, JSON, method))
    assert result["head"]["vars"] == ["label"]
    values = {
        (b["label"]["value"], b["label"].get("xml:lang")) for b in result["results"]["bindings"]
    }
    assert ("Bochum", "de") in values


@pytest.mark.parametrize("method", METHODS)
def test_select_xml(live_server: str, method: str) -> None:
    document = convert_without_warning(wrapper(live_server, SELECT, XML, method))
    literals = [n.firstChild.data for n in document.getElementsByTagName("literal")]
    assert "Bochum" in literals


@pytest.mark.parametrize(("fmt", "header"), [(CSV, b"label\r\n"), (TSV, b"?label\n")])
@pytest.mark.parametrize("method", METHODS)
def test_select_csv_and_tsv(live_server: str, method: str, fmt: str, header: bytes) -> None:
    body = convert_without_warning(wrapper(live_server, SELECT, fmt, method))
    assert body.startswith(header)
    assert b"Bochum" in body


@pytest.mark.parametrize("fmt", [JSON, XML])
@pytest.mark.parametrize("method", METHODS)
def test_ask(live_server: str, method: str, fmt: str) -> None:
    result = convert_without_warning(wrapper(live_server, ASK, fmt, method))
    if fmt == JSON:
        assert result["boolean"] is True
    else:
        assert result.getElementsByTagName("boolean")[0].firstChild.data == "true"


@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, XML, JSONLD, N3])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["construct", "describe"])
@pytest.mark.parametrize("method", METHODS)
def test_graph_results(live_server: str, method: str, query: str, fmt: str) -> None:
    result = convert_without_warning(wrapper(live_server, query, fmt, method))
    graph = (
        result
        if isinstance(result, rdflib.Graph)
        else rdflib.Graph().parse(data=result, format="json-ld" if fmt == JSONLD else "turtle")
    )
    labels = {str(o) for o in graph.objects(rdflib.URIRef(BOCHUM), rdflib.RDFS.label)}
    assert "Bochum" in labels


def test_syntax_error_is_reported_as_query_bad_formed(live_server: str) -> None:
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    with pytest.raises(QueryBadFormed, match="line 1, column"):
        wrapper(live_server, "SELECT * WHERE { ?s ?p }", JSON, "GET").queryAndConvert()


def test_rdflib_sparqlstore_reads_the_endpoint(live_server: str) -> None:
    graph = rdflib.Graph(store=SPARQLStore(live_server + "sparql", returnFormat="json"))
    rows = list(graph.query(SELECT))
    assert rdflib.Literal("Bochum", lang="de") in {row[0] for row in rows}


def test_curl_get_with_accept(live_server: str) -> None:
    out = subprocess.run(
        [
            "curl",
            "-s",
            "-f",
            "-H",
            "Accept: text/csv",
            "--data-urlencode",
            f"query={SELECT}",
            "-G",
            live_server + "sparql",
        ],
        capture_output=True,
        check=True,
        timeout=30,
    ).stdout
    assert out.startswith(b"label\r\n")
    assert b"Bochum" in out
