"""Federated queries: /sparql lets SERVICE call only the endpoints of the allow-list (default: the
Wikidata query service) and refuses any other target — variables included — with a 400 before any
connection. The example query 19 runs against the stand-in with the allow-list set to it (in these
tests only). And the build stays offline: only the Wikidata commands use the network."""

from __future__ import annotations

import re
import socket
import urllib.parse
from pathlib import Path

import pytest

from eurocities_kg.build import build
from eurocities_kg.errors import QueryRefused
from eurocities_kg.project import Project, find_project
from eurocities_kg.query_guard import check_query, service_targets
from eurocities_kg.settings import load_settings
from eurocities_kg.web import create_app
from tests.conftest import REPO
from tests.wikidata_standin import WIKIDATA_ENDPOINT, scripted_endpoint

QUERY_19 = (REPO / "queries" / "19-members-with-wikidata-population.rq").read_text(encoding="utf-8")


def get(client, query: str):
    return client.get("/sparql?" + urllib.parse.urlencode({"query": query}))


def service(target: str) -> str:
    return f"SELECT * WHERE {{ SERVICE {target} {{ ?s ?p ?o }} }}"


# ---------------------------------------------------------------------------------------------------
# The guard


def test_the_default_allow_list_is_the_wikidata_endpoint(real_build: Project) -> None:
    assert load_settings(real_build).service_allow_list == (WIKIDATA_ENDPOINT,)


def test_the_allow_list_can_be_set_in_the_environment(
    real_build: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EUROCITIES_KG_SERVICE_ALLOW_LIST", "http://a.example/sparql, http://b/q")
    assert load_settings(real_build).service_allow_list == ("http://a.example/sparql", "http://b/q")


def test_an_allowed_target_passes_and_any_other_is_refused() -> None:
    check_query(service(f"<{WIKIDATA_ENDPOINT}>"), [WIKIDATA_ENDPOINT])
    check_query(QUERY_19, [WIKIDATA_ENDPOINT])
    with pytest.raises(QueryRefused, match=r"SERVICE <http://127\.0\.0\.1:9/q> is not allowed"):
        check_query(service("<http://127.0.0.1:9/q>"), [WIKIDATA_ENDPOINT])
    with pytest.raises(QueryRefused, match=re.escape(f"may only call: <{WIKIDATA_ENDPOINT}>")):
        check_query(service(f"<{WIKIDATA_ENDPOINT}/>"), [WIKIDATA_ENDPOINT])  # exact IRIs only


def test_a_variable_target_is_always_refused() -> None:
    with pytest.raises(QueryRefused, match=r"SERVICE \?endpoint is not allowed here: .* name"):
        check_query(service("?endpoint"), [WIKIDATA_ENDPOINT])
    with pytest.raises(QueryRefused):
        check_query(service("SILENT $endpoint"), [WIKIDATA_ENDPOINT])


def test_prefixed_names_are_expanded_before_checking() -> None:
    prologue = "PREFIX wdqs: <https://query.wikidata.org/> PREFIX x: <http://127.0.0.1:9/> "
    assert service_targets(prologue + service("wdqs:sparql")) == [WIKIDATA_ENDPOINT]
    check_query(prologue + service("wdqs:sparql"), [WIKIDATA_ENDPOINT])
    with pytest.raises(QueryRefused, match=re.escape("<http://127.0.0.1:9/sparql>")):
        check_query(prologue + service("x:sparql"), [WIKIDATA_ENDPOINT])


def test_service_in_a_string_or_comment_is_no_call() -> None:
    check_query('SELECT ?x WHERE { BIND("SERVICE <http://x/>" AS ?x) } # SERVICE <http://y/>', [])


# ---------------------------------------------------------------------------------------------------
# The endpoint


def test_a_target_outside_the_allow_list_is_400_before_connecting(client) -> None:
    with scripted_endpoint() as endpoint:
        response = get(client, service(f"<{endpoint.url}>"))
        variable = get(client, service("?somewhere"))
    assert response.status_code == 400
    message = response.get_json()["error"]["message"]
    assert f"SERVICE <{endpoint.url}> is not allowed" in message
    assert WIKIDATA_ENDPOINT in message
    assert variable.status_code == 400
    assert endpoint.received == []


@pytest.fixture
def federating_client(real_build: Project, wikidata_standin: str):
    """The app with the stand-in as the only allowed SERVICE target (in this test only)."""
    settings = load_settings(
        real_build, service_allow_list=(wikidata_standin,), service_allow_private=True
    )
    return create_app(settings).test_client()


def test_query_19_federates_with_the_allowed_stand_in(federating_client, wikidata_standin) -> None:
    response = get(federating_client, QUERY_19.replace(WIKIDATA_ENDPOINT, wikidata_standin))
    assert response.status_code == 200, response.get_data(as_text=True)
    rows = response.get_json()["results"]["bindings"]
    populations = {row["cityLabel"]["value"]: row["population"]["value"] for row in rows}
    assert populations["Bochum"] == "366385"
    assert populations["Leipzig"] == "619879"
    assert len(rows) == 12


def test_the_wikidata_endpoint_itself_is_refused_when_not_on_the_list(federating_client) -> None:
    response = get(federating_client, QUERY_19)  # untouched: https://query.wikidata.org/sparql
    assert response.status_code == 400
    assert "is not allowed" in response.get_json()["error"]["message"]


def test_the_service_description_names_the_allow_list(client) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert f"SERVICE only to {WIKIDATA_ENDPOINT}" in response.get_data(as_text=True)


# ---------------------------------------------------------------------------------------------------
# Offline by default


def test_the_build_uses_no_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(self: socket.socket, address: object) -> None:
        raise AssertionError(f"the build tried to connect to {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    manifest = build(find_project(REPO, tmp_path / "build"))
    assert manifest["validation"]["violations"] == 0
