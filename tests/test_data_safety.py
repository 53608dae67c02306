"""Issue 6, point 8: data safety. A rebuild that fails — a syntax error, a violation, an
interruption — leaves what the running server serves byte-identical, even after a reload; a reload
(`eurocities-kg reload`: SIGHUP to the gunicorn master named in build/serve.pid) swaps the new build
in atomically while clients hammer the server — every answer wholly old or wholly new, none failed;
a corrupt or missing build stops `serve` with exit code 2 and a one-line reason."""

from __future__ import annotations

import http.client
import itertools
import json
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from eurocities_kg.build import build
from eurocities_kg.project import Project, find_project
from tests.conftest import TINY, free_port, running_server
from tests.security_support import (
    children,
    copy_real_project,
    environment,
    get,
    serve_pid,
    served_digest,
    tree_digest,
)

pytestmark = pytest.mark.e2e

CHANGE = (
    "\n<https://w3id.org/eurocities-kg/id/city/bochum> "
    '<http://www.w3.org/2000/01/rdf-schema#comment> "a change for the next build"@en .\n'
)
SYNTAX_ERROR = "@prefix ex: <https://example.org/> .\nex:a ex:b ex:c ;;; [ this is not turtle\n"
VIOLATION = (
    "<https://w3id.org/eurocities-kg/id/city/nowhere> "
    "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://schema.org/City> .\n"
)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
COMMAND = (sys.executable, "-m", "eurocities_kg", "--project")
UNIQUE = itertools.count()


def cli(project: Project, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, str(project.root), "--build-dir", str(project.build_dir), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment(),
    )


def cli_process(project: Project, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*COMMAND, str(project.root), "--build-dir", str(project.build_dir), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=environment(),
    )


def reload_and_wait(project: Project, url: str) -> None:
    """`eurocities-kg reload`, then wait until every worker is a new one and answers."""
    master = serve_pid(project)
    old = set(children(master))
    result = cli(project, "reload")
    assert result.returncode == 0, result.stderr
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        now = set(children(master))
        replaced = now and now.isdisjoint(old) and len(now) == len(old)
        if replaced and get(url, "/health").status == 200:
            return
        time.sleep(0.1)
    raise AssertionError(f"the workers were not replaced: {old} → {children(master)}")


def interrupt_build(project: Project, sig: signal.Signals) -> int:
    """Start a build and send it `sig` while it writes its release aside (.staging-…)."""
    process = cli_process(project, "build")
    try:
        while process.poll() is None:
            if any(project.build_dir.glob(".staging-*")):
                process.send_signal(sig)
                break
            time.sleep(0.002)
        return process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()


@pytest.fixture
def served_project(tmp_path: Path) -> Iterator[tuple[Project, str]]:
    project = copy_real_project(tmp_path / "project")
    build(project)
    with running_server(project) as url:
        yield project, url


# --- a failed rebuild ------------------------------------------------------------------------------


def test_a_failed_rebuild_leaves_what_is_served_byte_identical(
    served_project: tuple[Project, str],
) -> None:
    project, url = served_project
    current = (project.build_dir / "current").resolve()
    before = (served_digest(url), tree_digest(current))

    broken = project.data_dir / "broken.ttl"
    broken.write_text(SYNTAX_ERROR, encoding="utf-8")
    failed = cli(project, "build")
    assert failed.returncode == 2, failed.stderr
    assert "broken.ttl" in failed.stderr
    broken.write_text(VIOLATION, encoding="utf-8")
    assert cli(project, "build").returncode == 1
    broken.unlink()

    changed = project.data_dir / "bochum-eurocities-page.ttl"
    original = changed.read_text(encoding="utf-8")
    changed.write_text(original + CHANGE, encoding="utf-8")
    assert interrupt_build(project, signal.SIGKILL) == -signal.SIGKILL
    assert interrupt_build(project, signal.SIGINT) != 0
    changed.write_text(original, encoding="utf-8")

    assert (project.build_dir / "current").resolve() == current
    assert served_digest(url) == before[0]
    reload_and_wait(project, url)  # the workers open the current build afresh: still the old one
    assert (served_digest(url), tree_digest(current)) == before


# --- an atomic reload under load -------------------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    kind: str
    answer: tuple[object, ...]  # what must belong to one build: from the manifest and the store


