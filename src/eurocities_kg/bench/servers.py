"""The servers under test, each a child process on 127.0.0.1 that is stopped afterwards (also when
the run fails): the publisher (`eurocities-kg serve`), the bare Flask app under the same gunicorn
settings, the Oxigraph server and rdflib-endpoint."""

from __future__ import annotations

import gzip
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..project import Project
from .load import Request, one

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rpartition(")")[2].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo += children.get(current, [])
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


@dataclass
class Running:
    """A server that answers: where, how its SPARQL endpoint is reached, how long it took to start."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    startup: float
    sparql_path: str  # the path of the query endpoint ('' for servers without one)

    @property
    def rss(self) -> int:
        return tree_rss(self.process.pid)

    def sparql(self, query: str, accept: str) -> Request:
        """The query by GET, or by a form POST when the URL would be long (servers limit the
        request line: gunicorn to 4094 bytes)."""
        encoded = urllib.parse.urlencode({"query": query})
        if len(encoded) < 2000:
            return Request("GET", (f"{self.sparql_path}?{encoded}",), (("Accept", accept),))
        return Request(
            "POST",
            (self.sparql_path,),
            (("Accept", accept), ("Content-Type", "application/x-www-form-urlencoded")),
            encoded.encode("ascii"),
        )


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def started(
    name: str,
    command: list[str],
    ready_path: str,
    sparql_path: str,
    *,
    timeout: float = 120.0,
    log: Path | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[Running]:
    """Start `command` (its own process group, listening on the port it is given as {port}) and
    wait until GET `ready_path` answers below 500."""
    port = free_port()
    argv = [part.replace("{port}", str(port)) for part in command]
    output = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115
    began = time.perf_counter()
    process = subprocess.Popen(
        argv,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, **(env or {})},
    )
    try:
        deadline = began + timeout
        probe = Request("GET", (ready_path,))
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode} before answering")
            try:
                status, _body, _seconds = one(HOST, port, probe, timeout=5)
                if status < 500:
                    break
            except OSError:
                pass
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{name} did not answer within {timeout:.0f} s")
            time.sleep(0.02)
        yield Running(name, port, process, time.perf_counter() - began, sparql_path)
    finally:
        _stop(process)
        if log:
            output.close()  # type: ignore[union-attr]


def publisher(
    project: Project,
    workers: int = 2,
    log: Path | None = None,
    name: str = "eurocities-kg",
    env: dict[str, str] | None = None,
) -> AbstractContextManager[Running]:
    """`eurocities-kg serve` on the project's existing build."""
    return started(
        name,
        [
            sys.executable,
            "-m",
            "eurocities_kg",
            "--project",
            str(project.root),
            "--build-dir",
            str(project.build_dir),
            "serve",
            "--host",
            HOST,
            "--port",
            "{port}",
            "--workers",
            str(workers),
        ],
        "/health",
        "/sparql",
        log=log,
        env=env,
    )


def bare_flask(
    project: Project, workers: int = 2, log: Path | None = None
) -> AbstractContextManager[Running]:
    """A Flask app answering a constant, under the publisher's gunicorn settings."""
    return started(
        "bare Flask",
        [
            sys.executable,
            "-m",
            "eurocities_kg.bench.bare",
            str(project.root),
            "{port}",
            str(workers),
        ],
        "/",
        "",
        log=log,
    )


def oxigraph_binary() -> str | None:
    return shutil.which("oxigraph")


def oxigraph_load(release: Path, location: Path) -> float:
    """`oxigraph load` the build's dumps: the named graphs (N-Quads) and the union into the
    default graph (N-Triples), so its default graph is ours. Returns seconds."""
    binary = oxigraph_binary()
    assert binary is not None
    union = location.parent / "union.nt"
    union.write_bytes(gzip.decompress((release / "dumps" / "eurocities-kg.nt.gz").read_bytes()))
    began = time.perf_counter()
    for dump in (release / "dumps" / "eurocities-kg.nq", union):
        subprocess.run(
            [binary, "load", "--location", str(location), "--file", str(dump)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    union.unlink()
    return time.perf_counter() - began


def oxigraph(location: Path, log: Path | None = None) -> AbstractContextManager[Running]:
    binary = oxigraph_binary()
    assert binary is not None
    return started(
        "oxigraph server",
        [binary, "serve-read-only", "--location", str(location), "--bind", f"{HOST}:{{port}}"],
        "/query?query=ASK%7B%7D",
        "/query",
        log=log,
    )


def rdflib_endpoint_binary() -> str | None:
    found = shutil.which("rdflib-endpoint")
    if found is None:
        return None
    if importlib.util.find_spec("uvicorn") is None:  # its server, installed by the bench extras
        return None
    return found


def rdflib_endpoint(release: Path, log: Path | None = None) -> AbstractContextManager[Running]:
    """rdflib-endpoint over the N-Quads dump: an rdflib Dataset with default_union=True, so its
    default graph is the union of the named graphs, each triple once — ours."""
    binary = rdflib_endpoint_binary()
    assert binary is not None
    return started(
        "rdflib-endpoint",
        [
            binary,
            "serve",
            str(release / "dumps" / "eurocities-kg.nq"),
            "--host",
            HOST,
            "--port",
            "{port}",
        ],
        "/?query=ASK%7B%7D",
        "/",
        timeout=1800,
        log=log,
    )
