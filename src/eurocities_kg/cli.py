"""The command line: one command per job, a thin layer over the core."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click

from . import __version__
from .build import build, is_stale, validate_project
from .errors import BuildNotFound, EurocitiesKgError, ValidationFailed
from .project import Project, find_project
from .queries import example_queries
from .query_guard import check_query
from .release import check_build, read_manifest
from .results import FORMAT_NAMES, TEXT, render
from .server import serve
from .settings import Settings, load_settings
from .store import EmbeddedStore
from .wikidata import enrich, links, quickstatements
from .wikidata.client import ClientConfig, WikidataClient
from .wikidata.diff import diff_wikidata
from .wikidata.ourgraph import OurGraph
from .wikidata.report import (
    diff_json,
    diff_table,
    reconciliation_json,
    reconciliation_summary,
    reconciliation_table,
)

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Expected errors end the command with their exit code and one line saying what to fix."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ValidationFailed as error:
            click.echo(error.report.to_text(), err=True, nl=False)
            click.echo(f"error: {error.message}", err=True)
            sys.exit(error.exit_code)
        except EurocitiesKgError as error:
            click.echo(f"error: {error.message}", err=True)
            sys.exit(error.exit_code)

    return wrapper  # type: ignore[return-value]


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "auto_envvar_prefix": "EUROCITIES_KG"}
)
@click.option(
    "--project",
    "project_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Project directory (with ontology/, data/, queries/). Default: the current directory, "
    "else the copy shipped in the package.",
)
@click.option(
    "--build-dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where builds are written. Default: build/ in the project.",
)
@click.version_option(__version__, prog_name="eurocities-kg")
@click.pass_context
def main(ctx: click.Context, project_dir: Path | None, build_dir: Path | None) -> None:
    """Build and publish the Eurocities knowledge graph."""
    ctx.obj = (project_dir, build_dir)


def _project(ctx: click.Context) -> Project:
    project_dir, build_dir = ctx.find_root().obj
    return find_project(project_dir, build_dir)


@main.command("build")
@click.option(
    "--push",
    "push_url",
    metavar="URL",
    default=None,
    help="Then write the build into this store (a SPARQL 1.1 service, see `serve --store`) "
    "through the Graph Store Protocol.",
)
@click.option("--gsp", default=None, metavar="URL", help="With --push: the Graph Store endpoint.")
@click.pass_context
@reports_errors
def build_command(ctx: click.Context, push_url: str | None, gsp: str | None) -> None:
    """Validate the data and, if it conforms, build the store and the dumps."""
    project = _project(ctx)
    manifest = build(project)
    v = manifest["validation"]
    click.echo(
        f"built {manifest['buildId']} (version {manifest['version']}): "
        f"{manifest['triples']} triples, "
        f"{manifest['entities']} entities in {len(manifest['graphs'])} graphs; "
        f"{v['violations']} violations, {v['warnings']} warnings\n"
        f"store and dumps in {project.build_dir / 'current'}"
    )
    if push_url is not None:
        _push(project, push_url, gsp)


@main.command("validate")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle"]),
    default="text",
    show_default=True,
    help="Report format.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "de"]),
    default="en",
    show_default=True,
    help="Language of the messages in the text report.",
)
@click.pass_context
@reports_errors
def validate_command(ctx: click.Context, fmt: str, lang: str) -> None:
    """Validate the data against the shapes. Exit 0 conforms, 1 violations, 2 error."""
    report = validate_project(_project(ctx))
    output = {
        "text": lambda: report.to_text(lang),
        "json": report.to_json,
        "turtle": report.to_turtle,
    }[fmt]()
    click.echo(output, nl=False)
    sys.exit(0 if report.conforms else 1)


@main.command("query")
@click.argument("source", type=click.File("r", encoding="utf-8"))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_NAMES),
    default=TEXT,
    show_default=True,
    help="table for people; json/xml/csv/tsv for SELECT and ASK; an RDF format for CONSTRUCT.",
)
@click.pass_context
@reports_errors
def query_command(ctx: click.Context, source: TextIO, fmt: str) -> None:
    """Run a SPARQL query (a FILE, or - for standard input) on the built store. SERVICE may call the
    allow-listed endpoints only, as on the web."""
    project = _project(ctx)
    text = source.read()
    settings = load_settings(project)
    check_query(text, settings.service_allow_list, settings.service_allow_private)
    try:
        store = EmbeddedStore.from_build(project.build_dir)
    except BuildNotFound:
        click.echo("no build yet: building first", err=True)
        build(project)
        store = EmbeddedStore.from_build(project.build_dir)
    click.echo(render(store.query(text), fmt), nl=False)


@main.command("serve")
@click.option("--host", default=None, help="Interface to listen on.  [default: 127.0.0.1]")
@click.option("--port", type=int, default=None, help="Port to listen on.  [default: 8080]")
@click.option(
    "--workers", type=click.IntRange(1, 64), default=None, help="Worker processes.  [default: 2]"
)
@click.option(
    "--base",
    default=None,
    help="Canonical base of the IRIs in the store.  [default: https://w3id.org/eurocities-kg/]",
)
@click.option(
    "--get",
    "get_path",
    metavar="PATH",
    default=None,
    help="Send one GET request for PATH through the app in-process, print the response, exit.",
)
@click.option("--accept", default=None, help="With --get: the Accept header to send.")
@click.option(
    "--headers", "show_headers", is_flag=True, help="With --get: print status and headers."
)
@click.option(
    "--store",
    "store_url",
    metavar="URL",
    default=None,
    help="Answer from this store instead of the build's own: a SPARQL 1.1 service "
    "(http://…, oxigraph+http://…, fuseki+http://…, graphdb+http://…, virtuoso+http://…) "
    "holding this build (`build --push URL`). The manifest and dumps stay the local build's.",
)
@click.option("--gsp", default=None, metavar="URL", help="With --store: its Graph Store endpoint.")
@click.pass_context
@reports_errors
def serve_command(
    ctx: click.Context,
    host: str | None,
    port: int | None,
    workers: int | None,
    base: str | None,
    get_path: str | None,
    accept: str | None,
    show_headers: bool,
    store_url: str | None,
    gsp: str | None,
) -> None:
    """Publish the graph: SPARQL endpoint, linked-data pages, dumps and catalogue (builds first when
    there is no build)."""
    project = _project(ctx)
    settings = load_settings(
        project, host=host, port=port, workers=workers, base=base, store=store_url, store_gsp=gsp
    )
    _refuse_corrupt_build(project)
    if settings.store is None:
        _build_if_stale(project)
    else:
        _check_remote_build(project)
    if get_path is not None:
        sys.exit(_get_once(settings, get_path, accept, show_headers))
    manifest = check_build(project.build_dir)
    url = f"http://{settings.host}:{settings.port}/"
    click.echo(
        f"eurocities-kg {__version__}: serving build {manifest['buildId']} "
        f"({manifest['triples']} triples) of {project.root}\n"
        f"  pages    {url}\n  SPARQL   {url}sparql\n  dumps    {url}download/\n"
        f"  catalog  {url}catalog\n  IRIs     {settings.base}id/… answered under {url}id/…"
    )
    serve(settings)


def _refuse_corrupt_build(project: Project) -> None:
    """A build that is there but cannot be served stops start-up (BuildCorrupt, exit 2) rather than
    being built over: someone should look at it."""
    current = project.build_dir / "current"
    if current.is_symlink() or current.exists():
        check_build(project.build_dir)


def _build_if_stale(project: Project) -> None:
    """Build when there is no build or the sources changed; a failed rebuild keeps the last good
    build in service (and says so)."""
    if not (project.build_dir / "current").exists():
        click.echo("no build yet: building first", err=True)
        build(project)
    elif is_stale(project):
        click.echo("the sources changed since the last build: building", err=True)
        try:
            build(project)
        except EurocitiesKgError as error:
            click.echo(
                f"warning: the rebuild failed, serving the last good build: {error.message}",
                err=True,
            )


def _get_once(settings: Settings, path: str, accept: str | None, show_headers: bool) -> int:
    from .web import create_app

    client = create_app(settings).test_client()
    response = client.get(path, headers={"Accept": accept} if accept else {})
    if show_headers:
        click.echo(f"HTTP/1.1 {response.status}")
        for name, value in response.headers.items():
            click.echo(f"{name}: {value}")
        click.echo("")
    sys.stdout.buffer.write(response.get_data())
    sys.stdout.flush()
    return 0 if response.status_code < 400 else 1


@main.command("queries")
@click.option("--lang", type=click.Choice(["en", "de"]), default="en", show_default=True)
@click.pass_context
@reports_errors
def queries_command(ctx: click.Context, lang: str) -> None:
    """List the example queries."""
    for example in example_queries(_project(ctx).queries_dir):
        click.echo(f"{example.path}\t{example.title(lang)}")


@main.command("status")
@click.pass_context
@reports_errors
def status_command(ctx: click.Context) -> None:
    """Show the current build: version, time, counts and dumps."""
    manifest = read_manifest(_project(ctx).build_dir)
    click.echo(
        f"build {manifest['buildId']} version {manifest['version']} at {manifest['builtAt']}"
    )
    click.echo(f"{manifest['triples']} triples, {manifest['entities']} entities")
    for graph in manifest["graphs"]:
        click.echo(
            f"  {graph['triples']:>6} triples {graph['entities']:>4} entities  {graph['file']}"
        )
    for dump in manifest["dumps"]:
        click.echo(f"  dump {dump['file']} {dump['bytes']} bytes sha256:{dump['sha256'][:16]}")


# ---------------------------------------------------------------------------------------------------
# Reload (issue 6): a running server swaps in the current build


@main.command("reload")
@click.pass_context
@reports_errors
def reload_command(ctx: click.Context) -> None:
    """Make the running server serve the current build: SIGHUP to the gunicorn master named in
    serve.pid of the build directory, which replaces its workers gracefully. Exit 2 when no server
    runs there or the build cannot be served."""
    from .server import running_pid

    build_dir = _project(ctx).build_dir
    manifest = check_build(build_dir)  # never reload onto a build the workers could not open
    pid = running_pid(build_dir)
    os.kill(pid, signal.SIGHUP)
    click.echo(
        f"reloading server {pid} onto build {manifest['buildId']} (version {manifest['version']})"
    )


# ---------------------------------------------------------------------------------------------------
# Wikidata (issue 4): the only commands that use the network, and only the endpoint they are given

ENDPOINT_HELP = (
    "SPARQL endpoint of Wikidata (or a stand-in).  [default: https://query.wikidata.org/sparql]"
)


def _wikidata_client(project: Project, endpoint: str | None) -> WikidataClient:
    settings = load_settings(project, wikidata_endpoint=endpoint)
    return WikidataClient(ClientConfig.from_settings(settings))


def _output_option(default: str) -> Callable[[F], F]:
    return click.option(
        "--output",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help=f"File to write.  [default: {default} in the project]",
    )


@main.group("link")
def link_group() -> None:
    """Link our things to items of other datasets."""


@link_group.command("wikidata")
@click.option("--endpoint", default=None, help=ENDPOINT_HELP)
@_output_option("data/links/wikidata.ttl")
@click.option(
    "--report",
    "report_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also write the report (every thing, its status and candidates) as JSON to this file.",
)
@click.pass_context
@reports_errors
def link_wikidata_command(
    ctx: click.Context, endpoint: str | None, output: Path | None, report_file: Path | None
) -> None:
    """Reconcile our cities, countries, organisations and persons with Wikidata: exact, unique
    matches become owl:sameAs links; ambiguous and unmatched ones are reported with candidates."""
    project = _project(ctx)
    client = _wikidata_client(project, endpoint)
    run = links.link_wikidata(project, client, output or links.default_output(project))
    click.echo(reconciliation_table(run), nl=False)
    click.echo(reconciliation_summary(run), nl=False)
    if report_file is not None:
        report_file.write_text(reconciliation_json(run), encoding="utf-8")


@main.group("enrich")
def enrich_group() -> None:
    """Fetch facts about our linked things from other datasets."""


@enrich_group.command("wikidata")
@click.option("--endpoint", default=None, help=ENDPOINT_HELP)
@_output_option("data/links/wikidata-enrichment.ttl")
@click.pass_context
@reports_errors
def enrich_wikidata_command(ctx: click.Context, endpoint: str | None, output: Path | None) -> None:
    """Fetch coordinates, population, website, GeoNames ID, municipality key, head of government
    and labels of every linked item into a graph of their own, with provenance."""
    project = _project(ctx)
    client = _wikidata_client(project, endpoint)
    run = enrich.enrich_wikidata(project, client, output or enrich.default_output(project))
    facts = run.facts
    click.echo(
        f"{run.linked} linked things: coordinates {len(facts.coordinates)}, "
        f"population {len(facts.populations)}, website {len(facts.websites)}, "
        f"identifiers {len(facts.identifiers)}, head of government {len(facts.heads)}, "
        f"labels {len(facts.labels)}; {len(run.retrieval.queries)} queries to "
        f"{run.retrieval.endpoint}"
    )
    for note in facts.notes:
        click.echo(f"note: {note}")
    click.echo(f"wrote {run.output}")


@main.group("export")
def export_group() -> None:
    """Give back what we know, in another dataset's format."""