def observe(url: str, kind: str) -> Seen:
    """One request on a fresh connection: /health (version and triples, from the manifest), or a
    SPARQL count (from the store) with the Last-Modified of the manifest it was served with."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        if kind == "health":
            connection.request("GET", "/health")
            response = connection.getresponse()
            body = json.loads(response.read())
            assert response.status == 200, body
            return Seen(kind, (body["version"], body["triples"]))
        query = (
            f"{COUNT} # {next(UNIQUE)}"  # never the same text: answered by the store, not a cache
        )
        connection.request(
            "GET",
            "/sparql?query=" + quote(query, safe=""),
            headers={"Accept": "application/sparql-results+json"},
        )
        response = connection.getresponse()
        data = response.read()
        assert response.status == 200, data[:200]
        count = int(json.loads(data)["results"]["bindings"][0]["n"]["value"])
        return Seen(kind, (response.getheader("Last-Modified"), count))
    finally:
        connection.close()


class Hammer:
    """Clients that keep asking until stopped, each answer and each error recorded."""

    def __init__(self, url: str, clients: int) -> None:
        self.url = url
        self.seen: list[tuple[float, Seen]] = []
        self.errors: list[str] = []
        self.stop = threading.Event()
        kinds = ("health", "count")
        self.threads = [
            threading.Thread(target=self.run, args=(kinds[i % 2],), daemon=True)
            for i in range(clients)
        ]

    def run(self, kind: str) -> None:
        while not self.stop.is_set():
            try:
                self.seen.append((time.monotonic(), observe(self.url, kind)))
            except Exception as error:  # every failure counts, whatever it is
                self.errors.append(f"{kind}: {error!r}")

    def __enter__(self) -> Hammer:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)


def test_a_reload_swaps_in_the_new_build_atomically_under_load(
    served_project: tuple[Project, str],
) -> None:
    project, url = served_project
    old = {kind: observe(url, kind).answer for kind in ("health", "count")}
    with Hammer(url, clients=8) as hammer:
        time.sleep(1)
        changed = project.data_dir / "bochum-eurocities-page.ttl"
        changed.write_text(changed.read_text(encoding="utf-8") + CHANGE, encoding="utf-8")
        built = cli(project, "build")
        assert built.returncode == 0, built.stderr
        time.sleep(0.5)
        assert observe(url, "health").answer == old["health"]  # built, not yet reloaded
        reload_and_wait(project, url)
        settled = time.monotonic()
        time.sleep(1.5)
    new = {kind: observe(url, kind).answer for kind in ("health", "count")}
    assert new != old
    assert new["health"][1] == old["health"][1] + 1  # one more triple
    assert hammer.errors == []
    answers = {(s.kind, s.answer) for _, s in hammer.seen}
    assert answers == {(kind, old[kind]) for kind in old} | {(kind, new[kind]) for kind in new}
    assert {(s.kind, s.answer) for t, s in hammer.seen if t > settled} == {
        (kind, new[kind]) for kind in new
    }
    assert len(hammer.seen) > 100


# --- a corrupt or missing build stops start-up -----------------------------------------------------


@pytest.fixture(scope="module")
def tiny_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tiny") / "project"
    shutil.copytree(TINY, root)
    build(find_project(root))
    return root


def release_of(project: Project) -> Path:
    return (project.build_dir / "current").resolve()


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


CORRUPTIONS = {
    "no manifest": lambda p: (release_of(p) / "manifest.json").unlink(),
    "unreadable manifest": lambda p: _write(release_of(p) / "manifest.json", b"\x00{not json"),
    "manifest not an object": lambda p: _write(release_of(p) / "manifest.json", b"[]"),
    "manifest without keys": lambda p: _write(release_of(p) / "manifest.json", b"{}"),
    "no store": lambda p: shutil.rmtree(release_of(p) / "store"),
    "empty store": lambda p: [f.unlink() for f in (release_of(p) / "store").iterdir()],
    "garbage store": lambda p: [
        _write(f, b"garbage" * 100) for f in (release_of(p) / "store").iterdir()
    ],
    "missing dump": lambda p: next((release_of(p) / "dumps").glob("*.ttl")).unlink(),
    "missing shapes": lambda p: (release_of(p) / "shapes.ttl").unlink(),
    "missing release": lambda p: shutil.rmtree(release_of(p)),
}


@pytest.mark.parametrize("corruption", sorted(CORRUPTIONS))
def test_a_corrupt_build_stops_serve_with_a_one_line_reason(
    tiny_build: Path, tmp_path: Path, corruption: str
) -> None:
    root = tmp_path / "project"
    shutil.copytree(tiny_build, root, symlinks=True)
    project = find_project(root)
    CORRUPTIONS[corruption](project)
    result = cli(project, "serve", "--port", str(free_port()), timeout=60)
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.stderr + result.stdout
    assert not (project.build_dir / "serve.pid").exists()


def test_build_replaces_a_corrupt_build(tiny_build: Path, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(tiny_build, root, symlinks=True)
    project = find_project(root)
    (release_of(project) / "manifest.json").write_bytes(b"{broken")
    result = cli(project, "build")
    assert result.returncode == 0, result.stderr
    assert cli(project, "status").returncode == 0


# --- the reload command ----------------------------------------------------------------------------


def test_reload_without_a_server_is_a_one_line_error(tiny_build: Path, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(tiny_build, root, symlinks=True)
    project = find_project(root)
    for pid_file in (None, "not a pid", "999999999"):
        if pid_file is not None:
            (project.build_dir / "serve.pid").write_text(pid_file)
        result = cli(project, "reload")
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("error: "), result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_reload_refuses_a_corrupt_build_and_the_server_keeps_serving(
    tiny_build: Path, tmp_path: Path
) -> None:
    root = tmp_path / "project"
    shutil.copytree(tiny_build, root, symlinks=True)
    project = find_project(root)
    with running_server(project) as url:
        assert serve_pid(project) > 0
        (release_of(project) / "manifest.json").write_bytes(b"{broken")
        result = cli(project, "reload")
        assert result.returncode == 2
        assert "manifest.json" in result.stderr
        assert get(url, "/health").status == 200
    assert not (project.build_dir / "serve.pid").exists()  # removed when the server stopped
