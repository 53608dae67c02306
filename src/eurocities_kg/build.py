"""The build: parse, validate, and only if the data conforms write a new release beside the old
one and swap it in atomically.

    build/
      current -> releases/<build id>      (a symlink, replaced atomically)
      releases/<build id>/
        manifest.json                     (counts, version, time, content hash, dumps)
        store/                            (the pyoxigraph store)
        dumps/                            (Turtle, N-Triples.gz, JSON-LD, RDF/XML, TriG, N-Quads)
        changes/                          (the difference from the previous build, changes.py)
        validation-report.{ttl,json,txt}
        shapes.ttl                        (the SHACL shapes the data were validated against)
      changes/                            (every build's difference, kept beyond pruning)
"""

from __future__ import annotations

import fcntl
import gzip
import hashlib
import json
import os
import shutil
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from . import __version__, changes
from .documents import canonical, serialize
from .errors import BuildCorrupt, BuildNotFound, ValidationFailed
from .formats import RDF_FORMATS, RdfFormat, rdf_format
from .loading import (
    LoadedProject,
    SourceGraph,
    all_quads,
    data_files,
    load_project,
    to_rdflib_graph,
)
from .namespaces import PREFIXES
from .project import Project
from .release import MANIFEST, current_release, read_manifest
from .store import with_union_default_graph
from .validation import ValidationReport, validate

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
DUMP_STEM = "eurocities-kg"
SHAPES = "shapes.ttl"
KEEP_RELEASES = 5


@dataclass(frozen=True)
class Dump:
    file: str
    format: RdfFormat
    gzipped: bool = False


# Graph formats carry the union of all named graphs; TriG and N-Quads keep the graphs apart.
DUMPS: tuple[Dump, ...] = tuple(
    Dump(
        f"{DUMP_STEM}.{fmt.extension}" + (".gz" if fmt.name == "ntriples" else ""),
        fmt,
        gzipped=fmt.name == "ntriples",
    )
    for fmt in RDF_FORMATS
)


NQUADS_DUMP = next(d for d in DUMPS if d.format.name == "nquads")  # canonical: diffed per build


def validate_project(project: Project, loaded: LoadedProject | None = None) -> ValidationReport:
    """Validate what is published — the data and the ontology together, so that class hierarchies
    and the ontology's own labels are checked too."""
    loaded = loaded or load_project(project)
    return validate(
        to_rdflib_graph(all_quads(loaded.published)),
        shapes=to_rdflib_graph(loaded.shapes.quads),
        files_of=_files_of(loaded.published, project.root),
        quads=all_quads(loaded.published),
    )


def _files_of(graphs: Iterable[SourceGraph], root: Path) -> dict[str, tuple[str, ...]]:
    files: defaultdict[str, list[str]] = defaultdict(list)
    for source in graphs:
        name = (
            str(source.path.relative_to(root))
            if source.path.is_relative_to(root)
            else str(source.path)
        )
        for subject in {q.subject for q in source.quads if isinstance(q.subject, ox.NamedNode)}:
            files[subject.value].append(name)
    return {subject: tuple(names) for subject, names in files.items()}


def canonical_quads(graphs: Iterable[SourceGraph]) -> list[ox.Quad]:
    """The quads with blank nodes named canonically (RDFC-1.0), sorted: the same data always
    yields the same dumps, hash and ETags."""
    dataset = ox.Dataset(all_quads(graphs))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return sorted(dataset, key=str)


