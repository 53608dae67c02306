"""The W3C SPARQL 1.1 Protocol test suite, run against the app in-process and against the real
server, over a store holding the suite's graphs."""

from __future__ import annotations

import http.client
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest
import rdflib

from eurocities_kg.build import inputs_hash
from eurocities_kg.project import find_project
from eurocities_kg.store import with_union_default_graph
from tests.conftest import TINY, running_server
from tests.w3c_protocol import ProtocolCase, Request, protocol_cases

CASES = protocol_cases()
RESULTS_XML = "{http://www.w3.org/2005/sparql-results#}"


def write_build(project: Path, cases: list[ProtocolCase]) -> None:
    """A build directory whose store holds every graph the suite loads (data0 is never loaded)."""
    graphs = {iri: path for case in cases for iri, path in case.graphs.items()}
    quads = [
        ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(iri))
        for iri, path in sorted(graphs.items())
        for t in (q.triple for q in ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES))
    ]
    release = project / "build" / "releases" / "w3c"
    release.mkdir(parents=True)
    store = ox.Store(str(release / "store"))
    store.extend(with_union_default_graph(quads))
    store.flush()
    del store
    manifest = {
        "buildId": "w3c",
        "version": "w3c",
        "builtAt": "2026-11-24T00:00:00+00:00",
        "triples": len({q.triple for q in quads}),
        "quads": len(quads),
        "entities": 0,
        "graphs": [
            {"graph": iri, "file": p.name, "triples": 1, "entities": 1} for iri, p in graphs.items()
        ],
        "dumps": [],
        "validation": {"conforms": True, "violations": 0, "warnings": 0},
        # as if built from the project's sources, so that `serve` does not rebuild over it
        "inputsHash": inputs_hash(find_project(project)),
    }
    (release / "manifest.json").write_text(json.dumps(manifest))
    (project / "build" / "current").symlink_to(Path("releases") / "w3c")


@pytest.fixture(scope="module")
def w3c_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("w3c") / "project"
    shutil.copytree(TINY, project)
    write_build(project, CASES)
    return project


def result_kind(content_type: str, body: bytes) -> tuple[str, bool | None]:
    """('boolean', value), ('tabular', None) or ('RDF', None) from a response."""
    media = content_type.split(";")[0].strip()
    if media == "application/sparql-results+json":
        data = json.loads(body)
        return ("boolean", data["boolean"]) if "boolean" in data else ("tabular", None)
    if media == "application/sparql-results+xml":
        root = ElementTree.fromstring(body)
        boolean = root.find(RESULTS_XML + "boolean")
        return ("boolean", boolean.text == "true") if boolean is not None else ("tabular", None)
    if media in ("text/csv", "text/tab-separated-values"):
        return ("tabular", None)
    if media in ("text/turtle", "application/rdf+xml", "application/n-triples"):
        rdflib.Graph().parse(
            data=body,
            format={
                "text/turtle": "turtle",
                "application/rdf+xml": "xml",
                "application/n-triples": "nt",
            }[media],
        )
        return ("RDF", None)
    raise AssertionError(f"unexpected result type {content_type}")


def check(request: Request, status: int, content_type: str, body: bytes) -> None:
    assert status // 100 in request.expected_status_classes, (status, body[:300])
    if request.expected_format:
        kind, boolean = result_kind(content_type, body)
        assert kind == request.expected_format
        if request.expected_boolean is not None:
            assert boolean is request.expected_boolean


def applicable(case: ProtocolCase) -> bool:
    return not case.is_update


@pytest.fixture(scope="module")
def w3c_client(w3c_project: Path):
    from eurocities_kg.project import find_project
    from eurocities_kg.settings import load_settings
    from eurocities_kg.web import create_app

    return create_app(load_settings(find_project(w3c_project))).test_client()


@pytest.mark.parametrize("case", [c for c in CASES if applicable(c)], ids=lambda c: c.name)
def test_w3c_protocol_case_in_process(w3c_client, case: ProtocolCase) -> None:
    for request in case.requests:
        response = w3c_client.open(
            request.path, method=request.method, headers=request.headers, data=request.body
        )
        check(request, response.status_code, response.content_type or "", response.get_data())


@pytest.mark.parametrize("case", [c for c in CASES if c.is_update], ids=lambda c: c.name)
def test_w3c_update_cases_are_refused_by_the_read_only_endpoint(
    w3c_client, case: ProtocolCase
) -> None:
    """The endpoint implements the query operation only (Protocol §4.1 allows it): each positive
    update test's update is answered 403, and the store is unchanged (its verifying ASK is false)."""
    before = w3c_client.get(
        "/sparql?query=SELECT%20(COUNT(*)%20AS%20?n)%20%7B%20GRAPH%20?g%20%7B?s%20?p%20?o%7D%7D",
        headers={"Accept": "text/csv"},
    ).get_data()
    update = case.requests[0]
    response = w3c_client.open(
        update.path, method=update.method, headers=update.headers, data=update.body
    )
    assert response.status_code == 403
    assert "read-only" in response.get_json()["error"]["message"]
    after = w3c_client.get(
        "/sparql?query=SELECT%20(COUNT(*)%20AS%20?n)%20%7B%20GRAPH%20?g%20%7B?s%20?p%20?o%7D%7D",
        headers={"Accept": "text/csv"},
    ).get_data()
    assert after == before


@pytest.fixture(scope="module")
def w3c_server(w3c_project: Path) -> Iterator[str]:
    from eurocities_kg.project import find_project

    with running_server(find_project(w3c_project)) as url:
        yield url.rstrip("/")


@pytest.mark.e2e
@pytest.mark.parametrize("case", [c for c in CASES if applicable(c)], ids=lambda c: c.name)
def test_w3c_protocol_case_against_the_real_server(w3c_server: str, case: ProtocolCase) -> None:
    host, port = w3c_server.removeprefix("http://").split(":")
    for request in case.requests:
        # http.client sends exactly the manifest's headers (urllib would add a form Content-Type).
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request(request.method, request.path, body=request.body, headers=request.headers)
        response = connection.getresponse()
        check(request, response.status, response.getheader("Content-Type", ""), response.read())
        connection.close()
