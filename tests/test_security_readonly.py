"""Issue 6, point 3: the endpoint is read-only by construction. SPARQL Update in any form (GET
`update=`, a form POST `update=`, a POST of `application/sparql-update`, an update sent as a query),
`LOAD`, and `FROM <remote>` / `FROM NAMED <remote>` are refused (403 for updates) or fetch nothing —
and change nothing: the store's content, the release's bytes and everything served are hashed
before and after a battery of such requests against the real server, and a loopback listener
named as the remote proves that no connection is ever made."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from eurocities_kg.project import Project
from tests.security_support import (
    Answer,
    assert_canonical_error,
    loopback_listener,
    raw_request,
    served_digest,
    sparql_url,
    store_digest,
    tree_digest,
)

pytestmark = pytest.mark.e2e

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
TRIPLE = "<https://example.org/s> <https://example.org/p> <https://example.org/o>"


def updates(remote: str) -> list[str]:
    """Updates of every kind, in the disguises a guard could miss."""
    return [
        f"INSERT DATA {{ {TRIPLE} }}",
        f"insert data {{ {TRIPLE} }}",
        f"# a comment first\nPREFIX ex: <https://example.org/>\nINSERT DATA {{ {TRIPLE} }}",
        f"BASE <https://example.org/> INSERT DATA {{ {TRIPLE} }}",
        "DELETE WHERE { ?s ?p ?o }",
        "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        f"WITH <https://example.org/g> DELETE {{ ?s ?p ?o }} INSERT {{ {TRIPLE} }} WHERE {{ ?s ?p ?o }}",
        "CLEAR ALL",
        "DROP ALL",
        "DROP SILENT GRAPH <https://w3id.org/eurocities-kg/graph/ontology>",
        "CREATE GRAPH <https://example.org/g>",
        "ADD DEFAULT TO <https://example.org/g>",
        "MOVE DEFAULT TO <https://example.org/g>",
        "COPY DEFAULT TO <https://example.org/g>",
        f"LOAD <{remote}>",
        f"LOAD SILENT <{remote}> INTO GRAPH <https://example.org/g>",
        f"INSERT DATA {{ {TRIPLE} }} ; LOAD <{remote}>",
    ]


def update_requests(remote: str) -> Iterator[tuple[str, bytes, bytes, dict[str, str], bytes]]:
    """(description, method, target, headers, body) for every way to send each update."""
    for update in updates(remote):
        q = quote(update, safe="")
        yield "GET update=", b"GET", f"/sparql?update={q}".encode(), {}, b""
        yield "GET query=", b"GET", f"/sparql?query={q}".encode(), {}, b""
        yield "GET both", b"GET", f"/sparql?query=ASK%7B%7D&update={q}".encode(), {}, b""
        form = {"Content-Type": FORM}
        yield "POST form update=", b"POST", b"/sparql", form, f"update={q}".encode()
        yield "POST form query=", b"POST", b"/sparql", form, f"query={q}".encode()
        yield "POST form both", b"POST", b"/sparql", form, f"query=ASK%7B%7D&update={q}".encode()
        yield "POST form, update= in URL", b"POST", f"/sparql?update={q}".encode(), form, b"x=1"
        for content_type in (UPDATE, f"{UPDATE}; charset=utf-8", UPDATE.upper(), DIRECT):
            headers = {"Content-Type": content_type}
            yield f"POST {content_type}", b"POST", b"/sparql", headers, update.encode()


NOT_ALLOWED = [  # the Graph Store Protocol's writes, and writes to anything else
    (b"PUT", b"/sparql"),
    (b"DELETE", b"/sparql"),
    (b"PATCH", b"/sparql"),
    (b"PUT", b"/graph/ontology"),
    (b"POST", b"/graph/ontology"),
    (b"DELETE", b"/graph/ontology"),
    (b"PUT", b"/download/eurocities-kg.ttl"),
    (b"POST", b"/download/eurocities-kg.ttl"),
    (b"DELETE", b"/doc/city/bochum"),
]


def remote_reads(remote: str) -> list[str]:
    """Queries that would read a remote graph if the engine dereferenced IRIs."""
    return [
        f"SELECT * FROM <{remote}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{remote}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{remote}> FROM NAMED <{remote}#n> WHERE {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} FROM <{remote}> WHERE {{ ?s ?p ?o }}",
        f"ASK FROM <{remote}> {{ ?s ?p ?o }}",
        f"DESCRIBE <{remote}>",
        f"SELECT * WHERE {{ GRAPH <{remote}> {{ ?s ?p ?o }} }}",
    ]


def fetched_nothing(answer: Answer) -> bool:
    """An empty answer: no solutions, `false`, or an empty graph."""
    body = answer.body.strip()
    return body in (b"", b"false") or b'"bindings":[]' in body or b'"boolean":false' in body


@pytest.fixture
def snapshot(real_build: Project, live_server: str) -> Iterator[None]:
    """Asserts, after the test, that the store, the release's bytes and everything served are
    exactly what they were before it."""
    release = (real_build.build_dir / "current").resolve()
    before = (store_digest(release / "store"), tree_digest(release), served_digest(live_server))
    yield
    assert (real_build.build_dir / "current").resolve() == release
    after = (store_digest(release / "store"), tree_digest(release), served_digest(live_server))
    assert after == before


@pytest.mark.usefixtures("snapshot")
def test_every_form_of_update_is_refused_with_403_and_changes_nothing(live_server: str) -> None:
    with loopback_listener() as (port, arrived):
        remote = f"http://127.0.0.1:{port}/remote.ttl"
        for how, method, target, headers, body in update_requests(remote):
            answer = raw_request(live_server, target, method, headers, body)
            assert answer.status == 403, (how, target[:80], answer.status, answer.body[:200])
            assert_canonical_error(answer, 403)
        assert arrived == [], "LOAD connected to the remote"


@pytest.mark.usefixtures("snapshot")
def test_writes_by_other_methods_are_405(live_server: str) -> None:
    for method, target in NOT_ALLOWED:
        answer = raw_request(live_server, target, method, {"Content-Type": "text/turtle"}, b"")
        assert_canonical_error(answer, 405)
        allowed = answer.headers["allow"]
        assert "PUT" not in allowed
        assert "DELETE" not in allowed


@pytest.mark.usefixtures("snapshot")
def test_from_a_remote_graph_fetches_nothing(live_server: str) -> None:
    with loopback_listener() as (port, arrived):
        remote = f"http://127.0.0.1:{port}/remote.ttl"
        for query in remote_reads(remote):
            answer = raw_request(live_server, sparql_url(query).encode())
            if answer.status == 200:
                assert fetched_nothing(answer), (query, answer.body[:200])
            else:
                assert_canonical_error(answer)
        for parameter in ("default-graph-uri", "named-graph-uri"):
            target = sparql_url("SELECT * WHERE { ?s ?p ?o }", **{parameter: remote})
            answer = raw_request(live_server, target.encode())
            assert answer.status == 200, answer.body[:200]
            assert fetched_nothing(answer), answer.body[:200]
        assert arrived == [], f"the server connected to {remote}: {arrived}"


def test_update_in_the_url_of_a_direct_post_is_refused(live_server: str) -> None:
    target = f"/sparql?update={quote(f'INSERT DATA {{ {TRIPLE} }}', safe='')}".encode()
    answer = raw_request(live_server, target, b"POST", {"Content-Type": DIRECT}, b"ASK {}")
    assert_canonical_error(answer, 403)


def test_the_store_digest_sees_a_change(tmp_path: Path, real_build: Project) -> None:
    """The digest the tests above compare would notice a single added quad."""
    import shutil

    import pyoxigraph as ox

    copy = tmp_path / "store"
    shutil.copytree((real_build.build_dir / "current" / "store").resolve(), copy)
    before = store_digest(copy)
    store = ox.Store(str(copy))
    store.update(f"INSERT DATA {{ {TRIPLE} }}")
    store.flush()
    del store
    assert store_digest(copy) != before
