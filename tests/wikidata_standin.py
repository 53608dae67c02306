"""A Wikidata stand-in for the tests: the `oxigraph` server (PyPI package `oxigraph`) on a free
loopback port, loaded with tests/data/wikidata/standin.ttl. Nothing in the tests talks to Wikidata."""

from __future__ import annotations

import http.server
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from eurocities_kg.wikidata.client import ClientConfig, WikidataClient
from tests.conftest import REPO, TESTS, free_port

STANDIN = TESTS / "data" / "wikidata" / "standin.ttl"
WIKIDATA_ENDPOINT = "https://query.wikidata.org/sparql"


def oxigraph_executable() -> str:
    """The `oxigraph` command of the test extras: beside this Python, else on the PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.is_file() else shutil.which("oxigraph")
    if found is None:
        raise RuntimeError("no `oxigraph` command: pip install -e '.[test]' installs it")
    return found


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                output = process.stdout.read().decode() if process.stdout else ""
                raise RuntimeError(f"the oxigraph stand-in did not start:\n{output}") from None
            time.sleep(0.1)


@contextmanager
def oxigraph_standin(workdir: Path, fixture: Path = STANDIN) -> Iterator[str]:
    """Load the fixture into a new store in workdir, serve it read-only on 127.0.0.1, yield the
    SPARQL endpoint URL, and stop the server afterwards."""
    executable = oxigraph_executable()
    location = workdir / "standin-store"
    subprocess.run(
        [executable, "load", "--location", str(location), "--file", str(fixture)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    port = free_port()
    process = subprocess.Popen(
        [executable, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        _wait_until_up(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def copy_project(root: Path) -> Path:
    """A copy of this repository's project (ontology, data, queries) to change freely."""
    for part in ("ontology", "data", "queries"):
        shutil.copytree(REPO / part, root / part)
    return root


# ---------------------------------------------------------------------------------------------------
# A scripted endpoint: answers each request with the next scripted answer (the last one repeats)


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b'{"head": {"vars": []}, "results": {"bindings": []}}'
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/sparql-results+json"),)
    delay: float = 0.0


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: str


@dataclass
class ScriptedEndpoint:
    answers: list[Answer]
    received: list[Received] = field(default_factory=list)
    url: str = ""


def _handler(endpoint: ScriptedEndpoint) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8") if length else ""
            endpoint.received.append(
                Received(self.command, self.path, dict(self.headers.items()), body)
            )
            index = min(len(endpoint.received), len(endpoint.answers)) - 1
            answer = endpoint.answers[index]
            time.sleep(answer.delay)
            try:
                self.send_response(answer.status)
                for name, value in answer.headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)
            except OSError:  # the client gave up (a timeout test)
                pass

        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            self._answer()

        def log_message(self, *args: object) -> None:
            pass

    return Handler


@contextmanager
def scripted_endpoint(*answers: Answer) -> Iterator[ScriptedEndpoint]:
    """A small HTTP server on 127.0.0.1 in a thread, answering as scripted."""
    endpoint = ScriptedEndpoint(list(answers) or [Answer()])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(endpoint))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    endpoint.url = f"http://127.0.0.1:{server.server_port}/sparql"
    try:
        yield endpoint
    finally:
        server.shutdown()
        server.server_close()


def standin_client(url: str, retries: int = 0) -> WikidataClient:
    """A client for the stand-in (or a scripted endpoint): no waiting between retries."""
    config = ClientConfig(
        endpoint=url,
        user_agent="eurocities-kg/tests (https://w3id.org/eurocities-kg/; tests@example.org)",
        timeout=10,
        retries=retries,
    )
    return WikidataClient(config, sleep=lambda _seconds: None)
