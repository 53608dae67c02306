from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from eurocities_kg.project import Project, find_project

TESTS = Path(__file__).parent
REPO = TESTS.parent
TINY = TESTS / "data" / "tiny-project"


@pytest.fixture
def tiny_project(tmp_path: Path) -> Project:
    """A fresh copy of the tiny fixture project, with its build directory inside it."""
    root = tmp_path / "project"
    shutil.copytree(TINY, root)
    return find_project(root)


@pytest.fixture(scope="session")
def real_build(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The real project of this repository, built once per session into a temporary directory."""
    from eurocities_kg.build import build

    project = find_project(REPO, tmp_path_factory.mktemp("real-build"))
    build(project)
    return project


@pytest.fixture
def app(real_build: Project):
    """The Flask app over the real build (a fresh app per test)."""
    from eurocities_kg.settings import load_settings
    from eurocities_kg.web import create_app

    application = create_app(load_settings(real_build))
    application.testing = True
    return application


@pytest.fixture
def client(app):
    return app.test_client()


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _drain(process: subprocess.Popen[bytes]) -> deque[str]:
    """Read a process's output as it comes, in a thread; the last lines are kept."""
    kept: deque[str] = deque(maxlen=200)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            kept.append(line.decode(errors="replace"))

    threading.Thread(target=read, daemon=True).start()
    return kept


@contextmanager
def running_server(project: Project) -> Iterator[str]:
    """`eurocities-kg serve` (gunicorn, 2 workers) over a project's build on a free loopback port;
    yields its base URL and stops it afterwards."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "eurocities_kg",
        "--project",
        str(project.root),
        "--build-dir",
        str(project.build_dir),
        "serve",
        "--port",
        str(port),
        "--workers",
        "2",
    ]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    output = _drain(process)  # the access log must not fill the pipe and block the server
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "sparql", timeout=2).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                process.wait(timeout=10)
                time.sleep(0.2)
                raise RuntimeError("the server did not start:\n" + "".join(output)) from None
            time.sleep(0.2)
    try:
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def live_server(real_build: Project) -> Iterator[str]:
    """The real server over the real build; yields its base URL (ending in /)."""
    with running_server(real_build) as url:
        yield url


@pytest.fixture(scope="session")
def wikidata_standin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Wikidata stand-in (tests/wikidata_standin.py): an oxigraph server on loopback with
    tests/data/wikidata/standin.ttl; yields its SPARQL endpoint URL."""
    from tests.wikidata_standin import oxigraph_standin

    with oxigraph_standin(tmp_path_factory.mktemp("wikidata-standin")) as url:
        yield url
