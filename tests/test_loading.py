from __future__ import annotations

from pathlib import Path

import pytest

from eurocities_kg.errors import SourceFileError
from eurocities_kg.loading import (
    data_files,
    graph_name_for,
    load_project,
    parse_file,
    to_rdflib_graph,
)
from eurocities_kg.namespaces import GRAPH_BASE, ONTOLOGY_GRAPH
from eurocities_kg.project import Project


def test_each_data_file_is_one_named_graph(tiny_project: Project) -> None:
    loaded = load_project(tiny_project)
    assert [g.graph for g in loaded.data] == [GRAPH_BASE + "cities", GRAPH_BASE + "links-extra"]
    assert loaded.ontology.graph == ONTOLOGY_GRAPH
    assert all(q.graph_name.value == GRAPH_BASE + "cities" for q in loaded.data[0].quads)
    assert len(loaded.data[0].quads) == 5


def test_graph_names_follow_the_path_below_data(tmp_path: Path) -> None:
    assert (
        graph_name_for(tmp_path / "links" / "wikidata.ttl", tmp_path)
        == GRAPH_BASE + "links-wikidata"
    )


def test_only_rdf_files_are_data(tiny_project: Project) -> None:
    (tiny_project.data_dir / "README.md").write_text("# not data\n")
    assert [p.name for p in data_files(tiny_project.data_dir)] == ["cities.ttl", "extra.ttl"]


def test_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\nex:a ex:b "unterminated .\n')
    with pytest.raises(SourceFileError) as caught:
        parse_file(bad, GRAPH_BASE + "bad")
    assert caught.value.line == 3
    assert caught.value.message.startswith(f"{bad}:3:")
    assert "syntax error" in caught.value.message


def test_relative_iri_is_an_error_not_a_file_iri(tmp_path: Path) -> None:
    bad = tmp_path / "relative.ttl"
    bad.write_text("<city/bochum> <http://ex/p> 1 .\n")
    with pytest.raises(SourceFileError, match=r"relative\.ttl:1"):
        parse_file(bad, GRAPH_BASE + "relative")


def test_invalid_utf8_is_reported_with_its_file(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.ttl"
    bad.write_bytes('<http://ex/a> <http://ex/b> "Köln" .\n'.encode("latin-1"))
    with pytest.raises(SourceFileError, match=r"latin1\.ttl"):
        parse_file(bad, GRAPH_BASE + "latin1")


def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(SourceFileError, match="cannot be read"):
        parse_file(tmp_path / "gone.ttl", GRAPH_BASE + "gone")


def test_missing_shapes_file_is_reported(tiny_project: Project) -> None:
    tiny_project.shapes_file.unlink()
    with pytest.raises(SourceFileError, match=r"shapes\.ttl: missing"):
        load_project(tiny_project)


def test_empty_data_directory_is_reported(tiny_project: Project) -> None:
    for path in data_files(tiny_project.data_dir):
        path.unlink()
    with pytest.raises(SourceFileError, match="holds no RDF data files"):
        load_project(tiny_project)


def test_conversion_to_rdflib_keeps_languages_and_datatypes(tiny_project: Project) -> None:
    graph = to_rdflib_graph(load_project(tiny_project).data[0].quads)
    labels = {(str(o), o.language) for o in graph.objects(None, None) if hasattr(o, "language")}
    assert ("Köln", "de") in labels
    assert len(graph) == 5
