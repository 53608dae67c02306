"""The per-build response cache: SPARQL results and documents kept serialized, answered again
without querying or rendering, in front of Flask for repeated GETs (web/cache.py)."""

from __future__ import annotations

import pytest

from eurocities_kg.project import Project
from eurocities_kg.settings import load_settings
from eurocities_kg.web import create_app
from eurocities_kg.web.cache import Entry, ResponseCache
from eurocities_kg.web.state import state

QUERY = "SELECT ?label WHERE { <https://w3id.org/eurocities-kg/id/city/bochum> <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label"
JSON = {"Accept": "application/sparql-results+json"}


@pytest.fixture
def fresh(real_build: Project):
    app = create_app(load_settings(real_build))
    app.testing = True
    return app


class CountingStore:
    def __init__(self, store) -> None:
        self.store = store
        self.calls = 0

    def query(self, *args, **kwargs):
        self.calls += 1
        return self.store.query(*args, **kwargs)


def counting(app) -> CountingStore:
    with app.app_context():
        current = state()
        spy = CountingStore(current.store)
        object.__setattr__(current, "store", spy)
        # the endpoint's queries in this thread, on the spy, instead of in query processes
        object.__setattr__(current, "queries", None)
    return spy


def test_a_repeated_query_is_answered_from_the_cache(fresh) -> None:
    spy = counting(fresh)
    client = fresh.test_client()
    first = client.get("/sparql", query_string={"query": QUERY}, headers=JSON)
    calls = spy.calls
    second = client.get("/sparql", query_string={"query": QUERY}, headers=JSON)
    third = client.post("/sparql", data={"query": QUERY}, headers=JSON)
    fourth = client.post("/sparql", data={"query": QUERY}, headers=JSON)
    assert first.status_code == second.status_code == third.status_code == fourth.status_code == 200
    assert first.get_data() == second.get_data() == third.get_data() == fourth.get_data()
    assert spy.calls == calls + 1  # the GET again: no query; the first POST: one; again: none
    assert first.headers["ETag"] == second.headers["ETag"]
    assert second.headers["Access-Control-Allow-Origin"] == "*"
    assert second.headers["Content-Type"] == first.headers["Content-Type"]


def test_what_the_client_accepts_is_part_of_the_key(fresh) -> None:
    client = fresh.test_client()
    as_json = client.get("/sparql", query_string={"query": QUERY}, headers=JSON)
    as_csv = client.get("/sparql", query_string={"query": QUERY}, headers={"Accept": "text/csv"})
    by_format = client.get("/sparql", query_string={"query": QUERY, "format": "xml"}, headers=JSON)
    assert as_json.mimetype == "application/sparql-results+json"
    assert as_csv.mimetype == "text/csv"
    assert by_format.mimetype == "application/sparql-results+xml"


def test_conditional_and_head_requests_are_answered_from_the_cache(fresh) -> None:
    spy = counting(fresh)
    client = fresh.test_client()
    first = client.get("/doc/city/bochum.ttl")
    calls = spy.calls
    etag = first.headers["ETag"]
    again = client.get("/doc/city/bochum.ttl", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    stale = client.get("/doc/city/bochum.ttl", headers={"If-None-Match": '"other"'})
    assert stale.status_code == 200
    assert stale.get_data() == first.get_data()
    modified = client.get(
        "/doc/city/bochum.ttl", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert modified.status_code == 304
    head = client.head("/doc/city/bochum.ttl")
    assert head.status_code == 200
    assert head.get_data() == b""
    assert head.headers["Content-Length"] == first.headers["Content-Length"]
    assert spy.calls == calls  # none of these asked the store


def test_pages_differ_by_language_and_representation(fresh) -> None:
    client = fresh.test_client()
    english = client.get("/doc/city/cologne", headers={"Accept-Language": "en"})
    german = client.get("/doc/city/cologne", headers={"Accept-Language": "de"})
    turtle = client.get("/doc/city/cologne", headers={"Accept": "text/turtle"})
    assert '<html lang="en">' in english.get_data(as_text=True)
    assert '<html lang="de">' in german.get_data(as_text=True)
    assert turtle.mimetype == "text/turtle"
    assert client.get("/doc/city/cologne", headers={"Accept-Language": "de"}).get_data() == (
        german.get_data()
    )


def test_errors_and_unknown_things_are_not_kept(fresh) -> None:
    spy = counting(fresh)
    client = fresh.test_client()
    for _ in range(2):
        assert client.get("/doc/city/atlantis.ttl").status_code == 404
    assert spy.calls >= 2
    for _ in range(2):
        response = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
        assert response.status_code == 400


def test_a_cache_of_size_zero_keeps_nothing(real_build: Project) -> None:
    app = create_app(load_settings(real_build, result_cache_entries=0))
    spy = counting(app)
    client = app.test_client()
    for _ in range(3):
        assert client.get("/sparql", query_string={"query": QUERY}, headers=JSON).status_code == 200
    assert spy.calls == 3


def test_the_lru_is_bounded_by_entries_and_bytes() -> None:
    cache = ResponseCache(max_entries=3, max_bytes=64_000)
    for n in range(5):
        cache.put(n, Entry(200, (), b"x" * 10, "e"))
    assert len(cache) == 3
    assert cache.get(0) is None
    assert cache.get(4) is not None
    cache.put("big", Entry(200, (), b"x" * 9000, "e"))  # over an eighth of the budget: not kept
    assert cache.get("big") is None
    small = ResponseCache(max_entries=100, max_bytes=8000)
    for n in range(10):
        small.put(n, Entry(200, (), b"x" * 700, "e"))
    assert sum(small.get(n) is not None for n in range(10)) < 10  # evicted by bytes
