"""Issue 6: slow clients. A client that does not send its request — a head or a body that stalls
or trickles (slowloris) — is answered 408 with the one error body within `request_body_timeout`
seconds, and its thread is freed: while such clients are held open, and while connections that
send nothing are, other requests are answered at once. Ordinary POSTs are not affected.

The server runs with a timeout of TIMEOUT seconds (`EUROCITIES_KG_REQUEST_BODY_TIMEOUT`); its 2
workers have 4 threads each."""

from __future__ import annotations

import http.client
import select
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack
from urllib.parse import quote, urlsplit

import pytest

from eurocities_kg.build import build
from eurocities_kg.errors import RequestTimeout
from eurocities_kg.project import find_project
from eurocities_kg.server import RequestReader
from tests.conftest import TINY, running_server
from tests.security_support import (
    Answer,
    assert_canonical_error,
    get,
    raw_request,
    read_answer,
)

TIMEOUT = 1.0
LATE = 2.0  # the 408 comes at most this long after TIMEOUT
QUICK = 2.0  # what every other request must take at most meanwhile

POST = b"POST /sparql HTTP/1.1\r\nHost: x\r\n"
DIRECT = POST + b"Content-Type: application/sparql-query\r\n"
STALLS = {
    "body with a length": DIRECT + b"Content-Length: 100\r\n\r\nASK {",
    "chunked body": DIRECT + b"Transfer-Encoding: chunked\r\n\r\n5\r\nASK {\r\n",
    "form body": POST + b"Content-Type: application/x-www-form-urlencoded\r\n"
    b"Content-Length: 100\r\n\r\nquery=ASK",
    "body not begun": DIRECT + b"Content-Length: 100\r\n\r\n",
    "request line": b"GET /health HT",
    "header fields": b"GET /health HTTP/1.1\r\nHost: x\r\nAccept: appl",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("slow-clients") / "project"
    shutil.copytree(TINY, root)
    project = find_project(root)
    build(project)
    with ExitStack() as stack:
        with pytest.MonkeyPatch.context() as patch:  # read by the server when it starts
            patch.setenv("EUROCITIES_KG_REQUEST_BODY_TIMEOUT", str(TIMEOUT))
            url = stack.enter_context(running_server(project))
        yield url


def connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    return socket.create_connection((parts.hostname, parts.port), timeout=TIMEOUT + LATE + 10)


def stall(url: str, sent: bytes) -> tuple[Answer, float, socket.socket]:
    """Send `sent` and nothing more: the answer, the seconds it took, and the socket."""
    sock = connect(url)
    sock.sendall(sent)
    began = time.monotonic()
    found = read_answer(sock, "GET" if sent.startswith(b"GET") else "POST")
    return found, time.monotonic() - began, sock


def assert_timed_out(found: Answer, seconds: float, sock: socket.socket) -> None:
    """408 in the one error body, once the timeout has passed and not much later; then the
    server closes the connection (the thread is free)."""
    assert_canonical_error(found, 408)
    assert "not received within" in str(found.json()["error"])
    assert TIMEOUT - 0.1 <= seconds <= TIMEOUT + LATE, seconds
    assert found.headers.get("connection") == "close"
    assert sock.recv(1) == b""


# --- a stalled request ------------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.parametrize("stalled", sorted(STALLS))
def test_a_stalled_request_is_answered_408_in_time(server: str, stalled: str) -> None:
    found, seconds, sock = stall(server, STALLS[stalled])
    with sock:
        assert_timed_out(found, seconds, sock)


@pytest.mark.e2e
@pytest.mark.parametrize("part", ["head", "body"])
def test_a_trickling_request_is_cut_at_the_timeout(server: str, part: str) -> None:
    """A byte every 0.2 s: every receive gets data, the request as a whole is still late."""
    request = DIRECT + b"Content-Length: 100\r\n\r\n" + b"ASK { ?s ?p ?o }" * 6
    head, rest = (b"", request) if part == "head" else (request[:-100], request[-100:])
    with connect(server) as sock:
        sock.sendall(head)
        began = time.monotonic()
        for byte in rest:
            if select.select([sock], [], [], 0.2)[0]:  # answered: stop sending
                break
            sock.sendall(bytes([byte]))
        found = read_answer(sock, "POST")
        assert_timed_out(found, time.monotonic() - began, sock)


# --- stalled clients do not hold back the others --------------------------------------------------


def timed_get(url: str, path: str = "/robots.txt") -> float:
    began = time.monotonic()
    found = get(url, path)
    assert found.status == 200, found.status
    return time.monotonic() - began


@pytest.mark.e2e
def test_stalled_clients_do_not_hold_back_other_requests(server: str) -> None:
    """6 clients (more than the 4 threads of a worker) stall for 3 timeouts, each reconnecting as
    soon as it is answered; meanwhile GETs are answered within QUICK seconds each."""
    kinds = ["body with a length", "chunked body", "header fields"] * 2
    stop = threading.Event()
    timed_out: list[tuple[Answer, float]] = []

    def stall_until_stopped(kind: str) -> None:
        while not stop.is_set():
            found, seconds, sock = stall(server, STALLS[kind])
            sock.close()
            timed_out.append((found, seconds))

    threads = [threading.Thread(target=stall_until_stopped, args=(k,)) for k in kinds]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # every stalled client holds a thread
    latencies = []
    until = time.monotonic() + 3 * TIMEOUT
    while time.monotonic() < until:
        latencies.append(timed_get(server))
        latencies.append(timed_get(server, "/sparql?query=" + quote("ASK {}")))
    stop.set()
    for thread in threads:
        thread.join(timeout=TIMEOUT + LATE + 10)
    print(f"GET latencies: max {max(latencies):.3f} s of {len(latencies)}")
    assert max(latencies) < QUICK, sorted(latencies)[-5:]
    assert len(timed_out) >= 2 * len(kinds)  # the stalled clients were there all along
    for found, seconds in timed_out:
        assert found.status == 408
        assert seconds <= TIMEOUT + LATE


@pytest.mark.e2e
def test_connections_that_send_nothing_do_not_hold_back_other_requests(server: str) -> None:
    """gunicorn kept each in a thread for 5 s: 20 of them delayed a GET 15 s."""
    idle = [connect(server) for _ in range(20)]
    try:
        time.sleep(0.1)
        latencies = [timed_get(server) for _ in range(5)]
        print(f"GET latencies beside 20 idle connections: max {max(latencies):.3f} s")
        assert max(latencies) < QUICK, latencies
        began = time.monotonic()
        for sock in idle:  # closed by the server after its keep-alive time (2 s)
            assert sock.recv(1) == b""
        assert time.monotonic() - began < 5
    finally:
        for sock in idle:
            sock.close()


@pytest.mark.e2e
def test_clients_that_keep_their_socket_after_the_answer_do_not_hold_back_others(
    server: str,
) -> None:
    """gunicorn waits up to 2 s for a client to close a connection it closes; on the worker's main
    loop that held back everything else: 20 such clients delayed a GET by 6–10 s."""
    holders = []
    try:
        for _ in range(20):
            sock = connect(server)
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            holders.append(sock)  # read nothing, close nothing
        time.sleep(0.2)
        latencies = [timed_get(server) for _ in range(5)]
        print(f"GET latencies beside 20 clients holding closed connections: {latencies}")
        assert max(latencies) < QUICK, latencies
        for sock in holders:  # each got its answer, and the server's side is closed
            assert read_answer(sock, "GET").status == 200
    finally:
        for sock in holders:
            sock.close()


# --- ordinary requests are not affected --------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/sparql-query", b"ASK { ?s ?p ?o }"),
        ("application/x-www-form-urlencoded", b"query=" + quote("ASK { ?s ?p ?o }").encode()),
    ],
)
def test_posts_are_answered(server: str, content_type: str, body: bytes) -> None:
    headers = {"Content-Type": content_type, "Accept": "application/sparql-results+json"}
    found = raw_request(server, b"/sparql", b"POST", headers=headers, body=body)
    assert found.status == 200, found.body[:300]
    assert found.json()["boolean"] is True


