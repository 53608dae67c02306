"""Issue 6, point 6: bad input is a clear 4xx with the one error body, never a 5xx or a traceback —
malformed queries, over-long queries, bad Accept headers, unknown formats, path traversal, bad
percent-encoding, methods not allowed, over-long request lines.

A property-based test generates requests across every route of the app (its URL map) with random
methods, paths, query strings, headers and bodies; explicit cases pin down what it found and what
only the real server (gunicorn, below the app) sees."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, unquote_to_bytes

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Rule

from eurocities_kg.project import Project
from eurocities_kg.settings import load_settings
from eurocities_kg.web import create_app
from tests.security_support import (
    ARGUMENT,
    ERROR_KEYS,
    argument_values,
    assert_canonical_error,
    raw_request,
    rule_path,
)

METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "FOO")
QUERIES = (
    "SELECT * WHERE { ?s ?p ?o } LIMIT 3",
    "ASK { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3",
    "DESCRIBE <https://w3id.org/eurocities-kg/id/city/bochum>",
    "SELECT * WHERE { ?s ?p }",
    "INSERT DATA { <a:b> <a:c> <a:d> }",
    "SELECT * FROM <http://127.0.0.1:9/x> WHERE { ?s ?p ?o } LIMIT 1",
)
GARBAGE = ("%zz", "%", "%ff%fe", "%C0%AF", "%00", "²", "١", "-1", "0", "9" * 30, "..", "\\", "<x>")
ACCEPTS = (
    "text/html",
    "application/json",
    "text/plain",
    "text/turtle",
    "application/ld+json",
    "application/sparql-results+json",
    "text/csv",
    "*/*",
    "garbage",
    ";;;,,,",
    "text/html;q=abc",
    "*/*;q=abc",
    "a/b;q=1e9",
    "image/png",
    "text/*;q=0, */*;q=0",
    "text/html, " * 400,
)
CONTENT_TYPES = (
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=latin1",
    "application/sparql-query",
    "application/sparql-query; charset=ebcdic",
    "application/sparql-update",
    "multipart/form-data; boundary=x",
    "multipart/form-data",
    "application/json",
    "garbage",
    "",
)
OTHER_HEADERS = {
    "Accept-Language": ("de", "en", "xx", "*", "de;q=abc", "garbage;;"),
    "If-None-Match": ('"x"', "*", 'W/"x"', "garbage"),
    "If-Modified-Since": ("Tue, 24 Nov 2026 00:00:00 GMT", "garbage", "0"),
    "Range": ("bytes=0-10", "bytes=10-5", "bytes=abc", "bytes=0-0,5-6", "lines=1-2"),
    "If-Range": ('"x"', "garbage"),
}


# --- the app over the real build, and values that reach deep into each route --------------------


@pytest.fixture(scope="module")
def real_app(real_build: Project) -> Flask:
    app = create_app(load_settings(real_build))
    app.testing = True
    return app


HOSTILE_SEGMENTS = (
    b"..",
    b"%2e%2e",
    b"%252e%252e",
    b"..%2f..%2fmanifest.json",
    b"..%5c..%5cmanifest.json",
    b"..\\..\\manifest.json",
    b"%00",
    b"x%00.ttl",
    b"%zz",
    b"%C0%AF",
    b"%ff%fe",
    b"%E2%80%AE",
    b"a" * 300,
    b"",
)
# The parameters each endpoint reads (others get a generic few), and the values worth trying.
PARAMETERS = {
    "sparql.endpoint": (
        *("query", "update", "format", "output", "results", "example", "lang"),
        *("default-graph-uri", "named-graph-uri"),
    ),
    "resources.document": ("page", "lang", "format"),
    "resources.thing": ("lang", "page"),
}
OTHER_PARAMETERS = ("lang", "format", "page", "x")
VALUES = {
    "page": ("1", "2", "3", "0", "-1", "²", "١", "1.5", "9" * 30, "%zz"),
    "lang": ("de", "en", "fr", "", "%ff", "de-DE"),
    "format": ("json", "ttl", "xml", "csv", "tsv", "jsonld", "rdfxml", "html", "xyz", "%00"),
    "example": ("01-members-since", "no-such-example", "..%2f..%2fREADME"),
    "default-graph-uri": ("https://w3id.org/eurocities-kg/graph/ontology", "not an iri", "%zz"),
}


def segment(known: list[str]) -> st.SearchStrategy[bytes]:
    """A path segment as sent on the wire: mostly a known value (to reach the handler's insides),
    else a hostile one, or random (quoted or raw)."""
    good = st.sampled_from([k.encode() for k in known] or [b"x"])
    return st.one_of(
        good,
        good,
        good,
        st.sampled_from(HOSTILE_SEGMENTS),
        st.text(max_size=16).map(lambda t: quote(t, safe="").encode()),
        st.binary(max_size=12).map(lambda b: quote(b, safe="/.").encode()),
    )


def parameter_value(name: str) -> st.SearchStrategy[str]:
    """A value for a query-string parameter: one worth trying for it, or anything (encoded)."""
    worth = VALUES.get(name, ("1", "json", "de"))
    if name in ("query", "update"):
        worth = tuple(quote(q, safe="") for q in QUERIES)
    return st.one_of(
        st.sampled_from(worth),
        st.sampled_from(worth),
        st.sampled_from(GARBAGE).map(lambda g: g.replace("<", "%3C").replace(">", "%3E")),
        st.text(max_size=20).map(lambda t: quote(t, safe="")),
        st.binary(max_size=8).map(lambda b: quote(b, safe="")),
    )


def query_string(endpoint: str) -> st.SearchStrategy[bytes]:
    names = PARAMETERS.get(endpoint, OTHER_PARAMETERS)
    pair = st.sampled_from(names).flatmap(
        lambda name: parameter_value(name).map(lambda value: f"{name}={value}")
    )
    return st.lists(pair, max_size=4).map(lambda pairs: "&".join(pairs).encode())


def headers() -> st.SearchStrategy[dict[str, str]]:
    optional = {
        name: st.sampled_from(choices) | st.text(max_size=30)
        for name, choices in OTHER_HEADERS.items()
    }
    return st.fixed_dictionaries(
        {},
        optional={
            "Accept": st.sampled_from(ACCEPTS) | st.text(max_size=40),
            "Content-Type": st.sampled_from(CONTENT_TYPES) | st.text(max_size=30),
            **optional,
        },
    ).map(lambda found: {k: _header_safe(v) for k, v in found.items()})


def _header_safe(value: str) -> str:
    """What can travel in a header: latin-1, no line breaks."""
    return re.sub(r"[\r\n\x00]", " ", value.encode("utf-8").decode("latin-1"))


def bodies() -> st.SearchStrategy[bytes]:
    return st.one_of(
        st.just(b""),
        st.sampled_from(QUERIES).map(str.encode),
        st.sampled_from(QUERIES).map(lambda q: b"query=" + quote(q, safe="").encode()),
        st.sampled_from(QUERIES).map(lambda q: b"update=" + quote(q, safe="").encode()),
        st.binary(max_size=64),
    )


def wire_path(rule: Rule, draw: Callable[[st.SearchStrategy[Any]], Any], known: dict) -> bytes:
    """The rule's path as sent on the wire: half of the time one that exists (the i-th known value
    of every argument), else each argument replaced by a drawn segment."""
    parts = ARGUMENT.split(rule.rule)  # text, argument, text, argument, …, text
    arguments = parts[1::2]
    if arguments and draw(st.booleans()):
        count = min(len(known.get((rule.endpoint, a), [])) for a in arguments)
        if count:
            index = draw(st.integers(0, count - 1))
            values = {a: known[(rule.endpoint, a)][index] for a in arguments}
            return ARGUMENT.sub(lambda m: values[m.group(1)], rule.rule).encode()
    path = b""
    for index, part in enumerate(parts):
        if index % 2:
            path += draw(segment(known.get((rule.endpoint, part), [])))
        else:
            path += part.encode()
    return path


# --- the property ------------------------------------------------------------------------------


def check_answer(response: Any, method: str, sent: dict[str, str]) -> None:
    """No 5xx; every 4xx in the one error body: JSON unless the client prefers HTML or text."""
    assert response.status_code < 500, (response.status_code, response.get_data()[:300])
    if response.status_code >= 400 and method != "HEAD":
        check_error_body(response, sent)


def check_error_body(response: Any, sent: dict[str, str]) -> None:
    body = response.get_data()
    assert b"Traceback" not in body
    if response.mimetype == "application/json":
        error = json.loads(body)["error"]
        assert set(error) == ERROR_KEYS
        assert error["status"] == response.status_code
    elif response.mimetype == "text/plain":
        assert body.startswith(f"{response.status_code} ".encode()), body[:200]
    else:
        assert response.mimetype == "text/html", response.mimetype
        assert "Accept" in sent, "without Accept the error body must be JSON"
        assert b"<html" in body


@settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_request_to_any_route_gets_a_5xx_or_a_body_other_than_the_error_body(
    real_app: Flask, data: st.DataObject
) -> None:
    rules = sorted(real_app.url_map.iter_rules(), key=lambda r: r.rule)
    known = argument_values(real_app)
    rule = data.draw(st.sampled_from(rules), label="rule")
    path = wire_path(rule, data.draw, known)
    method = data.draw(st.sampled_from(METHODS), label="method")
    query = data.draw(query_string(rule.endpoint), label="query string")
    sent = data.draw(headers(), label="headers")
    body = data.draw(bodies(), label="body")
    environ = {  # as gunicorn hands them over: the path percent-decoded, as latin-1
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query.decode("latin-1"),
        "RAW_URI": (path + b"?" + query).decode("latin-1"),
    }
    client = real_app.test_client()
    response = client.open("/", method=method, headers=sent, data=body, environ_overrides=environ)
    check_answer(response, method, sent)


def test_every_route_is_reached_by_the_property(real_app: Flask) -> None:
    """The generator knows a real value for every argument of every route (so that it reaches
    the handlers, not only their 404s)."""
    known = argument_values(real_app)
    for rule in real_app.url_map.iter_rules():
        for argument in rule.arguments:
            assert known.get((rule.endpoint, argument)), (rule.rule, argument)


# --- what the property found, and the cases it must keep covering ---------------------------------


@pytest.mark.parametrize("page", ["²", "١", "1.5", "-1", "0", "9" * 30, "%zz", ""])
def test_a_bad_page_number_is_400(client, page: str) -> None:
    """'²'.isdigit() is True but int('²') fails: this was a 500."""
    response = client.get(f"/doc/city/bochum?page={quote(page)}")
    assert response.status_code == 400, response.get_data()[:200]
    assert set(response.get_json()["error"]) == ERROR_KEYS


TRAVERSALS = (
    "/download/../manifest.json",
    "/download/..%2fmanifest.json",
    "/download/%2e%2e%2fmanifest.json",
    "/download/%252e%252e%252fmanifest.json",
    "/download/..%5cmanifest.json",
    "/download/..\\manifest.json",
    "/download/eurocities-kg.ttl%00.json",
    "/download/%00",
    "/download/dumps/../../manifest.json",
    "/download//etc/passwd",
    "/download/%2fetc%2fpasswd",
    "/doc/city/..%2f..%2fmanifest",
    "/doc/..%2f..%2f/bochum",
    "/doc/city/bochum%00.ttl",
    "/doc/city/bochum.ttl%00",
    "/doc/city/%2e%2e",
    "/doc/city/..%5c..%5cmanifest.json",
    "/doc/%252e%252e/bochum",
    "/graph/..%2fmanifest.json",
    "/changes/..%2fmanifest.json",
    "/static/..%2f..%2fcli.py",
    "/static/%2e%2e/%2e%2e/cli.py",
)


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_is_a_404_that_reveals_nothing(client, path: str) -> None:
    response = client.get(path, follow_redirects=True)  # `//` is merged by a redirect first
    assert response.status_code == 404, (path, response.status_code)
    body = response.get_data()
    assert set(json.loads(body)["error"]) == ERROR_KEYS
    for secret in (b'"buildId"', b"root:", b"import ", b"sha256"):
        assert secret not in body


@pytest.mark.parametrize(
    "path",
    [
        "/%zz",
        "/doc/%zz/x",
        "/download/%C0%AF",
        "/doc/city/bochum%ff",
        "/sparql?query=%zz",
        "/sparql?query=%ff%fe",
        "/?lang=%ff",
        "/doc/city/bochum?lang=%C0%AF",
        "/catalog?format=%",
    ],
)
def test_bad_percent_encoding_is_a_clear_answer(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert set(response.get_json()["error"]) == ERROR_KEYS


def test_a_method_not_allowed_is_405_with_allow_and_the_error_body(real_app: Flask) -> None:
    known = argument_values(real_app)
    client = real_app.test_client()
    for rule in real_app.url_map.iter_rules():
        path = rule_path(rule, known)
        for method in ("PUT", "DELETE", "PATCH", "TRACE", "FOO"):
            response = client.open(path, method=method)
            assert response.status_code == 405, (path, method, response.status_code)
            allowed = {m.strip() for m in response.headers["Allow"].split(",")}
            assert allowed == set(rule.methods or ()), (path, allowed)
            error = response.get_json()["error"]
            assert set(error) == ERROR_KEYS
            assert error["status"] == 405


@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize(
    "path", ["/doc/city/bochum", "/catalog", "/sparql", "/download/", "/def", "/changes", "/"]
)
def test_a_bad_accept_header_is_served_or_406(client, path: str, accept: str) -> None:
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code in (200, 406), (path, accept, response.status_code)
    if response.status_code == 406:
        check_error_body(response, {"Accept": accept})
        assert b"offered" in response.get_data()


@pytest.mark.parametrize(
    "path",
    [
        "/catalog.xyz",
        "/def.exe",
        "/doc/city/bochum.xyz",
        "/graph/ontology.xyz",
        "/validation-report.pdf",
        "/def/shapes.html5",
    ],
)
def test_an_unknown_format_extension_is_404(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404, (path, response.status_code)
    assert set(response.get_json()["error"]) == ERROR_KEYS


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { ?s ?p }",
        "SELEC",
        "",
        "}",
        "PREFIX : <x SELECT",
        "SELECT ?x WHERE {",
        "ASK { FILTER(",
        "SELECT * { ?s ?p ?o } LIMIT -1",
        "\x00",
        "\ufeffASK {}",
    ],
)
def test_a_malformed_query_is_400_naming_the_problem(client, query: str) -> None:
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400, (query, response.status_code)
    error = response.get_json()["error"]
    assert set(error) == ERROR_KEYS
    assert error["message"]


def test_a_query_over_100_kb_is_413(client) -> None:
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 100_001
    response = client.post("/sparql", data=query, content_type="application/sparql-query")
    assert response.status_code == 413
    assert set(response.get_json()["error"]) == ERROR_KEYS


class CountingBody(io.BytesIO):
    """A request body that counts what the app reads of it."""

    read_bytes = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.read_bytes += len(data)
        return data

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def, override]
        count = super().readinto(buffer)
        self.read_bytes += count
        return count


@pytest.mark.parametrize("chunked", [False, True])
def test_a_body_over_1_mb_is_413_without_being_read_whole(client, chunked: bool) -> None:
    """A query over 100 kB is refused anyway; the body is not read into memory to find out."""
    body = CountingBody(b"#" * 20_000_000)
    response = client.post(
        "/sparql",
        input_stream=body,
        content_type="application/sparql-query",
        headers={} if chunked else {"Content-Length": "20000000"},
        environ_overrides={"wsgi.input_terminated": True} if chunked else {},
    )
    assert response.status_code == 413
    assert set(response.get_json()["error"]) == ERROR_KEYS
    assert body.read_bytes <= 1_100_000


# --- below the app: what only the real server sees -------------------------------------------------


WIRE_CASES = (
    (b"/download/\xff\xfe", 400),  # invalid UTF-8 in the path, raw
    (b"/sparql?query=\xff", 400),  # and in the query string
    (b"/doc/city/bochum\x00", 400),  # a raw NUL
    (b"/" + b"a" * 9000, 414),  # a request line over the limit
    (b"/sparql?query=" + b"x" * 9000, 414),
    (b"*", 400),
)


@pytest.mark.e2e
@pytest.mark.parametrize(("target", "status"), WIRE_CASES)
def test_requests_the_server_refuses_get_the_error_body(
    live_server: str, target: bytes, status: int
) -> None:
    answer = raw_request(live_server, target)
    assert_canonical_error(answer, status)
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in answer.headers["content-security-policy"]


@pytest.mark.e2e
def test_headers_over_the_limit_get_the_error_body(live_server: str) -> None:
    answer = raw_request(live_server, b"/", headers={"Accept": "text/html, " * 1000})
    assert_canonical_error(answer, 431)
    fields = {f"X-Field-{i}": "x" for i in range(120)}
    assert_canonical_error(raw_request(live_server, b"/", headers=fields), 431)


@pytest.mark.e2e
@pytest.mark.parametrize(
    "target",
    [
        b"/%zz",
        b"/download/%C0%AF",
        b"/download/..%2f..%2fmanifest.json",
        b"/doc/city/bochum%00",
        b"/download/%252e%252e%252fmanifest.json",
        b"/download/..\\..\\manifest.json",
        b"/doc/city/bochum?page=%C2%B2",
        b"/static/../__init__.py",
        b"//etc/passwd",
    ],
)
def test_hostile_paths_through_the_server_are_a_clear_4xx(live_server: str, target: bytes) -> None:
    answer = raw_request(live_server, target)
    assert_canonical_error(answer)
    assert b'"buildId"' not in answer.body


class BrokenChunks:
    """A request body as gunicorn hands it over when the client's chunked encoding is garbage."""

    def read(self, *_: object) -> bytes:
        from gunicorn.http.errors import InvalidChunkSize

        raise InvalidChunkSize(b"zz")

    readline = read


def test_an_unreadable_body_is_400_not_500(client) -> None:
    response = client.post(
        "/sparql",
        content_type="application/sparql-query",
        environ_overrides={"wsgi.input": BrokenChunks(), "wsgi.input_terminated": True},
    )
    assert response.status_code == 400, response.get_data()[:200]
    assert "body cannot be read" in response.get_json()["error"]["message"]


@pytest.mark.e2e
def test_garbage_chunked_encoding_through_the_server_is_400(live_server: str) -> None:
    for content_type in ("application/sparql-query", "application/x-www-form-urlencoded"):
        answer = raw_request(
            live_server,
            b"/sparql",
            b"POST",
            headers={"Content-Type": content_type, "Transfer-Encoding": "chunked"},
            body=b"zz\r\nabc\r\n0\r\n\r\n",
            chunked=True,
        )
        assert_canonical_error(answer, 400)