@export_group.command("quickstatements")
@click.option("--endpoint", default=None, help=ENDPOINT_HELP)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="File to write the commands to.  [default: standard output]",
)
@click.pass_context
@reports_errors
def export_quickstatements_command(
    ctx: click.Context, endpoint: str | None, output: Path | None
) -> None:
    """QuickStatements v1 commands adding member of (P463) Eurocities, with start time and
    reference, to linked member cities whose Wikidata item lacks it. Exit 2 when Eurocities has no
    reconciled QID."""
    project = _project(ctx)
    graph = OurGraph.of_project(project)
    quickstatements.eurocities_qid(graph)  # before any request: never a guess
    export = quickstatements.export_quickstatements(graph, _wikidata_client(project, endpoint))
    if output is None:
        click.echo(export.text(), nl=False)
    else:
        output.write_text(export.text(), encoding="utf-8")
    click.echo(quickstatements.summary(export), err=True)


@main.group("diff")
def diff_group() -> None:
    """Compare our graph with another dataset."""


@diff_group.command("wikidata")
@click.option("--endpoint", default=None, help=ENDPOINT_HELP)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for people, json for programs.",
)
@click.pass_context
@reports_errors
def diff_wikidata_command(ctx: click.Context, endpoint: str | None, fmt: str) -> None:
    """The facts where our graph and Wikidata disagree: membership (P463) and its start, the
    current mayor (P6), the year of the population figure (P1082/P585)."""
    project = _project(ctx)
    diff = diff_wikidata(OurGraph.of_project(project), _wikidata_client(project, endpoint))
    click.echo(diff_table(diff) if fmt == "table" else diff_json(diff), nl=False)
    for note in diff.notes:
        click.echo(f"note: {note}", err=True)