@pytest.mark.e2e
def test_a_body_sent_in_parts_within_the_timeout_is_answered(server: str) -> None:
    body = b"ASK { ?s ?p ?o }"
    with connect(server) as sock:
        sock.sendall(DIRECT + b"Content-Length: %d\r\n\r\n" % len(body) + body[:5])
        time.sleep(TIMEOUT / 2)
        sock.sendall(body[5:])
        found = read_answer(sock, "POST")
    assert found.status == 200, found.body[:300]
    assert found.json()["boolean"] is True


@pytest.mark.e2e
def test_each_request_on_a_kept_alive_connection_has_its_own_time(server: str) -> None:
    parts = urlsplit(server)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port)
    sockets = set()
    try:
        for _ in range(3):  # 3 × 0.7 s on one connection: more than the timeout
            connection.request(
                "POST",
                "/sparql",
                body=b"ASK { ?s ?p ?o }",
                headers={"Content-Type": "application/sparql-query"},
            )
            response = connection.getresponse()
            assert response.status == 200
            assert b'"boolean":true' in response.read().replace(b" ", b"")
            sockets.add(id(connection.sock))
            time.sleep(0.7 * TIMEOUT)
    finally:
        connection.close()
    assert len(sockets) == 1  # kept alive, not reconnected


# --- the reader and the app, without a server -------------------------------------------------------


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        yield ours, theirs


