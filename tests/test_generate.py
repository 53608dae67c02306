"""The synthetic data generator: a project that builds in place of the real one, shaped like it."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from eurocities_kg.build import build, validate_project
from eurocities_kg.cli import main
from eurocities_kg.generate import generate
from eurocities_kg.loading import data_files
from eurocities_kg.project import find_project

REPO = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("generated") / "project"
    summary = generate(40, root, REPO, seed=7)
    return find_project(root), summary


def test_it_writes_a_project_with_the_real_ontology_and_queries(generated) -> None:
    project, summary = generated
    assert summary.cities == 40
    assert (project.ontology_file.read_bytes()) == (REPO / "ontology/eurocities.ttl").read_bytes()
    assert sorted(p.name for p in project.queries_dir.iterdir()) == sorted(
        p.name for p in (REPO / "queries").iterdir()
    )
    files = data_files(project.data_dir)
    assert len(files) == summary.files
    assert project.data_dir / "links" / "wikidata.ttl" in files


def test_it_conforms_to_the_shapes_and_builds(generated) -> None:
    project, _ = generated
    report = validate_project(project)
    assert report.violations == ()
    manifest = build(project)
    assert manifest["validation"]["violations"] == 0
    assert manifest["triples"] > 5000
    assert len(manifest["graphs"]) == len(data_files(project.data_dir)) + 1  # + the ontology


def test_it_is_shaped_like_the_real_data(generated) -> None:
    project, _ = generated
    store = ox.Store()
    for path in data_files(project.data_dir):
        store.extend(ox.parse(path=path, format=ox.RdfFormat.TURTLE))

    def count(where: str) -> int:
        prologue = (
            "PREFIX org: <http://www.w3.org/ns/org#> PREFIX schema: <https://schema.org/> "
            "PREFIX time: <http://www.w3.org/2006/time#> PREFIX ec: <https://w3id.org/eurocities-kg/def#> "
            "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX owl: <http://www.w3.org/2002/07/owl#> "
            "PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX dcterms: <http://purl.org/dc/terms/> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        )
        [row] = store.query(prologue + f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
        return int(row["n"].value)

    network = "<https://w3id.org/eurocities-kg/id/network/eurocities>"
    assert (
        count(
            f"?m a org:Membership ; org:member ?c ; org:organization {network} . ?c a schema:City"
        )
        == 40
    )
    for precision in ("inXSDDate", "inXSDgYearMonth", "inXSDgYear"):
        assert count(f"?m org:memberDuring/time:hasBeginning/time:{precision} ?d") > 0
    assert count("?m org:memberDuring/time:hasEnd ?e") > 0  # some ended (stated by a second source)
    assert count("?o org:role ec:mayor ; org:member ?p . ?p a foaf:Person") >= 40
    assert count("?o org:role ec:president") > 0
    assert count("?w a ec:WorkingGroup ; dcterms:temporal ?p") > 0
    assert count("?f a ec:ReportedFigure ; prov:wasDerivedFrom ?s ; schema:value ?v") > 0
    assert (
        count("?c owl:sameAs ?q FILTER(STRSTARTS(STR(?q), 'http://www.wikidata.org/entity/Q'))") > 0
    )
    assert count("?s ?p ?o FILTER(isBlank(?s) || isBlank(?o))") == 0  # no blank nodes
    # every statement node is derived from a source, and every file describes its graph
    assert count("?m a org:Membership FILTER NOT EXISTS { ?m prov:wasDerivedFrom ?s }") == 0
    for path in data_files(project.data_dir):
        text = path.read_text(encoding="utf-8")
        assert re.search(r"^graph:\S+ a prov:Entity ;", text, re.MULTILINE), path


def test_it_is_deterministic(tmp_path: Path) -> None:
    generate(12, tmp_path / "a", REPO, seed=1)
    generate(12, tmp_path / "b", REPO, seed=1)
    generate(12, tmp_path / "c", REPO, seed=2)
    a = {p.name: p.read_bytes() for p in data_files(tmp_path / "a" / "data")}
    b = {p.name: p.read_bytes() for p in data_files(tmp_path / "b" / "data")}
    c = {p.name: p.read_bytes() for p in data_files(tmp_path / "c" / "data")}
    assert a == b
    assert a != c


def test_the_command_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["--project", str(REPO), "generate", "--cities", "5", "--output", str(tmp_path / "g")]
    )
    assert result.exit_code == 0, result.output
    assert "for 5 cities" in result.output
    assert (tmp_path / "g" / "data" / "networks.ttl").is_file()
