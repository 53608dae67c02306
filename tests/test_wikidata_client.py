"""The Wikidata client is a good citizen: a descriptive User-Agent with a contact, POSTed batched
queries, a timeout, retries with exponential backoff on 429 and 5xx that honour Retry-After (capped),
and clear errors — tested against a small scripted HTTP server on loopback."""

from __future__ import annotations

import json
import time
import urllib.parse
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from eurocities_kg.errors import WikidataQueryRejected, WikidataUnavailable
from eurocities_kg.project import find_project
from eurocities_kg.settings import load_settings
from eurocities_kg.wikidata.client import ClientConfig, WikidataClient, retry_after_seconds
from tests.conftest import REPO, free_port
from tests.wikidata_standin import Answer, scripted_endpoint

ROWS = json.dumps(
    {
        "head": {"vars": ["item"]},
        "results": {
            "bindings": [{"item": {"type": "uri", "value": "http://www.wikidata.org/entity/Q64"}}]
        },
    }
).encode()
OK = Answer(body=ROWS)
QUERY = "SELECT ?item WHERE { VALUES ?item { <http://www.wikidata.org/entity/Q64> } }"


def client(url: str, **overrides: float) -> tuple[WikidataClient, list[float]]:
    """A client whose waits are recorded instead of slept."""
    slept: list[float] = []
    config = ClientConfig(
        endpoint=url,
        user_agent="eurocities-kg/test (https://w3id.org/eurocities-kg/; test@example.org)",
        timeout=overrides.get("timeout", 5),
        retries=int(overrides.get("retries", 3)),
        backoff=overrides.get("backoff", 2.0),
        max_wait=overrides.get("max_wait", 30.0),
    )
    return WikidataClient(config, sleep=slept.append), slept


def test_answers_rows_of_sparql_json() -> None:
    with scripted_endpoint(OK) as endpoint:
        wikidata, slept = client(endpoint.url)
        rows = wikidata.select(QUERY)
    assert rows == [{"item": {"type": "uri", "value": "http://www.wikidata.org/entity/Q64"}}]
    assert slept == []


def test_sends_the_query_by_post_with_a_descriptive_user_agent() -> None:
    with scripted_endpoint(OK) as endpoint:
        client(endpoint.url)[0].select(QUERY)
    [request] = endpoint.received
    assert request.method == "POST"
    assert urllib.parse.parse_qs(request.body)["query"] == [QUERY]
    agent = request.headers["User-Agent"]
    assert agent.startswith("eurocities-kg/")
    assert "test@example.org" in agent


def test_user_agent_of_the_settings_names_the_project_and_the_contact() -> None:
    settings = load_settings(find_project(REPO), contact_email="curators@example.org")
    config = ClientConfig.from_settings(settings)
    assert config.endpoint == "https://query.wikidata.org/sparql"
    assert config.user_agent.startswith("eurocities-kg/")
    assert "(https://w3id.org/eurocities-kg/; curators@example.org)" in config.user_agent
    assert "SPARQLWrapper/" in config.user_agent
    assert ClientConfig.from_settings(settings, "http://127.0.0.1:9/sparql").endpoint == (
        "http://127.0.0.1:9/sparql"
    )


def test_a_429_is_retried_after_the_seconds_retry_after_gives() -> None:
    busy = Answer(429, b"slow down", (("Retry-After", "7"),))
    with scripted_endpoint(busy, OK) as endpoint:
        wikidata, slept = client(endpoint.url)
        assert wikidata.select(QUERY)
    assert slept == [7.0]
    assert len(endpoint.received) == 2


def test_retry_after_is_capped() -> None:
    busy = Answer(429, b"", (("Retry-After", "3600"),))
    with scripted_endpoint(busy, OK) as endpoint:
        wikidata, slept = client(endpoint.url, max_wait=30)
        wikidata.select(QUERY)
    assert slept == [30]


def test_retry_after_as_an_http_date() -> None:
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    header = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert retry_after_seconds(header, now) == 90
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds(None) is None


def test_a_500_is_retried_with_exponential_backoff() -> None:
    failing = Answer(500, b"java.util.concurrent.TimeoutException")
    with scripted_endpoint(failing, failing, failing, OK) as endpoint:
        wikidata, slept = client(endpoint.url, backoff=2.0)
        assert wikidata.select(QUERY)
    assert slept == [2.0, 4.0, 8.0]
    assert wikidata.requests == 4


def test_a_503_with_retry_after_is_honoured() -> None:
    down = Answer(503, b"", (("Retry-After", "1"),))
    with scripted_endpoint(down, OK) as endpoint:
        wikidata, slept = client(endpoint.url)
        wikidata.select(QUERY)
    assert slept == [1.0]


def test_gives_up_after_the_retries_with_a_clear_error() -> None:
    with scripted_endpoint(Answer(500, b"error")) as endpoint:
        wikidata, slept = client(endpoint.url, retries=2)
        with pytest.raises(WikidataUnavailable, match=r"answered 500 3 times"):
            wikidata.select(QUERY)
    assert len(endpoint.received) == 3
    assert slept == [2.0, 4.0]


def test_a_timeout_is_an_error_without_retries() -> None:
    with scripted_endpoint(Answer(delay=3, body=ROWS)) as endpoint:
        wikidata, slept = client(endpoint.url, timeout=1)
        started = time.monotonic()
        with pytest.raises(WikidataUnavailable, match=r"no answer from .* within 1 s"):
            wikidata.select(QUERY)
        assert time.monotonic() - started < 2.5
    assert slept == []


def test_a_bad_request_is_not_retried() -> None:
    with scripted_endpoint(Answer(400, b"bad query")) as endpoint:
        wikidata, slept = client(endpoint.url)
        with pytest.raises(WikidataQueryRejected, match="HTTP 400"):
            wikidata.select(QUERY)
    assert len(endpoint.received) == 1
    assert slept == []


def test_an_answer_that_is_not_sparql_json_is_rejected() -> None:
    page = Answer(body=b"<html>maintenance</html>", headers=(("Content-Type", "text/html"),))
    with scripted_endpoint(page) as endpoint, pytest.raises(WikidataQueryRejected):
        client(endpoint.url)[0].select(QUERY)


def test_no_server_is_a_clear_error() -> None:
    wikidata, _ = client(f"http://127.0.0.1:{free_port()}/sparql")
    with pytest.raises(WikidataUnavailable, match="cannot reach"):
        wikidata.select(QUERY)
