"""Issue 6, point 7: a bounded soak test. 16 clients on loopback, each on a keep-alive connection,
ask the real server (gunicorn) for a mix of pages, documents, SPARQL queries, dumps and conditional
requests for SOAK_SECONDS (15 by default, in CI too; the full run is
`SOAK_SECONDS=60 pytest tests/test_soak.py`). It passes with 0 errors, the same worker processes at
the end as at the start, and less than 10 % growth of their resident memory (VmRSS) from after a
warm-up (until the memory settles) to the end."""

from __future__ import annotations

import http.client
import json
import os
import random
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from eurocities_kg.build import build
from eurocities_kg.project import Project
from tests.conftest import running_server
from tests.security_support import children, copy_real_project, rss_kb, serve_pid

pytestmark = pytest.mark.e2e

SOAK_SECONDS = float(os.environ.get("SOAK_SECONDS") or 15)
CLIENTS = 16
MAX_GROWTH = 0.10
WARM_UP_SECONDS = 3.0
WARM_UP_ROUNDS = 8
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@dataclass(frozen=True)
class Ask:
    path: str
    accept: str = "*/*"


@dataclass
class Tally:
    requests: int = 0
    bytes: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, size: int) -> None:
        with self.lock:
            self.requests += 1
            self.bytes += size

    def fail(self, what: str) -> None:
        with self.lock:
            self.errors.append(what)


def the_mix(project: Project) -> list[Ask]:
    """Pages (HTML, negotiated RDF), example and ad-hoc queries, every dump, the catalogue."""
    manifest = json.loads((project.build_dir / "current" / "manifest.json").read_text())
    things = ["city/bochum", "city/essen", "network/eurocities", "forum/culture", "country/de"]
    asks = [Ask("/", BROWSER), Ask("/sparql", BROWSER), Ask("/download/", BROWSER)]
    asks += [Ask(f"/doc/{thing}", BROWSER) for thing in things]
    asks += [Ask(f"/doc/{thing}", "text/turtle") for thing in things]
    asks += [Ask(f"/id/{thing}") for thing in things]
    asks += [Ask(f"/download/{dump['file']}") for dump in manifest["dumps"]]
    asks += [Ask("/catalog", "text/turtle"), Ask("/health"), Ask("/changes", "application/json")]
    for query in sorted((project.root / "queries").glob("*.rq")):
        text = query.read_text(encoding="utf-8")
        if "SERVICE" not in text:  # federated ones need the network, which CI does not have
            asks.append(Ask("/sparql?query=" + quote(text, safe="")))
    for limit in range(1, 60):  # ad-hoc queries, a bounded variety
        text = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} ORDER BY ?s LIMIT {limit}"
        asks.append(Ask("/sparql?query=" + quote(text, safe=""), "text/csv"))
    return asks


def client(url: str, asks: list[Ask], until: float, tally: Tally, seed: int) -> None:
    """One client on one keep-alive connection; every answer but 200, 303 and 304 is an error."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    chooser = random.Random(seed)
    etags: dict[Ask, str] = {}
    try:
        while time.monotonic() < until:
            ask = chooser.choice(asks)
            headers = {"Accept": ask.accept}
            if ask in etags and chooser.random() < 0.2:
                headers["If-None-Match"] = etags[ask]
            try:
                connection.request("GET", ask.path, headers=headers)
                response = connection.getresponse()
                body = response.read()
            except (OSError, http.client.HTTPException) as error:
                tally.fail(f"{ask.path}: {error!r}")
                connection.close()
                continue
            if response.status not in (200, 303, 304):
                tally.fail(f"{ask.path}: {response.status} {body[:200]!r}")
            if response.getheader("ETag"):
                etags[ask] = response.getheader("ETag") or ""
            tally.count(len(body))
    finally:
        connection.close()


def run_clients(url: str, asks: list[Ask], seconds: float) -> Tally:
    tally = Tally()
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client, args=(url, asks, until, tally, seed), daemon=True)
        for seed in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return tally


def workers_rss(master: int) -> dict[int, int]:
    return {pid: rss_kb(pid) for pid in children(master)}


def warm_up(url: str, asks: list[Ask], master: int) -> dict[int, int]:
    """Load the server in rounds until its workers' memory settles (caches full, allocator arenas
    grown): less than 2 % change from one round to the next, or WARM_UP_ROUNDS rounds. A leak never
    settles, and then shows in the soak itself."""
    rss = workers_rss(master)
    for _ in range(WARM_UP_ROUNDS):
        tally = run_clients(url, asks, WARM_UP_SECONDS)
        assert tally.errors == []
        previous, rss = rss, workers_rss(master)
        if abs(sum(rss.values()) / sum(previous.values()) - 1) < 0.02:
            break
    return rss


@pytest.fixture(scope="module")
def soaked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, str]]:
    project = copy_real_project(tmp_path_factory.mktemp("soak") / "project")
    build(project)
    with running_server(project) as url:
        yield project, url


def test_the_server_stays_up_and_lean_under_load(soaked: tuple[Project, str]) -> None:
    project, url = soaked
    asks = the_mix(project)
    master = serve_pid(project)
    before = warm_up(url, asks, master)
    tally = run_clients(url, asks, SOAK_SECONDS)
    after = workers_rss(master)
    growth = sum(after.values()) / sum(before.values()) - 1
    print(
        f"soak {SOAK_SECONDS:.0f} s, {CLIENTS} clients: {tally.requests} requests "
        f"({tally.requests / SOAK_SECONDS:.0f}/s, {tally.bytes / 1e6:.0f} MB), "
        f"{len(tally.errors)} errors; workers' RSS {sum(before.values()) // 1024} MB → "
        f"{sum(after.values()) // 1024} MB ({growth:+.1%})"
    )
    assert tally.errors == []
    assert set(after) == set(before), "a worker died or was restarted"
    assert tally.requests > 20 * SOAK_SECONDS
    assert growth < MAX_GROWTH


def test_the_soak_mix_covers_pages_queries_and_dumps(soaked: tuple[Project, str]) -> None:
    project, _ = soaked
    paths = [ask.path for ask in the_mix(project)]
    assert any(p.startswith("/doc/") for p in paths)
    assert any(p.startswith("/sparql?query=") for p in paths)
    assert sum(p.startswith("/download/eurocities-kg") for p in paths) >= 6
    assert Path(project.build_dir / "serve.pid").is_file()