# --- scale: a remote store, synthetic data, the benchmark (issue 5) -----------------------------


def _check_remote_build(project: Project) -> None:
    """With a remote store nothing is built here: a local build would not be in the store."""
    if not (project.build_dir / "current").exists():
        raise BuildNotFound(
            f"no build in {project.build_dir}: run `eurocities-kg build --push URL` first"
        )
    if is_stale(project):
        click.echo(
            "warning: the sources changed since the last build; run `eurocities-kg build --push "
            "URL` to build and write the store again",
            err=True,
        )


def _push(project: Project, url: str, gsp: str | None) -> None:
    from .remote import push
    from .store import service_for

    settings = load_settings(project, store_gsp=gsp)
    report = push(project.build_dir, service_for(url, settings.store_gsp))
    click.echo(
        f"pushed to {report.service.gsp_url}: {report.graphs} named graphs and the default graph "
        f"({report.default_triples} triples, the union)"
        + (
            f"; deleted {len(report.deleted)} graph(s) the build no longer has"
            if report.deleted
            else ""
        )
    )


@main.command("generate")
@click.option("--cities", type=click.IntRange(1), required=True, help="How many cities.")
@click.option(
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="The project directory to write (its data/, ontology/ and queries/ are replaced).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.pass_context
@reports_errors
def generate_command(ctx: click.Context, cities: int, output: Path, seed: int) -> None:
    """Write a synthetic project of N cities, shaped like the real data, for scale tests
    (20 ≈ 10k triples, 1750 ≈ 100k, 3400 ≈ 185k, 19200 ≈ 1M, 21200 ≈ 1.1M)."""
    from .generate import generate

    summary = generate(cities, output, _project(ctx).root, seed)
    click.echo(
        f"wrote {summary.files} data files for {summary.cities} cities (seed {summary.seed}) to "
        f"{summary.output}; build it with: eurocities-kg --project {summary.output} build"
    )


@main.command("bench")
@click.option("--quick", is_flag=True, help="A small graph, short runs: a smoke test in a minute.")
@click.option(
    "--cities",
    type=click.IntRange(1),
    default=None,
    help="Graph size (default 3400 ≈ 187k triples).",
)
@click.option("--duration", type=float, default=None, help="Seconds of load per measurement.")
@click.option("--connections", type=click.IntRange(1, 64), default=8, show_default=True)
@click.option(
    "--large",
    "large_cities",
    type=click.IntRange(0),
    default=None,
    help="Also build a graph of this many cities for the build and RSS targets (0: skip; "
    "default 21200, ≈ 1.1M triples; skipped with --quick).",
)
@click.option(
    "--peers/--no-peers", default=True, show_default=True, help="Run oxigraph and rdflib-endpoint."
)
@click.option(
    "--work-dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Where the generated projects and builds go (default: a temporary directory).",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Write the JSON results here (the Markdown table goes to standard output).",
)
@click.pass_context
@reports_errors
def bench_command(
    ctx: click.Context,
    quick: bool,
    cities: int | None,
    duration: float | None,
    connections: int,
    large_cities: int | None,
    peers: bool,
    work_dir: Path | None,
    output: Path | None,
) -> None:
    """Benchmark the publisher against the oxigraph server, rdflib-endpoint and a bare Flask app
    on the same generated data; print a Markdown table (and JSON with --output)."""
    from .bench.run import BenchConfig, run_bench

    config = BenchConfig.make(
        template=_project(ctx).root,
        quick=quick,
        cities=cities,
        duration=duration,
        connections=connections,
        large_cities=large_cities,
        peers=peers,
        work_dir=work_dir,
    )
    results = run_bench(config, log=lambda line: click.echo(line, err=True))
    click.echo(results.markdown())
    if output is not None:
        output.write_text(results.json(), encoding="utf-8")
        click.echo(f"JSON written to {output}", err=True)
