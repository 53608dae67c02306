from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from eurocities_kg import build as build_module
from eurocities_kg.build import DUMPS, build
from eurocities_kg.errors import BuildCorrupt, BuildNotFound, SourceFileError, ValidationFailed
from eurocities_kg.namespaces import GRAPH_BASE, ONTOLOGY_GRAPH
from eurocities_kg.project import Project
from eurocities_kg.release import current_release, read_manifest

RDFLIB_FORMATS = {
    "turtle": "turtle",
    "ntriples": "nt",
    "jsonld": "json-ld",
    "rdfxml": "xml",
    "trig": "trig",
    "nquads": "nquads",
}


def release_files(project: Project) -> dict[str, bytes]:
    release = current_release(project.build_dir)
    return {str(p.relative_to(release)): p.read_bytes() for p in release.rglob("*") if p.is_file()}


def test_build_writes_store_dumps_report_and_manifest(tiny_project: Project) -> None:
    manifest = build(tiny_project)
    release = current_release(tiny_project.build_dir)
    assert (tiny_project.build_dir / "current").is_symlink()
    assert manifest == read_manifest(tiny_project.build_dir)
    assert manifest["triples"] == 13  # 5 + 4 data + 5 ontology, the shared triple counted once
    assert manifest["quads"] == 14
    assert manifest["validation"] == {"conforms": True, "violations": 0, "warnings": 1}
    assert manifest["contentHash"].startswith("sha256:")
    graphs = {g["graph"]: g for g in manifest["graphs"]}
    assert set(graphs) == {GRAPH_BASE + "cities", GRAPH_BASE + "links-extra", ONTOLOGY_GRAPH}
    assert graphs[GRAPH_BASE + "cities"] == {
        "graph": GRAPH_BASE + "cities",
        "file": "data/cities.ttl",
        "triples": 5,
        "entities": 2,
    }
    assert (release / "validation-report.ttl").is_file()
    assert json.loads((release / "validation-report.json").read_text())["warnings"] == 1
    assert len(ox.Store.read_only(str(release / "store"))) == 14 + 13  # the union default graph


@pytest.mark.parametrize("dump", DUMPS, ids=lambda d: d.format.name)
def test_every_dump_parses_with_rdflib_and_holds_every_triple(tiny_project: Project, dump) -> None:
    manifest = build(tiny_project)
    data = (current_release(tiny_project.build_dir) / "dumps" / dump.file).read_bytes()
    if dump.gzipped:
        data = gzip.decompress(data)
    listed = next(d for d in manifest["dumps"] if d["file"] == dump.file)
    assert listed["mediaType"] == dump.format.media_type
    if dump.format.holds_graphs:
        dataset = rdflib.Dataset()
        dataset.parse(data=data, format=RDFLIB_FORMATS[dump.format.name])
        quads = list(dataset.quads())
        assert {str(q[3]) for q in quads} == {
            GRAPH_BASE + "cities",
            GRAPH_BASE + "links-extra",
            ONTOLOGY_GRAPH,
        }
        assert len(quads) == manifest["quads"]
    else:
        graph = rdflib.Graph().parse(data=data, format=RDFLIB_FORMATS[dump.format.name])
        assert len(graph) == manifest["triples"]


def test_same_data_gives_identical_dumps_and_hash(tiny_project: Project) -> None:
    first = build(tiny_project)
    first_files = release_files(tiny_project)
    second = build(tiny_project)
    assert second["contentHash"] == first["contentHash"]  # blank nodes are named canonically
    assert second["previousBuildId"] == first["buildId"]
    for name, content in release_files(tiny_project).items():
        if name.startswith("dumps/") or name == "shapes.ttl":
            assert content == first_files[name], name


def test_the_release_keeps_the_shapes_it_was_validated_against(tiny_project: Project) -> None:
    manifest = build(tiny_project)
    data = (current_release(tiny_project.build_dir) / "shapes.ttl").read_bytes()
    assert manifest["shapes"] == {
        "file": "shapes.ttl",
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    built = rdflib.Graph().parse(data=data, format="turtle")
    assert isomorphic(built, rdflib.Graph().parse(tiny_project.shapes_file))


def test_syntax_error_fails_and_keeps_the_previous_build(tiny_project: Project) -> None:
    build(tiny_project)
    before = release_files(tiny_project)
    (tiny_project.data_dir / "cities.ttl").write_text("<https://x/a> <https://x/b> .\n")
    with pytest.raises(SourceFileError, match=r"cities\.ttl:1"):
        build(tiny_project)
    assert release_files(tiny_project) == before


def test_violation_fails_names_the_problem_and_keeps_the_previous_build(
    tiny_project: Project,
) -> None:
    build(tiny_project)
    before = release_files(tiny_project)
    path = tiny_project.data_dir / "cities.ttl"
    path.write_text(path.read_text().replace('"Köln"@de', '"Köln"@fr'))
    with pytest.raises(ValidationFailed) as caught:
        build(tiny_project)
    [violation] = caught.value.report.violations
    assert violation.focus.endswith("/id/city/koeln")
    assert violation.files == ("data/cities.ttl",)
    assert violation.message("de") == "Eine Stadt braucht ein deutsches Label."
    assert caught.value.exit_code == 1
    assert release_files(tiny_project) == before


def test_interrupted_build_leaves_the_previous_build(tiny_project: Project, monkeypatch) -> None:
    build(tiny_project)
    before = release_files(tiny_project)

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(build_module, "_write_dump", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(tiny_project)
    assert release_files(tiny_project) == before
    assert not list(tiny_project.build_dir.glob(".staging-*"))


def test_only_the_newest_releases_are_kept(tiny_project: Project) -> None:
    for _ in range(build_module.KEEP_RELEASES + 2):
        build(tiny_project)
    assert len(list((tiny_project.build_dir / "releases").iterdir())) == build_module.KEEP_RELEASES


def test_missing_build_is_named(tmp_path: Path) -> None:
    with pytest.raises(BuildNotFound, match="run `eurocities-kg build` first"):
        current_release(tmp_path)


def test_build_without_store_is_corrupt(tiny_project: Project) -> None:
    build(tiny_project)
    import shutil

    shutil.rmtree(current_release(tiny_project.build_dir) / "store")
    with pytest.raises(BuildCorrupt, match="lacks store"):
        current_release(tiny_project.build_dir)
