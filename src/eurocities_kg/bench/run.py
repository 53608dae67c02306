"""The benchmark run: generate, build, start every server on the same data, measure, compare.

One run measures, on a generated graph (default 3400 cities ≈ 187k triples):

- the build (time per phase, peak RSS) and, as its baseline, pySHACL validation (timed inside the
  same build) plus a pyoxigraph bulk load of the same files;
- the publisher's start-up on the existing build (spawn to the first answer of /health);
- with 8 connections for a fixed duration: requests/s, p50 and p99 latency for a linked-data page in
  HTML and in Turtle, each example query of queries/ (except those calling SERVICE), a lookup
  SELECT, an aggregate GROUP BY over all memberships and a dump download — the SPARQL ones also on
  the Oxigraph server and rdflib-endpoint over the same dumps, and the publisher once more with its
  result cache off; a bare Flask app under the same gunicorn settings gives the ceiling;
- then, on a large graph (default 21200 cities ≈ 1.1M triples), the build and the serving
  process's resident memory and start-up.

Every server listens on 127.0.0.1 only and is stopped when its part of the run ends.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import __version__
from ..generate import generate
from ..project import Project, find_project
from ..queries import example_queries
from ..query_guard import first_keyword, service_targets
from ..release import current_release
from . import servers
from .load import LoadResult, Request, one, run_load

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"

PREFIXES = """PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <https://schema.org/>
"""
LOOKUP = PREFIXES + "SELECT ?label WHERE {{ <{city}> rdfs:label ?label }}"
AGGREGATE = (
    PREFIXES
    + """SELECT ?network (COUNT(?membership) AS ?memberships) (COUNT(DISTINCT ?member) AS ?members)
