"""SERVICE is closed except to the allow-list, and never reaches loopback, private ranges, file: or
non-HTTP targets — refused before any connection is made (issue 6, point 4)."""

from __future__ import annotations

import socket
import urllib.parse
from collections.abc import Iterator

import pytest

from eurocities_kg.errors import QueryRefused
from eurocities_kg.query_guard import check_query
from eurocities_kg.settings import load_settings
from eurocities_kg.web import create_app

WIKIDATA = "https://query.wikidata.org/sparql"


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A loopback port that records whether anything connects."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.settimeout(0.5)
    yield sock
    sock.close()


def no_connection_arrived(sock: socket.socket) -> bool:
    try:
        connection, _ = sock.accept()
    except TimeoutError:
        return True
    connection.close()
    return False


def service_query(target: str) -> str:
    return f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"


@pytest.mark.parametrize(
    "target",
    [
        "file:///etc/passwd",
        "ftp://ftp.example/x",
        "gopher://x.example/",
        "http://localhost/sparql",
        "http://127.0.0.1/sparql",
        "http://[::1]/sparql",
        "http://10.0.0.8/sparql",
        "http://192.168.1.2/",
        "http://172.16.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/",
        "http://db.internal/sparql",
    ],
)
def test_private_and_non_http_targets_are_refused_even_when_allow_listed(target: str) -> None:
    with pytest.raises(QueryRefused, match="is not allowed"):
        check_query(service_query(target), allowed_services=(target,))


def test_an_allow_listed_public_endpoint_passes() -> None:
    check_query(service_query(WIKIDATA), allowed_services=(WIKIDATA,))


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
        "PREFIX x: <http://127.0.0.1:{port}/> SELECT * WHERE { SERVICE x:sparql { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { OPTIONAL { service <http://127.0.0.1:{port}/sparql> { ?s ?p ?o } } }",
        "BASE <http://127.0.0.1:{port}/> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
    ],
)
def test_the_endpoint_refuses_before_connecting(real_build, listener, query: str) -> None:
    port = listener.getsockname()[1]
    client = create_app(load_settings(real_build)).test_client()
    url = "/sparql?" + urllib.parse.urlencode({"query": query.replace("{port}", str(port))})
    response = client.get(url)
    assert response.status_code == 400
    assert "not allowed" in response.get_json()["error"]["message"]
    assert no_connection_arrived(listener)


def test_allow_listed_loopback_is_refused_unless_private_targets_are_allowed(
    real_build, listener
) -> None:
    target = f"http://127.0.0.1:{listener.getsockname()[1]}/sparql"
    settings = load_settings(real_build, service_allow_list=(target,))
    response = (
        create_app(settings)
        .test_client()
        .get("/sparql?" + urllib.parse.urlencode({"query": service_query(target)}))
    )
    assert response.status_code == 400
    assert "127.0.0.1 is not a public address" in response.get_json()["error"]["message"]
    assert no_connection_arrived(listener)


def test_the_private_switch_comes_from_the_environment(real_build, monkeypatch) -> None:
    monkeypatch.setenv("EUROCITIES_KG_SERVICE_ALLOW_PRIVATE", "true")
    assert load_settings(real_build).service_allow_private is True


def test_a_failing_service_call_is_a_502_with_the_canonical_body(real_build) -> None:
    from tests.conftest import free_port

    target = f"http://127.0.0.1:{free_port()}/sparql"  # nothing listens there
    settings = load_settings(real_build, service_allow_list=(target,), service_allow_private=True)
    response = (
        create_app(settings)
        .test_client()
        .get("/sparql?" + urllib.parse.urlencode({"query": service_query(target)}))
    )
    assert response.status_code == 502
    assert response.get_json()["error"]["title"] == "federated query failed"