def trickle(reader: RequestReader, theirs: socket.socket) -> None:
    """A byte every 0.1 s, each received at once, for as long as the reader takes them."""
    while True:
        time.sleep(0.1)
        theirs.sendall(b"x")
        assert reader.chunk() == b"x"


def test_the_reader_waits_for_what_is_left_of_the_time(pair) -> None:
    ours, theirs = pair
    reader = RequestReader(ours, 0.5)
    theirs.sendall(b"GET / HTTP/1.1\r\n")
    assert reader.chunk() == b"GET / HTTP/1.1\r\n"
    assert ours.gettimeout() is None  # the response is written without a time limit
    began = time.monotonic()
    with pytest.raises(RequestTimeout, match=r"within 0\.5 s"):
        trickle(reader, theirs)  # a byte now and then does not extend the time
    assert 0.4 <= time.monotonic() - began <= 1.0
    assert reader.timed_out
    assert ours.gettimeout() is None
    reader.next_request()  # the next request on the connection has its own time
    theirs.sendall(b"GET")
    assert reader.chunk().endswith(b"GET")


def test_the_reader_leaves_receives_gunicorn_bounds_itself_alone(pair) -> None:
    """gunicorn drains an unread body under its own socket timeout and expects socket.timeout."""
    ours, _ = pair
    reader = RequestReader(ours, 0.1)
    ours.settimeout(0.3)
    began = time.monotonic()
    with pytest.raises(TimeoutError):
        reader.chunk()
    assert time.monotonic() - began >= 0.25
    assert not reader.timed_out
    assert ours.gettimeout() == 0.3


class StalledBody:
    """A request body as the reader hands it to the app when the client stalls."""

    def read(self, *_: object) -> bytes:
        raise RequestTimeout("the request was not received within 1 s: send it at once")

    readline = read


@pytest.mark.parametrize(
    "content_type", ["application/sparql-query", "application/x-www-form-urlencoded"]
)
def test_a_body_not_received_in_time_is_408_not_400(client, content_type: str) -> None:
    """Werkzeug takes an OSError while reading for a client that went away (400): the reader's
    RequestTimeout passes through it to the one error body."""
    response = client.post(
        "/sparql",
        content_type=content_type,
        environ_overrides={"wsgi.input": StalledBody(), "CONTENT_LENGTH": "100"},
    )
    assert response.status_code == 408, response.get_data()[:200]
    assert response.get_json()["error"]["title"] == "request timeout"