WHERE { ?membership a org:Membership ; org:organization ?network ; org:member ?member . }
GROUP BY ?network ORDER BY DESC(?memberships)"""
)

# The targets: (row, compared with, at least this ratio)
TARGETS = (
    ("lookup SELECT", "rdflib-endpoint", 3.0),
    ("lookup SELECT", "ceiling", 0.70),
    ("aggregate GROUP BY", "oxigraph", 1.0),
    ("aggregate GROUP BY", "rdflib-endpoint", 10.0),
    ("HTML page", "ceiling", 0.50),
    ("Turtle page", "ceiling", 0.60),
)
BUILD_RATIO = 1.5  # build ≤ 1.5 × (pySHACL validation + pyoxigraph bulk load), at 1.1M triples
RSS_LIMIT = 1.5e9  # serving process tree at 1.1M triples
STARTUP_LIMIT = 2.0  # seconds, on an existing build


@dataclass
class BenchConfig:
    template: Path
    cities: int
    duration: float
    connections: int
    large_cities: int
    peers: bool
    work_dir: Path | None
    quick: bool
    probe_timeout: float
    example_duration: float

    @classmethod
    def make(
        cls,
        *,
        template: Path,
        quick: bool = False,
        cities: int | None = None,
        duration: float | None = None,
        connections: int = 8,
        large_cities: int | None = None,
        peers: bool = True,
        work_dir: Path | None = None,
    ) -> BenchConfig:
        return cls(
            template=template,
            cities=cities or (150 if quick else 3400),
            duration=duration or (1.0 if quick else 8.0),
            connections=connections,
            large_cities=(0 if quick else 21200) if large_cities is None else large_cities,
            peers=peers,
            work_dir=work_dir,
            quick=quick,
            probe_timeout=10.0 if quick else 60.0,
            example_duration=min(duration or 4.0, 4.0) if not quick else (duration or 1.0),
        )


@dataclass
class Measured:
    """One row: one kind of request, on each server that answers it."""

    name: str
    kind: str  # page, sparql, example, dump, ceiling
    detail: str
    runs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def rps(self, server: str) -> float | None:
        run = self.runs.get(server)
        return None if run is None else run.get("rps")


@dataclass
class BenchResults:
    config: dict[str, Any]
    build: dict[str, Any] = field(default_factory=dict)
    startup: dict[str, float] = field(default_factory=dict)
    rows: list[Measured] = field(default_factory=list)
    large: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    started_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    seconds: float = 0.0

    def row(self, name: str) -> Measured | None:
        return next((r for r in self.rows if r.name == name), None)

    def ceiling(self) -> float | None:
        found = self.row("ceiling: bare Flask, a constant")
        return found.rps("bare Flask") if found else None

    def ratio(self, row: Measured, peer: str) -> float | None:
        ours = row.rps("eurocities-kg")
        theirs = self.ceiling() if peer == "ceiling" else row.rps(peer)
        if ours is None or not theirs:
            return None
        return ours / theirs

    def targets(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for name, peer, minimum in TARGETS:
            row = self.row(name)
            ratio = self.ratio(row, peer) if row else None
            found.append(
                {
                    "target": f"{name}: ≥ {minimum:g}× {peer}",
                    "ratio": None if ratio is None else round(ratio, 2),
                    "met": None if ratio is None else ratio >= minimum,
                }
            )
        build = self.large.get("build") or self.build
        if build:
            baseline = build["phases"]["validate"] + build["bulkLoadSeconds"]
            ratio = build["seconds"] / baseline
            found.append(
                {
                    "target": f"build of {build['triples']} triples: ≤ {BUILD_RATIO:g}× "
                    "(pySHACL validation + pyoxigraph bulk load)",
                    "ratio": round(ratio, 2),
                    "met": ratio <= BUILD_RATIO,
                }
            )
        if self.large.get("rss"):
            found.append(
                {
                    "target": f"serve RSS at {self.large['build']['triples']} triples: ≤ 1.5 GB",
                    "ratio": round(self.large["rss"] / 1e9, 3),
                    "met": self.large["rss"] <= RSS_LIMIT,
                }
            )
        for label, seconds in self.startup.items():
            found.append(
                {
                    "target": f"start-up on an existing build ({label}): < 2 s",
                    "ratio": round(seconds, 2),
                    "met": seconds < STARTUP_LIMIT,
                }
            )
        return found

    def as_json(self) -> dict[str, Any]:
        return {
            "packageVersion": __version__,
            "startedAt": self.started_at,
            "seconds": round(self.seconds, 1),
            "config": self.config,
            "build": self.build,
            "startup": self.startup,
            "rows": [
                {
                    "name": r.name,
                    "kind": r.kind,
                    "detail": r.detail,
                    "runs": r.runs,
                    "ratios": {
                        peer: None if (x := self.ratio(r, peer)) is None else round(x, 3)
                        for peer in ("oxigraph", "rdflib-endpoint", "ceiling")
                    },
                }
                for r in self.rows
            ],
            "large": self.large,
            "targets": self.targets(),
            "notes": self.notes,
        }

    def json(self) -> str:
        return json.dumps(self.as_json(), indent=2) + "\n"

    def markdown(self) -> str:
        return render_markdown(self)


# --- formatting -----------------------------------------------------------------------------


def _num(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def _cell(run: dict[str, Any] | None) -> str:
    if run is None:
        return "–"
    if run.get("note"):
        return str(run["note"])
    return _num(run["rps"])


def _ratio(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def render_markdown(results: BenchResults) -> str:
    config = results.config
    lines = [
        f"## eurocities-kg bench ({results.started_at}, {os.cpu_count()} cores)",
        "",
        f"Graph: {config['cities']} cities, {results.build.get('triples', '?')} triples; "
        f"{config['connections']} connections, {config['duration']:g} s per row "
        f"({config['exampleDuration']:g} s per example query). Requests/s; latency of ours in ms.",
        "",
        "| request | ours req/s | p50 | p99 | ours, no result cache | oxigraph | rdflib-endpoint "
        "| ours / oxigraph | ours / rdflib | ours / ceiling |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in results.rows:
        ours = row.runs.get("eurocities-kg") or row.runs.get("bare Flask")
        lines.append(
            f"| {row.name} | {_cell(ours)} | {_num(ours.get('p50_ms') if ours else None, 1)} "
            f"| {_num(ours.get('p99_ms') if ours else None, 1)} "
            f"| {_cell(row.runs.get('eurocities-kg, cache off'))} "
            f"| {_cell(row.runs.get('oxigraph'))} | {_cell(row.runs.get('rdflib-endpoint'))} "
            f"| {_ratio(results.ratio(row, 'oxigraph'))} "
            f"| {_ratio(results.ratio(row, 'rdflib-endpoint'))} "
            f"| {_ratio(results.ratio(row, 'ceiling'))} |"
        )
    lines += ["", "| build and start-up | figure |", "| --- | ---: |"]
    for label, build in (("", results.build), ("large graph: ", results.large.get("build"))):
        if not build:
            continue
        phases = ", ".join(f"{k} {v:.1f} s" for k, v in build["phases"].items())
        lines += [
            f"| {label}build of {build['triples']:,} triples | {build['seconds']:.1f} s ({phases}) |",
            f"| {label}build peak RSS | {build['peakRss'] / 1e6:,.0f} MB |",
            f"| {label}pyoxigraph bulk load of the same files | {build['bulkLoadSeconds']:.1f} s |",
        ]
    for label, seconds in results.startup.items():
        lines.append(f"| start-up on an existing build ({label}) | {seconds:.2f} s |")
    if results.large.get("rss"):
        lines.append(
            f"| serving RSS, master + workers, {results.large['build']['triples']:,} triples "
            f"| {results.large['rss'] / 1e6:,.0f} MB |"
        )
    lines += ["", "| target | measured | met |", "| --- | ---: | :---: |"]
    for target in results.targets():
        met = {True: "yes", False: "**no**", None: "not measured"}[target["met"]]
        lines.append(f"| {target['target']} | {_num(target['ratio'], 2)} | {met} |")
    if results.notes:
        lines += ["", *(f"- {note}" for note in results.notes)]
    lines.append(f"\nThe run took {results.seconds / 60:.1f} minutes.")
    return "\n".join(lines) + "\n"


# --- the run ---------------------------------------------------------------------------------


def measure_build(project: Project, log: Callable[[str], None]) -> dict[str, Any]:
    out = project.root / "build-measure.json"
    began = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "eurocities_kg.bench.probe",
            str(project.root),
            str(project.build_dir),
            str(out),
        ],
        check=True,
    )
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    result["wallSeconds"] = time.perf_counter() - began
    log(
        f"  built {result['triples']} triples in {result['seconds']:.1f} s "
        f"(peak RSS {result['peakRss'] / 1e6:.0f} MB)"
    )
    return result


def _answer_size(status: int, body: bytes, accept: str) -> int | None:
    """Rows of a SPARQL answer (solutions, 1 for a boolean, triples), for comparing servers."""
    if status != 200:
        return None
    if accept == N_TRIPLES:
        return sum(1 for line in body.splitlines() if line.strip())
    try:
        data = json.loads(body)
    except ValueError:
        return None
    return 1 if "boolean" in data else len(data["results"]["bindings"])


class Runner:
    def __init__(self, config: BenchConfig, log: Callable[[str], None]) -> None:
        self.config = config
        self.log = log

    def measure(
        self,
        running: servers.Running,
        request: Request,
        duration: float,
        accept: str = "",
    ) -> dict[str, Any]:
        """One request first (a probe: is it answered, and how fast — for the publisher, whose
        caches fill on the first request, a second one too); then the load, unless one request
        takes so long that a run would only queue: then 1/latency stands for it."""
        cold: float | None = None
        try:
            status, body, seconds = one(
                servers.HOST, running.port, request, self.config.probe_timeout
            )
            if running.name.startswith("eurocities-kg") and status < 400:
                cold = seconds
                status, body, seconds = one(
                    servers.HOST, running.port, request, self.config.probe_timeout
                )
        except OSError as error:
            return {
                "note": "timeout" if "timed out" in str(error) else "error",
                "error": str(error),
            }
        if status >= 400:
            return {"note": f"HTTP {status}", "status": status}
        size = _answer_size(status, body, accept) if accept else None
        first = {} if cold is None else {"first_ms": round(cold * 1000, 2)}
        if seconds > max(duration / 2, 1.0):
            return {
                "note": f"≈ {1 / seconds:.2f} (1 request: {seconds:.1f} s)",
                "rps": 1 / seconds,
                "p50_ms": seconds * 1000,
                "p99_ms": None,
                "answer": size,
                "estimated": True,
                **first,
            }
        result: LoadResult = run_load(
            servers.HOST,
            running.port,
            request,
            connections=self.config.connections,
            duration=duration,
            timeout=self.config.probe_timeout,
        )
        return {**result.as_json(), "answer": size, **first}


class Peer:
    """A peer server that can be started again: a request that timed out may keep a
    single-threaded server busy long after the client gave up."""

    def __init__(self, name: str, make: Callable[[], Any], log: Callable[[str], None]) -> None:
        self.name = name
        self.make = make
        self.log = log
        self.restarts = 0
        self._stack = ExitStack()
        self.running: servers.Running | None = self._stack.enter_context(make())

    def restart(self) -> None:
        self._stack.close()
        self.running = None
        if self.restarts >= 2:
            self.log(f"  {self.name} timed out three times: not measured further")
            return
        self.restarts += 1
        self.log(f"  {self.name} timed out: starting it again")
        self._stack = ExitStack()
        self.running = self._stack.enter_context(self.make())

    def close(self) -> None:
        self._stack.close()


def run_bench(config: BenchConfig, log: Callable[[str], None] = print) -> BenchResults:
    began = time.perf_counter()
    results = BenchResults(
        config={
            "cities": config.cities,
            "duration": config.duration,
            "exampleDuration": config.example_duration,
            "connections": config.connections,
            "largeCities": config.large_cities,
            "peers": config.peers,
            "quick": config.quick,
        }
    )
    with ExitStack() as stack:
        work = config.work_dir or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        work.mkdir(parents=True, exist_ok=True)
        log(f"generating {config.cities} cities in {work / 'graph'}")
        generate(config.cities, work / "graph", config.template)
        project = find_project(work / "graph", work / "graph" / "build")
        log("building (pySHACL validation, store, dumps)")
        results.build = measure_build(project, log)
        _measure_servers(config, results, project, work, log)
        if config.large_cities:
            _measure_large(config, results, work, log)
    results.seconds = time.perf_counter() - began
    return results


def _requests(project: Project) -> tuple[str, str, list[tuple[str, str, str, str]]]:
    """A city to look at, the paths of its pages, and the SPARQL rows: (name, kind, query, accept)."""
    city_file = sorted(project.data_dir.glob("cities-*.ttl"))[0].read_text(encoding="utf-8")
    slug = city_file.split("\ncity:", 1)[1].split(" ", 1)[0]
    city = f"https://w3id.org/eurocities-kg/id/city/{slug}"
    sparql = [
        ("lookup SELECT", "sparql", LOOKUP.format(city=city), RESULTS_JSON),
        ("aggregate GROUP BY", "sparql", AGGREGATE, RESULTS_JSON),
    ]
    for example in example_queries(project.queries_dir):
        if service_targets(example.text):
            continue
        keyword = first_keyword(example.text)
        accept = N_TRIPLES if keyword in ("CONSTRUCT", "DESCRIBE") else RESULTS_JSON
        sparql.append((f"example {example.name}", "example", example.text, accept))
    return slug, city, sparql


def _measure_servers(
    config: BenchConfig,
    results: BenchResults,
    project: Project,
    work: Path,
    log: Callable[[str], None],
) -> None:
    release = current_release(project.build_dir)
    slug, _city, sparql = _requests(project)
    logs = work / "logs"
    logs.mkdir(exist_ok=True)
    runner = Runner(config, log)
    with ExitStack() as stack:
        log("starting the publisher (eurocities-kg serve, gunicorn)")
        # the peers have no time limit: ours gets the probes' own, so a slow query is measured,
        # not stopped at the default 10 s
        limit = {"EUROCITIES_KG_QUERY_TIMEOUT": str(config.probe_timeout)}
        ours = stack.enter_context(
            servers.publisher(project, log=logs / "publisher.log", env=limit)
        )
        results.startup[f"{results.build['triples']:,} triples"] = ours.startup
        log(f"  answered after {ours.startup:.2f} s")
        uncached = stack.enter_context(
            servers.publisher(
                project,
                log=logs / "publisher-cache-off.log",
                name="eurocities-kg, cache off",
                env={"EUROCITIES_KG_RESULT_CACHE_ENTRIES": "0", **limit},
            )
        )
        bare = stack.enter_context(servers.bare_flask(project, log=logs / "bare.log"))
        peers: dict[str, Peer] = {}
        if config.peers and servers.oxigraph_binary():
            log("loading the dumps into an Oxigraph store (oxigraph load)")
            seconds = servers.oxigraph_load(release, work / "oxigraph")
            results.notes.append(
                f"oxigraph load of the N-Quads and N-Triples dumps: {seconds:.1f} s"
            )
            peers["oxigraph"] = Peer(
                "oxigraph",
                lambda: servers.oxigraph(work / "oxigraph", log=logs / "oxigraph.log"),
                log,
            )
            stack.callback(peers["oxigraph"].close)
        elif config.peers:
            results.notes.append("the oxigraph server is not installed (pip install oxigraph)")
        if config.peers and servers.rdflib_endpoint_binary():
            log("starting rdflib-endpoint (it parses the N-Quads dump into memory first)")
            peers["rdflib-endpoint"] = Peer(
                "rdflib-endpoint",
                lambda: servers.rdflib_endpoint(release, log=logs / "rdflib-endpoint.log"),
                log,
            )
            stack.callback(peers["rdflib-endpoint"].close)
            running = peers["rdflib-endpoint"].running
            log(f"  answered after {running.startup if running else 0:.1f} s")
        elif config.peers:
            results.notes.append(
                "rdflib-endpoint is not installed (pip install -e '.[bench]'): not measured"
            )

        def page(name: str, path: str, accept: str, detail: str) -> None:
            log(f"measuring {name}")
            row = Measured(name, "page", detail)
            request = Request("GET", (path,), (("Accept", accept), ("Accept-Language", "en")))
            row.runs["eurocities-kg"] = runner.measure(ours, request, config.duration)
            results.rows.append(row)

        log("measuring the ceiling (bare Flask)")
        ceiling = Measured("ceiling: bare Flask, a constant", "ceiling", "GET / → a constant body")
        ceiling.runs["bare Flask"] = runner.measure(bare, Request("GET", ("/",)), config.duration)
        results.rows.append(ceiling)
        page("HTML page", f"/doc/city/{slug}", "text/html", f"/doc/city/{slug}, Accept: text/html")
        page(
            "Turtle page",
            f"/doc/city/{slug}",
            "text/turtle",
            f"/doc/city/{slug}, Accept: text/turtle",
        )
        page(
            "dump download", "/download/eurocities-kg.nt.gz", "*/*", "/download/eurocities-kg.nt.gz"
        )
        for name, kind, query, accept in sparql:
            log(f"measuring {name}")
            duration = config.duration if kind == "sparql" else config.example_duration
            row = Measured(name, kind, query)
            row.runs["eurocities-kg"] = runner.measure(
                ours, ours.sparql(query, accept), duration, accept
            )
            if kind == "sparql":
                row.runs["eurocities-kg, cache off"] = runner.measure(
                    uncached, uncached.sparql(query, accept), duration, accept
                )
            for name_of_peer, peer in peers.items():
                if peer.running is None:
                    row.runs[name_of_peer] = {"note": "not measured (timed out before)"}
                    continue
                run = runner.measure(
                    peer.running, peer.running.sparql(query, accept), duration, accept
                )
                row.runs[name_of_peer] = run
                if run.get("note") == "timeout":
                    run["note"] = f"timeout (> {config.probe_timeout:g} s)"
                    peer.restart()
            answers = {
                server: run.get("answer") for server, run in row.runs.items() if "answer" in run
            }
            if len({a for a in answers.values() if a is not None}) > 1:
                results.notes.append(f"{name}: the servers' answers differ in size: {answers}")
            results.rows.append(row)


def _measure_large(
    config: BenchConfig, results: BenchResults, work: Path, log: Callable[[str], None]
) -> None:
    log(f"generating {config.large_cities} cities (the large graph)")
    generate(config.large_cities, work / "large", config.template)
    project = find_project(work / "large", work / "large" / "build")
    log("building the large graph")
    results.large["build"] = measure_build(project, log)
    triples = results.large["build"]["triples"]
    slug, _city, sparql = _requests(project)
    with servers.publisher(project, log=work / "logs" / "publisher-large.log") as ours:
        results.startup[f"{triples:,} triples"] = ours.startup
        log(f"  the publisher answered after {ours.startup:.2f} s; warming it up")
        runner = Runner(config, log)
        warm = [
            Request("GET", (f"/doc/city/{slug}",), (("Accept", "text/html"),)),
            Request("GET", (f"/doc/city/{slug}",), (("Accept", "text/turtle"),)),
            *(ours.sparql(query, accept) for _n, _k, query, accept in sparql),
        ]
        for request in warm:
            runner.measure(ours, request, min(config.duration, 2.0))
        results.large["rss"] = ours.rss
        log(f"  serving RSS (master + workers): {ours.rss / 1e6:.0f} MB")
