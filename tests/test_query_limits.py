"""Issue 6, points 1 and 2: a query time limit that really stops the query (killable query
processes), and a result cap that is never silent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from eurocities_kg.answers import BOOLEAN, SOLUTIONS, TRIPLES, Job, answer
from eurocities_kg.errors import QueryBusy, QueryProcessFailed, QueryTimeout, ServiceFailed
from eurocities_kg.project import Project
from eurocities_kg.query_pool import QueryPool, StoreSpec
from eurocities_kg.release import current_release
from eurocities_kg.store import EmbeddedStore

# Runs for hours on the real data (2,265³ combinations): only the time limit ends it.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SIMPLE = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
ALL_KINDS = {SOLUTIONS: "json", BOOLEAN: "json", TRIPLES: "turtle"}


def job(sparql: str, limit: int = 10, **formats: str) -> Job:
    return Job(sparql, {**ALL_KINDS, **formats}, limit, note_link="http://host/sparql#limits")


@pytest.fixture(scope="module")
def small() -> EmbeddedStore:
    """25 subjects with one value each, and terms that are hard to write."""
    p, g = ox.NamedNode(EX + "p"), ox.NamedNode(EX + "graph")
    quads = [ox.Quad(ox.NamedNode(f"{EX}s{i:02}"), p, ox.Literal(str(i)), g) for i in range(25)]
    hard = [
        ox.Literal('tab\there, new\nline, quote" back\\slash, cr\r'),
        ox.Literal("Köln", language="de"),
        ox.Literal("42", datatype=ox.NamedNode(XSD + "integer")),
        ox.Literal("\u202eright-to-left and \x01 control"),
        ox.BlankNode("node1"),
        ox.NamedNode(EX + "with%20space"),
    ]
    q = ox.NamedNode(EX + "q")
    quads += [ox.Quad(ox.NamedNode(f"{EX}hard{i}"), q, v, g) for i, v in enumerate(hard)]
    return EmbeddedStore.in_memory(quads)


# --- the result cap: cut, and said ---------------------------------------------------------------


def test_rows_within_the_limit_are_written_exactly_as_the_store_writes_them(small) -> None:
    """The cut re-reads rows through SPARQL TSV: no term may change on the way."""
    query = f"SELECT ?s ?o ?missing WHERE {{ ?s <{EX}q> ?o OPTIONAL {{ ?s <{EX}none> ?missing }} }}"
    for name, fmt in (("json", ox.QueryResultsFormat.JSON), ("xml", ox.QueryResultsFormat.XML)):
        direct = small.query(query)
        assert isinstance(direct, ox.QuerySolutions)
        got = answer(small, job(query, 100, solutions=name))
        assert not got.truncated
        assert got.size == 6
        assert got.body == direct.serialize(format=fmt)


def test_a_select_beyond_the_limit_is_cut_and_says_so_in_json(small) -> None:
    got = answer(small, job(f"SELECT ?s WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s", 10))
    assert got.truncated
    assert got.size == 10
    document = json.loads(got.body)
    assert document["head"]["link"] == ["http://host/sparql#limits"]
    assert [b["s"]["value"] for b in document["results"]["bindings"]] == [
        f"{EX}s{i:02}" for i in range(10)
    ]


def test_a_result_at_exactly_the_limit_is_not_cut(small) -> None:
    got = answer(small, job(f"SELECT ?s WHERE {{ ?s <{EX}p> ?o }}", 25))
    assert not got.truncated
    assert "link" not in json.loads(got.body)["head"]


def test_xml_results_carry_a_link_and_a_comment(small) -> None:
    got = answer(small, job(f"SELECT ?s WHERE {{ ?s <{EX}p> ?o }}", 3, solutions="xml"))
    parsed = ox.parse_query_results(got.body, format=ox.QueryResultsFormat.XML)
    assert isinstance(parsed, ox.QuerySolutions)
    assert len(list(parsed)) == 3
    assert b'<link href="http://host/sparql#limits"/></head>' in got.body
    assert b"<!-- result cut at the endpoint's limit of 3" in got.body


@pytest.mark.parametrize("name", ["csv", "tsv"])
def test_csv_and_tsv_are_cut_with_no_room_for_a_note(small, name: str) -> None:
    got = answer(small, job(f"SELECT ?s WHERE {{ ?s <{EX}p> ?o }}", 4, solutions=name))
    assert got.truncated
    lines = got.body.decode().strip().splitlines()
    assert len(lines) == 5  # the variables, then 4 rows
    assert all("http://example.org/s" in line for line in lines[1:])


@pytest.mark.parametrize(
    ("name", "fmt", "note"),
    [
        ("turtle", ox.RdfFormat.TURTLE, b"# result cut"),
        ("ntriples", ox.RdfFormat.N_TRIPLES, b"# result cut"),
        ("nquads", ox.RdfFormat.N_QUADS, b"# result cut"),
        ("trig", ox.RdfFormat.TRIG, b"# result cut"),
        ("rdfxml", ox.RdfFormat.RDF_XML, b"<!-- result cut"),
        ("jsonld", ox.RdfFormat.JSON_LD, None),
    ],
)
def test_a_construct_beyond_the_limit_is_cut_with_a_note_where_the_format_has_comments(
    small, name: str, fmt: ox.RdfFormat, note: bytes | None
) -> None:
    got = answer(small, job("CONSTRUCT WHERE { ?s ?p ?o }", 7, triples=name))
    assert got.kind == TRIPLES
    assert got.truncated
    assert len(list(ox.parse(got.body, format=fmt))) == 7  # the note leaves the document valid
    if note is None:
        assert b"result cut" not in got.body
    else:
        assert note in got.body


def test_ask_is_never_cut(small) -> None:
    got = answer(small, job("ASK { ?s ?p ?o }", 1))
    assert (got.kind, got.truncated) == (BOOLEAN, False)
    assert json.loads(got.body)["boolean"] is True


def test_a_kind_with_no_acceptable_format_is_reported_not_written(small) -> None:
    got = answer(small, Job("ASK { ?s ?p ?o }", {SOLUTIONS: "json", BOOLEAN: None}, 5))
    assert (got.kind, got.format, got.body) == (BOOLEAN, None, b"")


# --- the time limit: killable query processes ----------------------------------------------------


@pytest.fixture
def pool(real_build: Project) -> Iterator[QueryPool]:
    spec = StoreSpec(path=str(current_release(real_build.build_dir) / "store"))
    found = QueryPool(spec, size=2, timeout=1.5)
    yield found
    found.close()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return state == "Z"


def test_a_simple_query_runs_in_a_query_process(pool: QueryPool) -> None:
    got = pool.run(job(SIMPLE))
    assert int(json.loads(got.body)["results"]["bindings"][0]["n"]["value"]) > 2000
    assert len(pool.pids()) == 1
    assert pool.pids()[0] != os.getpid()


def test_a_runaway_query_is_stopped_at_the_limit_and_its_process_killed(pool: QueryPool) -> None:
    pool.run(job(SIMPLE))
    (first,) = pool.pids()
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"longer than the limit of 1\.5 s"):
        pool.run(job(RUNAWAY))
    assert 1.5 <= time.monotonic() - started < 2.5
    assert gone(first), "the process running the query must be killed, not left to run"
    assert pool.timeouts == 1
    got = pool.run(job(SIMPLE))  # a fresh process took its place
    assert got.kind == SOLUTIONS
    assert first not in pool.pids()


def test_simple_queries_keep_answering_while_a_runaway_runs(pool: QueryPool) -> None:
    outcome: list[BaseException] = []

    def runaway() -> None:
        try:
            pool.run(job(RUNAWAY))
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.2)
    latencies = []
    while thread.is_alive():
        started = time.monotonic()
        pool.run(job(SIMPLE + f" # {len(latencies)}"))
        latencies.append(time.monotonic() - started)
    thread.join()
    assert isinstance(outcome[0], QueryTimeout)
    assert len(latencies) >= 5
    assert max(latencies) < 1.0, latencies


def test_a_query_waits_for_a_free_process_at_most_the_limit(real_build: Project) -> None:
    spec = StoreSpec(path=str(current_release(real_build.build_dir) / "store"))
    pool = QueryPool(spec, size=1, timeout=0.5)
    try:
        held = pool._acquire(time.monotonic() + 1)  # the only process, taken
        started = time.monotonic()
        with pytest.raises(QueryBusy, match="busy"):
            pool.run(job(SIMPLE))
        assert 0.5 <= time.monotonic() - started < 1.0
        pool._release(held)
        assert pool.run(job(SIMPLE)).kind == SOLUTIONS
    finally:
        pool.close()


def test_a_process_that_dies_while_answering_is_a_503_and_replaced(pool: QueryPool) -> None:
    pool.run(job(SIMPLE))
    (victim,) = pool.pids()
    threading.Timer(0.3, os.kill, (victim, 9)).start()
    with pytest.raises(QueryProcessFailed) as raised:
        pool.run(job(RUNAWAY))
    assert raised.value.http_status == 503
    assert pool.run(job(SIMPLE)).kind == SOLUTIONS


def test_errors_come_back_as_the_store_raises_them(pool: QueryPool) -> None:
    with pytest.raises(Exception, match="SPARQL syntax error at line 1") as raised:
        pool.run(job("SELECT WHERE {"))
    assert raised.value.http_status == 400  # type: ignore[attr-defined]
    with pytest.raises(ServiceFailed):  # a SERVICE target that refuses the connection
        pool.run(job("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"))


def test_query_processes_end_with_the_process_that_started_them(real_build: Project) -> None:
    """A web worker killed mid-query (SIGKILL: no clean-up runs) leaves no query running."""
    store = current_release(real_build.build_dir) / "store"
    script = textwrap.dedent(
        f"""
        import os, sys, threading, time
        from eurocities_kg.answers import Job
        from eurocities_kg.query_pool import QueryPool, StoreSpec
        pool = QueryPool(StoreSpec(path={str(store)!r}), size=1, timeout=600)
        threading.Thread(target=pool.run, args=(Job({RUNAWAY!r}, {{"solutions": "json"}}, 10),),
                         daemon=True).start()
        while not pool.pids():
            time.sleep(0.05)
        time.sleep(0.5)
        print(pool.pids()[0], flush=True)
        os.kill(os.getpid(), 9)
        """
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    child = int(run.stdout.split()[0])
    deadline = time.monotonic() + 3
    while not gone(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert gone(child), "the orphaned query process is still running"


# --- through the endpoint --------------------------------------------------------------------------


def limited_client(project: Project, **settings: object):
    from eurocities_kg.settings import load_settings
    from eurocities_kg.web import create_app

    app = create_app(load_settings(project, **settings))
    app.testing = True
    return app.test_client()


ALL_TRIPLES = "SELECT * WHERE { ?s ?p ?o }"


def test_the_endpoint_cuts_a_select_and_says_so(real_build: Project) -> None:
    client = limited_client(real_build, result_limit=5)
    response = client.get("/sparql", query_string={"query": ALL_TRIPLES})
    assert response.status_code == 200
    assert response.headers["X-Result-Truncated"] == "true"
    assert response.headers["X-Result-Limit"] == "5"
    document = response.get_json()
    assert len(document["results"]["bindings"]) == 5
    assert document["head"]["link"] == ["http://localhost/sparql#limits"]
    csv = client.get("/sparql", query_string={"query": ALL_TRIPLES}, headers={"Accept": "text/csv"})
    assert csv.headers["X-Result-Truncated"] == "true"
    assert len(csv.data.strip().splitlines()) == 6


def test_a_result_within_the_limit_carries_the_limit_but_no_truncation(real_build: Project) -> None:
    client = limited_client(real_build, result_limit=5)
    response = client.get("/sparql", query_string={"query": ALL_TRIPLES + " LIMIT 5"})
    assert response.headers["X-Result-Limit"] == "5"
    assert "X-Result-Truncated" not in response.headers
    assert "link" not in response.get_json()["head"]


def test_the_endpoint_cuts_a_construct_with_a_comment(real_build: Project) -> None:
    client = limited_client(real_build, result_limit=5)
    response = client.get(
        "/sparql",
        query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "text/turtle"},
    )
    assert response.headers["X-Result-Truncated"] == "true"
    assert response.data.startswith(b"# result cut at the endpoint's limit of 5")
    assert len(list(ox.parse(response.data, format=ox.RdfFormat.TURTLE))) == 5


def test_the_query_page_says_the_result_is_cut_and_states_the_limits(real_build: Project) -> None:
    client = limited_client(real_build, result_limit=5, query_timeout=7)
    page = client.get(
        "/sparql", query_string={"query": ALL_TRIPLES}, headers={"Accept": "text/html"}
    )
    text = page.get_data(as_text=True)
    assert page.headers["X-Result-Truncated"] == "true"
    assert 'class="truncated"' in text
    assert "The result is cut at 5 rows" in text
    assert 'id="limits"' in text
    assert "A query may run for 7 seconds" in text
    whole = client.get(
        "/sparql", query_string={"query": ALL_TRIPLES + " LIMIT 3"}, headers={"Accept": "text/html"}
    )
    assert 'class="truncated"' not in whole.get_data(as_text=True)


def test_the_service_description_states_the_limits(real_build: Project) -> None:
    client = limited_client(real_build, result_limit=5, query_timeout=7)
    described = client.get("/sparql", headers={"Accept": "text/turtle"})
    graph = ox.parse(described.data, format=ox.RdfFormat.TURTLE)
    comments = [t.object.value for t in graph if t.predicate.value.endswith("rdf-schema#comment")]
    assert any(c.startswith("time limit: 7 s per query") for c in comments), comments
    assert any(c.startswith("result limit: 5 rows or triples") for c in comments), comments


def test_the_endpoint_answers_a_runaway_query_503_within_the_limit(real_build: Project) -> None:
    client = limited_client(real_build, query_timeout=1)
    for _ in range(2):  # a timeout is never cached: the second request runs (and stops) again
        started = time.monotonic()
        response = client.post("/sparql", data={"query": RUNAWAY})
        assert time.monotonic() - started < 2.0
        assert response.status_code == 503
        error = response.get_json()["error"]
        assert (error["status"], error["title"]) == (503, "query timeout")
        assert "limit of 1 s" in error["message"]
    page = client.get("/sparql", query_string={"query": RUNAWAY}, headers={"Accept": "text/html"})
    assert page.status_code == 503
    assert "query timeout" in page.get_data(as_text=True)


# --- against the real server ---------------------------------------------------------------------


def descendants(pid: int) -> list[int]:
    from tests.security_support import children

    found = []
    for child in children(pid):
        found += [child, *descendants(child)]
    return found


def test_the_server_stops_a_runaway_query_while_simple_ones_and_pages_answer(
    real_build: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import urllib.error
    import urllib.parse
    import urllib.request

    from tests.conftest import running_server
    from tests.security_support import serve_pid

    monkeypatch.setenv("EUROCITIES_KG_QUERY_TIMEOUT", "2")
    with running_server(real_build) as url:
        outcome: dict[str, object] = {}

        def runaway() -> None:
            started = time.monotonic()
            request = urllib.request.Request(
                url + "sparql",
                data=urllib.parse.urlencode({"query": RUNAWAY}).encode(),
                headers={"Accept": "application/sparql-results+json"},
            )
            try:
                urllib.request.urlopen(request, timeout=30)
            except urllib.error.HTTPError as error:
                outcome["status"] = error.code
                outcome["body"] = json.loads(error.read())
            outcome["seconds"] = time.monotonic() - started

        thread = threading.Thread(target=runaway)
        thread.start()
        time.sleep(0.3)
        latencies: list[float] = []
        targets = ["sparql?query=" + urllib.parse.quote(f"{SIMPLE} # {i}") for i in range(200)]
        pages = ["", "id/city/cologne", "doc/city/cologne?lang=de", "charts", "download/"]
        while thread.is_alive():
            for target in (targets.pop(0), pages[len(latencies) % len(pages)]):
                started = time.monotonic()
                with urllib.request.urlopen(url + target, timeout=10) as answered:
                    assert answered.status == 200
                latencies.append(time.monotonic() - started)
        thread.join()
        assert outcome["status"] == 503
        assert outcome["body"]["error"]["title"] == "query timeout"  # type: ignore[index]
        assert 2.0 <= outcome["seconds"] < 3.0  # type: ignore[operator]
        assert len(latencies) >= 10
        assert max(latencies) < 1.0, sorted(latencies)[-5:]
        # and nothing keeps computing: the query processes of every worker are idle
        processes = [p for p in descendants(serve_pid(real_build)) if not gone(p)]
        before = {p: cpu_seconds(p) for p in processes}
        time.sleep(1.0)
        busy = {p: cpu_seconds(p) - t for p, t in before.items() if not gone(p)}
        assert all(seconds < 0.3 for seconds in busy.values()), busy


def test_sparqlwrapper_sees_the_truncation(
    real_build: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    from tests.conftest import running_server

    monkeypatch.setenv("EUROCITIES_KG_RESULT_LIMIT", "7")
    with running_server(real_build) as url:
        client = SPARQLWrapper(url + "sparql", agent="eurocities-kg-tests")
        client.setQuery(ALL_TRIPLES)
        client.setReturnFormat(JSON)
        result = client.query()
        assert result.info()["x-result-truncated"] == "true"
        assert len(result.convert()["results"]["bindings"]) == 7


def test_a_query_that_needs_more_memory_than_allowed_ends_its_process_not_the_server(
    real_build: Project,
) -> None:
    spec = StoreSpec(path=str(current_release(real_build.build_dir) / "store"))
    pool = QueryPool(spec, size=1, timeout=20, memory_mb=300)
    try:
        started = time.monotonic()
        with pytest.raises(QueryProcessFailed, match="300 MiB a query may use"):
            pool.run(job("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?f"))
        assert time.monotonic() - started < 20  # memory, not time, ended it
        assert pool.timeouts == 0
        assert pool.run(job(SIMPLE)).kind == SOLUTIONS
    finally:
        pool.close()


def test_a_busy_endpoint_says_when_to_come_back(real_build: Project) -> None:
    from eurocities_kg.settings import load_settings
    from eurocities_kg.web import create_app
    from eurocities_kg.web.state import state

    app = create_app(load_settings(real_build, query_processes=1, query_timeout=0.5))
    with app.app_context():
        pool = state().queries
    assert isinstance(pool, QueryPool)
    held = pool._acquire(time.monotonic() + 1)  # the worker's only query process, taken
    try:
        response = app.test_client().post("/sparql", data={"query": SIMPLE})
    finally:
        pool._release(held)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.get_json()["error"]["title"] == "busy"


def test_scripts_in_browsers_may_read_the_limit_headers(real_build: Project) -> None:
    response = limited_client(real_build).get("/sparql", query_string={"query": SIMPLE})
    exposed = {h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"X-Result-Limit", "X-Result-Truncated", "Retry-After"} <= exposed


def test_no_time_limit_runs_queries_in_the_worker(real_build: Project) -> None:
    from eurocities_kg.settings import load_settings
    from eurocities_kg.web import create_app
    from eurocities_kg.web.state import state

    app = create_app(load_settings(real_build, query_timeout=0))
    with app.app_context():
        assert state().queries is None  # no query processes
    response = app.test_client().get("/sparql", query_string={"query": SIMPLE})
    assert int(response.get_json()["results"]["bindings"][0]["n"]["value"]) > 2000


def test_a_service_answering_garbage_is_a_failed_service_call(small) -> None:
    import http.server

    class Garbage(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = b"{ this is not SPARQL JSON"
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST  # noqa: N815 (http.server names its handlers so)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Garbage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        target = f"http://127.0.0.1:{server.server_port}/sparql"
        with pytest.raises(ServiceFailed, match="SERVICE call"):
            answer(small, job(f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"))
    finally:
        server.shutdown()