def content_hash(quads: list[ox.Quad]) -> str:
    digest = hashlib.sha256()
    for quad in quads:
        digest.update(str(quad).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def inputs_hash(project: Project) -> str:
    """A digest of the files a build reads, to tell whether the current build is stale."""
    digest = hashlib.sha256()
    for path in sorted([project.ontology_file, project.shapes_file, *data_files(project.data_dir)]):
        if path.is_file():
            digest.update(str(path.relative_to(project.root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def is_stale(project: Project) -> bool:
    """True when there is no build, or the sources changed since the current one was built."""
    if not (project.build_dir / "current").exists():
        return True
    return read_manifest(project.build_dir).get("inputsHash") != inputs_hash(project)


def _graph_stats(loaded: LoadedProject, root: Path) -> list[dict[str, Any]]:
    stats = []
    for source in loaded.published:
        typed = {
            q.subject
            for q in source.quads
            if q.predicate == RDF_TYPE and isinstance(q.subject, ox.NamedNode)
        }
        stats.append(
            {
                "graph": source.graph,
                "file": str(source.path.relative_to(root)),
                "triples": len({q.triple for q in source.quads}),
                "entities": len(typed),
            }
        )
    return stats


def _write_dump(path: Path, dump: Dump, quads: list[ox.Quad], triples: list[ox.Triple]) -> None:
    items: list[ox.Quad] | list[ox.Triple] = quads if dump.format.holds_graphs else triples
    prefixes = None if dump.format.name in ("ntriples", "nquads") else PREFIXES
    data = ox.serialize(items, format=dump.format.oxigraph, prefixes=prefixes)
    assert data is not None
    if dump.gzipped:
        data = gzip.compress(data, mtime=0)
    path.write_bytes(data)


def _describe_file(path: Path, dump: Dump) -> dict[str, Any]:
    data = path.read_bytes()
    return {
        "file": path.name,
        "format": dump.format.name,
        "mediaType": dump.format.media_type,
        "compression": "gzip" if dump.gzipped else None,
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def _write_release(
    staging: Path, loaded: LoadedProject, report: ValidationReport, root: Path, now: datetime
) -> dict[str, Any]:
    quads = canonical_quads(loaded.published)
    triples = sorted({q.triple for q in quads}, key=str)
    digest = content_hash(quads)

    store = ox.Store(str(staging / "store"))
    store.bulk_extend(with_union_default_graph(quads))
    store.flush()
    store.optimize()
    del store

    dumps_dir = staging / "dumps"
    dumps_dir.mkdir()
    for dump in DUMPS:
        _write_dump(dumps_dir / dump.file, dump, quads, triples)

    (staging / "validation-report.ttl").write_text(report.to_turtle(), encoding="utf-8")
    (staging / "validation-report.json").write_text(report.to_json(), encoding="utf-8")
    (staging / "validation-report.txt").write_text(report.to_text(), encoding="utf-8")
    # the shapes as validated, published with the data they admitted (not the working tree's)
    shapes = serialize(canonical(q.triple for q in loaded.shapes.quads), rdf_format("turtle"))
    (staging / SHAPES).write_bytes(shapes)

    classes = Counter(
        q.object.value
        for q in quads
        if q.predicate == RDF_TYPE and isinstance(q.object, ox.NamedNode)
    )
    return {
        "buildId": staging.name.removeprefix(".staging-"),
        "version": digest[:12],
        "packageVersion": __version__,
        "builtAt": now.isoformat(timespec="seconds"),
        "contentHash": f"sha256:{digest}",
        "triples": len(triples),
        "quads": len(quads),
        "entities": len(
            {
                q.subject
                for q in quads
                if q.predicate == RDF_TYPE and isinstance(q.subject, ox.NamedNode)
            }
        ),
        "graphs": _graph_stats(loaded, root),
        "classes": dict(sorted(classes.items())),
        "validation": {
            "conforms": report.conforms,
            "violations": len(report.violations),
            "warnings": len(report.warnings),
        },
        "dumps": [_describe_file(dumps_dir / d.file, d) for d in DUMPS],
        "shapes": {
            "file": SHAPES,
            "bytes": len(shapes),
            "sha256": hashlib.sha256(shapes).hexdigest(),
        },
    }


@contextmanager
def _build_lock(build_dir: Path) -> Iterator[None]:
    build_dir.mkdir(parents=True, exist_ok=True)
    with open(build_dir / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _previous_build(build_dir: Path) -> tuple[Mapping[str, Any] | None, Path | None]:
    """The current build's manifest and release; none when there is none or it is corrupt (a new
    build replaces a corrupt one)."""
    try:
        return read_manifest(build_dir), current_release(build_dir)
    except (BuildNotFound, BuildCorrupt):
        return None, None


def _swap_current(build_dir: Path, release: Path) -> None:
    link = build_dir / "current"
    temporary = build_dir / f".current-{release.name}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(release.relative_to(build_dir))
    os.replace(temporary, link)  # atomic: readers see the old or the new release, never neither


def _prune(build_dir: Path, keep: Path) -> None:
    for stale in build_dir.glob(".staging-*"):
        shutil.rmtree(stale, ignore_errors=True)
    releases = sorted((build_dir / "releases").iterdir(), key=lambda p: p.name)
    for old in releases[:-KEEP_RELEASES]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def build(
    project: Project,
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    timings: dict[str, float] | None = None,
) -> dict[str, Any]:
    """Build the project into a new release and make it current; raise ValidationFailed (and change
    nothing) when the data does not conform. `timings`, if given, receives the seconds each phase
    took (load, validate, release, changes, publish), for the benchmark."""
    clocked = timings if timings is not None else {}
    began = time.perf_counter()

    def lap(phase: str) -> None:
        nonlocal began
        now = time.perf_counter()
        clocked[phase] = now - began
        began = now

    loaded = load_project(project)
    lap("load")
    report = validate_project(project, loaded)
    lap("validate")
    if not report.conforms:
        raise ValidationFailed(
            f"the data {report.summary()}; fix the violations above, then build again", report
        )
    now = clock()
    build_dir = project.build_dir
    with _build_lock(build_dir):
        staging = build_dir / f".staging-{now:%Y%m%dT%H%M%S%fZ}"
        staging.mkdir(parents=True)
        try:
            manifest = _write_release(staging, loaded, report, project.root, now)
            lap("release")
            manifest["inputsHash"] = inputs_hash(project)
            previous, previous_release = _previous_build(build_dir)
            manifest["previousBuildId"] = previous["buildId"] if previous else None
            manifest |= changes.record(
                staging, staging / "dumps" / NQUADS_DUMP.file, manifest, previous_release
            )
            (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
            release = build_dir / "releases" / manifest["buildId"]
            release.parent.mkdir(exist_ok=True)
            staging.rename(release)
            lap("changes")
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        _swap_current(build_dir, release)
        changes.publish(build_dir)  # the feed of differences outlives pruned releases
        _prune(build_dir, release)
        lap("publish")
    return manifest
