"""The build, measured in a child process so that its peak RSS is its own:

    python -m eurocities_kg.bench.probe PROJECT BUILD_DIR OUT.json

writes the build's time per phase and, for the baseline of the build target, the time of a
pyoxigraph bulk load of the same data files into a fresh store (`Store.bulk_load`)."""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from ..build import build
from ..formats import SOURCE_EXTENSIONS
from ..loading import data_files, graph_name_for
from ..namespaces import ONTOLOGY_GRAPH
from ..project import Project, find_project


def bulk_load_seconds(project: Project) -> float:
    """pyoxigraph's bulk loader on the project's files, each into its named graph."""
    with tempfile.TemporaryDirectory() as scratch:
        store = ox.Store(scratch)
        began = time.perf_counter()
        graphs = [(project.ontology_file, ONTOLOGY_GRAPH)] + [
            (path, graph_name_for(path, project.data_dir)) for path in data_files(project.data_dir)
        ]
        for path, graph in graphs:
            fmt = SOURCE_EXTENSIONS[path.suffix.lstrip(".")].oxigraph
            store.bulk_load(path=path, format=fmt, to_graph=ox.NamedNode(graph))
        store.flush()
        seconds = time.perf_counter() - began
        del store
    return seconds


def main(argv: list[str]) -> None:
    project = find_project(Path(argv[0]), Path(argv[1]))
    timings: dict[str, float] = {}
    began = time.perf_counter()
    manifest = build(project, timings=timings)
    total = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    result = {
        "seconds": total,
        "phases": timings,
        "peakRss": peak,
        "triples": manifest["triples"],
        "quads": manifest["quads"],
        "bulkLoadSeconds": bulk_load_seconds(project),
    }
    Path(argv[2]).write_text(json.dumps(result, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
