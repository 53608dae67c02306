"""The store contract: what the web layer needs of a store, checked on the embedded store and on a
real `oxigraph serve` on loopback that `build --push` wrote the same build into. Pages, SPARQL
results and dumps from the remote store must equal the embedded store's: documents compared as
graphs (and their HTML byte for byte), SPARQL results as sets, dumps byte for byte."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from eurocities_kg.cli import main
from eurocities_kg.errors import QuerySyntaxError
from eurocities_kg.namespaces import GRAPH_BASE
from eurocities_kg.project import Project
from eurocities_kg.queries import example_queries
from eurocities_kg.query_guard import service_targets
from eurocities_kg.release import read_manifest
from eurocities_kg.remote import GraphStore, RemoteStore, StoreUnavailable, push
from eurocities_kg.settings import load_settings
from eurocities_kg.store import (
    STORE_KINDS,
    EmbeddedStore,
    StoreUrlError,
    open_store,
    service_for,
    store_kind,
)
from eurocities_kg.web import create_app
from tests.conftest import free_port

DOCUMENTS = (
    "network/eurocities",
    "city/bochum",
    "city/essen",
    "city/florence",
    "country/de",
    "region/ruhr-area",
    "forum/mobility",
    "person/dario-nardella",
    "membership/bochum",
    "office/dario-nardella-president-2020",
    "source/bochum-eurocities-page",
    "country-group/de",
)


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph")
    if found is None:  # the test extras install it (PyPI `oxigraph`): a missing one is an error
        raise RuntimeError("the `oxigraph` command is missing: pip install -e '.[test]'")
    return found


class OxigraphServer:
    """`oxigraph serve` on a free loopback port, stopped afterwards."""

    def __init__(self, location: Path, *options: str) -> None:
        self.port = free_port()
        self.url = f"oxigraph+http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [
                oxigraph_binary(),
                "serve",
                "--location",
                str(location),
                "--bind",
                f"127.0.0.1:{self.port}",
                *options,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 20
        query = urllib.parse.quote("ASK {}")
        while True:
            try:
                urllib.request.urlopen(
                    f"http://127.0.0.1:{self.port}/query?query={query}", timeout=2
                ).close()
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("oxigraph serve did not start") from None
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory, real_build: Project) -> Iterator[str]:
    """A real oxigraph server holding the real build, written by the push (its store URL)."""
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph-store"))
    try:
        push(real_build.build_dir, service_for(server.url))
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="module")
def reference(real_build: Project):
    """The app over the embedded store: what every store must answer."""
    app = create_app(load_settings(real_build))
    app.testing = True
    return app.test_client()


@pytest.fixture(scope="module", params=["embedded", "oxigraph"])
def store_url(request: pytest.FixtureRequest) -> str | None:
    return None if request.param == "embedded" else request.getfixturevalue("oxigraph")


@pytest.fixture(scope="module")
def store(store_url: str | None, real_build: Project):
    return open_store(store_url, real_build.build_dir)


@pytest.fixture(scope="module")
def served(store_url: str | None, real_build: Project):
    app = create_app(load_settings(real_build, store=store_url))
    app.testing = True
    return app.test_client()


# --- the table of stores ------------------------------------------------------------------------


def test_the_table_of_stores_chooses_by_scheme(tmp_path: Path) -> None:
    assert store_kind("/some/build").scheme == "file"
    assert store_kind("file:///some/build").scheme == "file"
    assert store_kind("https://example.org/sparql").scheme == "http"
    assert store_kind("oxigraph+https://db.example.org").scheme == "oxigraph+http"
    with pytest.raises(StoreUrlError, match="unknown kind of store"):
        store_kind("ftp://example.org/")
    assert {k.scheme for k in STORE_KINDS} >= {"file", "http", "oxigraph+http", "fuseki+http"}


@pytest.mark.parametrize(
    ("url", "query", "gsp"),
    [
        ("http://h:1/sparql", "http://h:1/sparql", "http://h:1/sparql"),
        ("oxigraph+http://h:7878/", "http://h:7878/query", "http://h:7878/store"),
        ("oxigraph+https://h", "https://h/query", "https://h/store"),
        ("fuseki+http://h:3030/ds", "http://h:3030/ds/query", "http://h:3030/ds/data"),
        (
            "graphdb+http://h:7200/repositories/kg",
            "http://h:7200/repositories/kg",
            "http://h:7200/repositories/kg/rdf-graphs/service",
        ),
        ("virtuoso+http://h:8890", "http://h:8890/sparql", "http://h:8890/sparql-graph-crud"),
    ],
)
def test_a_store_url_names_its_endpoints(url: str, query: str, gsp: str) -> None:
    service = service_for(url)
    assert (service.query_url, service.gsp_url) == (query, gsp)


def test_the_graph_store_endpoint_can_be_named(real_build: Project) -> None:
    assert service_for("http://h/sparql", "http://h/gsp").gsp_url == "http://h/gsp"
    with pytest.raises(StoreUrlError, match="local store"):
        service_for(str(real_build.build_dir))


def test_open_store_without_a_url_is_the_builds_embedded_store(real_build: Project) -> None:
    assert isinstance(open_store(None, real_build.build_dir), EmbeddedStore)
    assert isinstance(open_store(str(real_build.build_dir), real_build.build_dir), EmbeddedStore)
    assert isinstance(open_store("http://127.0.0.1:9/q", real_build.build_dir), RemoteStore)


# --- the Store protocol, on both stores -----------------------------------------------------------


def test_result_types_are_the_embedded_stores(store) -> None:
    assert isinstance(store.query("ASK { ?s ?p ?o }"), ox.QueryBoolean)
    assert bool(store.query("ASK { ?s ?p ?o }")) is True
    solutions = store.query("SELECT ?s ?label WHERE { ?s ?p ?o } LIMIT 3")
    assert isinstance(solutions, ox.QuerySolutions)
    assert [v.value for v in solutions.variables] == ["s", "label"]
    rows = list(solutions)
    assert len(rows) == 3
    assert all(row["label"] is None for row in rows)  # unbound stays None
    triples = store.query("CONSTRUCT WHERE { ?s a <https://schema.org/City> } ")
    assert isinstance(triples, ox.QueryTriples)
    assert all(isinstance(t, ox.Triple) for t in triples)
    described = store.query("DESCRIBE <https://w3id.org/eurocities-kg/id/city/bochum>")
    assert isinstance(described, ox.QueryTriples)


def test_syntax_errors_name_line_and_column(store) -> None:
    with pytest.raises(QuerySyntaxError, match=r"line 2, column \d+"):
        store.query("SELECT * WHERE {\n ?s ?p }")
    with pytest.raises(QuerySyntaxError):
        store.query("SELECT * WHERE { ?s ?p ?o }", default_graphs=["not an iri"])


def test_the_default_graph_is_the_union_each_triple_once(store, real_build: Project) -> None:
    manifest = read_manifest(real_build.build_dir)
    [row] = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(row["n"].value) == manifest["triples"]
    counts = {
        row["g"].value: int(row["n"].value)
        for row in store.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
    }
    for graph in manifest["graphs"]:
        assert counts[graph["graph"]] == graph["triples"]


def test_a_protocol_dataset_replaces_the_default_dataset(store, real_build: Project) -> None:
    graph = next(
        g
        for g in read_manifest(real_build.build_dir)["graphs"]
        if g["file"].endswith("wikidata.ttl")
    )
    [row] = store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graphs=[graph["graph"]]
    )
    assert int(row["n"].value) == graph["triples"]
    named = {
        row["g"].value
        for row in store.query(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=[graph["graph"]]
        )
    }
    assert named == {graph["graph"]}


def test_the_base_iri_resolves_relative_iris(store) -> None:
    [row] = store.query("SELECT (<x/y> AS ?iri) WHERE {}", base_iri="http://127.0.0.1/sparql")
    assert row["iri"] == ox.NamedNode("http://127.0.0.1/x/y")
    [row] = store.query("BASE <http://other/> SELECT (<z> AS ?iri) WHERE {}", base_iri="http://a/")
    assert row["iri"] == ox.NamedNode("http://other/z")


# --- pages, SPARQL and dumps from either store equal the embedded store's -----------------------


def _quads(body: bytes) -> set[ox.Quad]:
    return set(ox.parse(body, format=ox.RdfFormat.N_QUADS))


def _isomorphic(a: bytes, b: bytes, fmt: ox.RdfFormat) -> bool:
    def canonical(data: bytes) -> list[ox.Quad]:
        dataset = ox.Dataset(ox.parse(data, format=fmt))
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        return sorted(dataset, key=str)

    return canonical(a) == canonical(b)


@pytest.mark.parametrize("path", DOCUMENTS)
def test_documents_equal_the_embedded_stores(served, reference, path: str) -> None:
    for extension in ("nq", "ttl"):
        ours = served.get(f"/doc/{path}.{extension}")
        theirs = reference.get(f"/doc/{path}.{extension}")
        assert ours.status_code == theirs.status_code == 200
        if extension == "nq":
            assert _quads(ours.get_data()) == _quads(theirs.get_data())
        else:
            assert _isomorphic(ours.get_data(), theirs.get_data(), ox.RdfFormat.TURTLE)
    for lang in ("en", "de"):  # the HTML page, byte for byte
        ours = served.get(f"/doc/{path}?lang={lang}", headers={"Accept": "text/html"})
        theirs = reference.get(f"/doc/{path}?lang={lang}", headers={"Accept": "text/html"})
        assert ours.get_data(as_text=True) == theirs.get_data(as_text=True)


def test_unknown_things_and_redirects_are_the_same(served) -> None:
    assert served.get("/id/city/bochum").status_code == 303
    assert served.get("/id/city/atlantis").status_code == 404
    assert served.get("/doc/city/atlantis.ttl").status_code == 404


def _solutions(body: bytes) -> tuple[list[str], set[frozenset[tuple[str, str]]], int]:
    data = json.loads(body)
    if "boolean" in data:
        return [], {frozenset({("boolean", str(data["boolean"]))})}, 1
    rows = data["results"]["bindings"]
    return (
        data["head"]["vars"],
        {frozenset((k, json.dumps(v, sort_keys=True)) for k, v in row.items()) for row in rows},
        len(rows),
    )


# Federated examples call Wikidata, which tests never do; test_wikidata_federation covers them.
EXAMPLES = [
    e for e in example_queries(Path(__file__).parents[1] / "queries") if not service_targets(e.text)
]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_example_queries_answer_the_same_sets(served, reference, example) -> None:
    headers = {"Accept": "application/sparql-results+json, text/turtle;q=0.9"}
    ours = served.post("/sparql", data={"query": example.text}, headers=headers)
    theirs = reference.post("/sparql", data={"query": example.text}, headers=headers)
    assert ours.status_code == theirs.status_code == 200, ours.get_data(as_text=True)
    if ours.mimetype == "text/turtle":
        assert _isomorphic(ours.get_data(), theirs.get_data(), ox.RdfFormat.TURTLE)
    else:
        assert _solutions(ours.get_data()) == _solutions(theirs.get_data())


def test_sparql_errors_are_the_same(served, reference) -> None:
    for query in ("SELECT * WHERE { ?s ?p }", "SELECT * WHERE { ?s ?p ?o } LIMIT x"):
        ours = served.get("/sparql", query_string={"query": query})
        theirs = reference.get("/sparql", query_string={"query": query})
        assert ours.status_code == theirs.status_code == 400
        assert ours.get_json() == theirs.get_json()


def test_dumps_are_the_builds_byte_for_byte(served, reference, real_build: Project) -> None:
    for dump in read_manifest(real_build.build_dir)["dumps"]:
        ours = served.get(f"/download/{dump['file']}")
        assert ours.status_code == 200
        assert ours.get_data() == reference.get(f"/download/{dump['file']}").get_data()


@pytest.mark.parametrize("path", ["/catalog.nt", "/def.nt", "/graph/links-wikidata.nt", "/health"])
def test_dataset_documents_are_the_same(served, reference, path: str) -> None:
    ours, theirs = served.get(path), reference.get(path)
    assert ours.status_code == theirs.status_code == 200
    if path == "/health":
        assert ours.get_json() == theirs.get_json()
    else:
        assert _isomorphic(ours.get_data(), theirs.get_data(), ox.RdfFormat.N_TRIPLES)


# --- pushing ------------------------------------------------------------------------------------


def test_a_push_replaces_the_graphs_and_deletes_those_the_build_lacks(
    tmp_path: Path, real_build: Project
) -> None:
    server = OxigraphServer(tmp_path / "store")
    try:
        service = service_for(server.url)
        stale = GRAPH_BASE + "a-file-since-removed"
        GraphStore(service).put(stale, b"<urn:a> <urn:b> <urn:c> .\n")
        GraphStore(service).put(None, b"<urn:a> <urn:b> <urn:c> .\n")
        report = push(real_build.build_dir, service)
        assert report.deleted == (stale,)
        assert report.remote_triples == read_manifest(real_build.build_dir)["triples"]
        again = push(real_build.build_dir, service)  # idempotent
        assert again.deleted == ()
        assert again.remote_triples == report.remote_triples
    finally:
        server.stop()


def test_a_push_refuses_a_store_whose_default_graph_is_a_union(
    tmp_path: Path, real_build: Project
) -> None:
    server = OxigraphServer(tmp_path / "store", "--union-default-graph")
    try:
        with pytest.raises(StoreUnavailable, match="union-default-graph"):
            push(real_build.build_dir, service_for(server.url))
    finally:
        server.stop()


def test_an_unreachable_store_answers_502(real_build: Project) -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    with pytest.raises(StoreUnavailable):
        RemoteStore(service_for(url), timeout=2).query("ASK {}")
    app = create_app(load_settings(real_build, store=url, store_timeout=2))
    response = app.test_client().get("/doc/city/bochum.ttl")
    assert response.status_code == 502
    assert response.get_json()["error"]["title"] == "store unavailable"


def test_build_push_and_serve_store_on_the_command_line(
    tmp_path: Path, tiny_project: Project
) -> None:
    server = OxigraphServer(tmp_path / "store")
    try:
        root = ["--project", str(tiny_project.root)]
        built = CliRunner().invoke(main, [*root, "build", "--push", server.url])
        assert built.exit_code == 0, built.output
        assert "pushed to" in built.output
        query = "/sparql?query=" + urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        local = CliRunner().invoke(main, [*root, "serve", "--get", query])
        remote = CliRunner().invoke(main, [*root, "serve", "--store", server.url, "--get", query])
        assert remote.exit_code == 0, remote.output
        assert remote.output == local.output
        assert '"13"' in remote.output
    finally:
        server.stop()


def test_serve_store_needs_a_build(tmp_path: Path, tiny_project: Project) -> None:
    result = CliRunner().invoke(
        main,
        ["--project", str(tiny_project.root), "serve", "--store", "http://127.0.0.1:9/q"],
    )
    assert result.exit_code == 2
    assert "build --push" in result.output


def test_a_runaway_query_on_a_remote_store_is_stopped_at_the_limit(
    tmp_path: Path, real_build: Project
) -> None:
    """The time limit holds for a remote store too: the query process waiting for its answer is
    killed. (The remote server may go on computing: its own time limit is its own setting.)"""
    from tests.test_query_limits import RUNAWAY

    server = OxigraphServer(tmp_path / "store")  # its own: stopped, runaway and all, at the end
    try:
        push(real_build.build_dir, service_for(server.url))
        client = create_app(
            load_settings(real_build, store=server.url, query_timeout=1)
        ).test_client()
        started = time.monotonic()
        response = client.post("/sparql", data={"query": RUNAWAY})
        assert time.monotonic() - started < 2.0
        assert response.status_code == 503
        assert response.get_json()["error"]["title"] == "query timeout"
        assert client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"}).get_json()["boolean"]
    finally:
        server.stop()
