"""The benchmark's parts (load generator, process memory, the report), and — deselected by default,
`pytest -m bench` — a whole `eurocities-kg bench --quick` run."""

from __future__ import annotations

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from eurocities_kg.bench.load import Request, one, run_load
from eurocities_kg.bench.run import BenchResults, Measured, render_markdown
from eurocities_kg.bench.servers import tree_rss
from eurocities_kg.cli import main

REPO = Path(__file__).parents[1]


class Constant(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive

    def do_GET(self) -> None:
        status = 404 if self.path == "/missing" else 200
        body = b"constant"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Constant)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


def test_the_load_generator_keeps_connections_busy_for_a_duration(server: int) -> None:
    result = run_load(
        "127.0.0.1", server, Request("GET", ("/a", "/b")), connections=4, duration=0.3
    )
    assert result.requests > 10
    assert result.errors == 0
    assert 0.25 < result.seconds < 3
    assert result.statuses[200] == result.requests
    summary = result.as_json()
    assert summary["p50_ms"] is not None
    assert summary["p99_ms"] >= summary["p50_ms"]
    assert summary["bytes"] == 8 * result.requests


def test_errors_are_counted_not_timed(server: int) -> None:
    result = run_load(
        "127.0.0.1", server, Request("GET", ("/missing",)), connections=2, duration=0.2
    )
    assert result.requests == 0
    assert result.errors > 0
    assert result.statuses[404] == result.errors
    status, body, _seconds = one("127.0.0.1", server, Request("GET", ("/x",)), timeout=5)
    assert (status, body) == (200, b"constant")


def test_memory_of_a_process_tree() -> None:
    assert tree_rss(os.getpid()) > 10_000_000


def test_the_report_has_ratios_and_targets() -> None:
    results = BenchResults(
        config={"cities": 10, "duration": 1, "exampleDuration": 1, "connections": 8}
    )
    ceiling = Measured("ceiling: bare Flask, a constant", "ceiling", "")
    ceiling.runs["bare Flask"] = {"rps": 1000.0, "p50_ms": 1.0, "p99_ms": 2.0}
    lookup = Measured("lookup SELECT", "sparql", "SELECT …")
    lookup.runs["eurocities-kg"] = {"rps": 900.0, "p50_ms": 1.0, "p99_ms": 3.0}
    lookup.runs["rdflib-endpoint"] = {"rps": 100.0}
    lookup.runs["oxigraph"] = {"note": "timeout (> 60 s)"}
    results.rows = [ceiling, lookup]
    results.build = {
        "triples": 1000,
        "seconds": 12.0,
        "phases": {"load": 1.0, "validate": 8.0, "release": 3.0},
        "peakRss": 2e8,
        "bulkLoadSeconds": 1.0,
    }
    results.startup = {"1,000 triples": 0.8}
    targets = {t["target"]: t for t in results.targets()}
    assert targets["lookup SELECT: ≥ 3× rdflib-endpoint"] == {
        "target": "lookup SELECT: ≥ 3× rdflib-endpoint",
        "ratio": 9.0,
        "met": True,
    }
    assert targets["lookup SELECT: ≥ 0.7× ceiling"]["met"] is True
    assert targets["aggregate GROUP BY: ≥ 1× oxigraph"]["met"] is None  # not measured
    build = next(t for t in targets.values() if t["target"].startswith("build of"))
    assert build["ratio"] == pytest.approx(12 / 9, abs=0.01)
    table = render_markdown(results)
    assert "| lookup SELECT | 900 |" in table
    assert "timeout (> 60 s)" in table
    assert "9.00×" in table
    data = json.loads(results.json())
    assert data["rows"][1]["ratios"]["rdflib-endpoint"] == 9.0


@pytest.mark.bench
def test_a_quick_bench_run_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(
        main,
        [
            "--project",
            str(REPO),
            "bench",
            "--quick",
            "--cities",
            "20",
            "--duration",
            "0.3",
            "--work-dir",
            str(tmp_path / "work"),
            "--output",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "| lookup SELECT |" in result.output
    data = json.loads(out.read_text())
    assert data["build"]["triples"] > 1000
    ceiling = next(r for r in data["rows"] if r["name"].startswith("ceiling"))
    assert ceiling["runs"]["bare Flask"]["rps"] > 0
    assert not list((tmp_path / "work").glob("**/serve.pid"))  # every server stopped
