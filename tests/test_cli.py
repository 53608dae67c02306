from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from eurocities_kg.cli import main
from eurocities_kg.project import Project

LABELS_QUERY = (
    "SELECT ?city ?label WHERE { ?city <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
)


def run(project: Project, *args: str, stdin: str | None = None):
    return CliRunner().invoke(main, ["--project", str(project.root), *args], input=stdin)


def test_build_prints_what_it_built(tiny_project: Project) -> None:
    result = run(tiny_project, "build")
    assert result.exit_code == 0, result.output
    assert "13 triples" in result.output
    assert "0 violations, 1 warnings" in result.output


def test_validate_exits_0_and_reports_warnings(tiny_project: Project) -> None:
    result = run(tiny_project, "validate")
    assert result.exit_code == 0
    assert "Warning: A city lacks an English label." in result.output
    assert "data/cities.ttl" in result.output
    assert result.output.rstrip().endswith("conforms: 0 violation(s), 1 warning(s)")


def test_validate_exits_1_on_violations_with_a_json_report(tiny_project: Project) -> None:
    path = tiny_project.data_dir / "cities.ttl"
    path.write_text(path.read_text().replace('"Köln"@de', '"Köln"'))
    result = run(tiny_project, "validate", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert report["conforms"] is False
    [violation] = [r for r in report["results"] if r["severity"] == "Violation"]
    assert violation["focusNode"].endswith("/id/city/koeln")
    assert violation["path"] == "http://www.w3.org/2000/01/rdf-schema#label"
    assert violation["message"] == {
        "de": "Eine Stadt braucht ein deutsches Label.",
        "en": "A city needs a German label.",
    }
    assert violation["files"] == ["data/cities.ttl"]


def test_validate_turtle_report_is_a_shacl_report(tiny_project: Project) -> None:
    result = run(tiny_project, "validate", "--format", "turtle")
    assert result.exit_code == 0
    assert "sh:ValidationReport" in result.output


def test_validate_exits_2_with_one_line_on_a_syntax_error(tiny_project: Project) -> None:
    (tiny_project.data_dir / "cities.ttl").write_text("<https://x/a> <https://x/b>\n")
    result = run(tiny_project, "validate")
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line.startswith("error: ")
    assert "cities.ttl:" in line


def test_build_refused_on_violations_prints_the_report_and_exits_1(tiny_project: Project) -> None:
    path = tiny_project.data_dir / "cities.ttl"
    path.write_text(path.read_text().replace('"Köln"@de', '"Köln"@it'))
    result = run(tiny_project, "build")
    assert result.exit_code == 1
    assert "Violation: A city needs a German label." in result.output
    assert result.output.strip().splitlines()[-1].startswith("error: the data does not conform")


def test_query_builds_first_and_prints_a_table(tiny_project: Project) -> None:
    result = run(tiny_project, "query", str(tiny_project.queries_dir / "cities.rq"))
    assert result.exit_code == 0, result.output
    assert result.stderr == "no build yet: building first\n"
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["city", "|", "label"]
    assert "<https://w3id.org/eurocities-kg/id/city/bochum> | Bochum@de" in result.stdout
    assert lines[-1] == "(2 rows)"


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [("json", '"head"'), ("xml", "<sparql"), ("csv", "city,label"), ("tsv", "?city\t?label")],
)
def test_query_prints_any_results_format(tiny_project: Project, fmt: str, expected: str) -> None:
    run(tiny_project, "build")
    result = run(
        tiny_project,
        "query",
        "--format",
        fmt,
        "-",
        stdin=LABELS_QUERY,
    )
    assert result.exit_code == 0, result.output
    assert expected in result.output


def test_query_construct_prints_turtle(tiny_project: Project) -> None:
    run(tiny_project, "build")
    result = run(tiny_project, "query", "-", stdin="CONSTRUCT WHERE { ?s a ?type }")
    assert result.exit_code == 0
    assert "<https://schema.org/City>" in result.output


def test_query_syntax_error_is_one_line_with_position(tiny_project: Project) -> None:
    run(tiny_project, "build")
    result = run(tiny_project, "query", "-", stdin="SELECT * WHERE { ?s ?p }")
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert (
        line
        == "error: SPARQL syntax error at line 1, column 25: expected one of LATERAL, SERVICE, [_]"
    )


def test_queries_lists_titles_in_the_asked_language(tiny_project: Project) -> None:
    result = run(tiny_project, "queries", "--lang", "de")
    assert result.exit_code == 0
    assert result.output.strip().endswith("cities.rq\tStädte")


def test_status_shows_the_current_build(tiny_project: Project) -> None:
    run(tiny_project, "build")
    result = run(tiny_project, "status")
    assert result.exit_code == 0
    assert "13 triples" in result.output
    assert "data/cities.ttl" in result.output


def test_not_a_project_is_one_line_and_exit_2(tmp_path) -> None:
    result = CliRunner().invoke(main, ["--project", str(tmp_path), "validate"])
    assert result.exit_code == 2
    assert (
        result.output.strip()
        == f"error: {tmp_path} is not a project: it needs ontology/ and data/ directories"
    )


def test_serve_rebuilds_when_the_sources_changed(tiny_project: Project) -> None:
    run(tiny_project, "build")
    first = run(tiny_project, "serve", "--get", "/health")
    assert first.stderr == ""
    path = tiny_project.data_dir / "cities.ttl"
    path.write_text(
        path.read_text()
        + "<https://w3id.org/eurocities-kg/id/city/bochum> a <https://schema.org/Place> .\n"
    )
    second = run(tiny_project, "serve", "--get", "/health")
    assert "the sources changed since the last build: building" in second.stderr
    assert json.loads(second.stdout)["triples"] == json.loads(first.stdout)["triples"] + 1


def test_serve_keeps_the_last_good_build_when_the_rebuild_fails(tiny_project: Project) -> None:
    run(tiny_project, "build")
    before = json.loads(run(tiny_project, "serve", "--get", "/health").stdout)
    (tiny_project.data_dir / "cities.ttl").write_text("<broken\n")
    result = run(tiny_project, "serve", "--get", "/health")
    assert "warning: the rebuild failed, serving the last good build: " in result.stderr
    assert json.loads(result.stdout)["buildId"] == before["buildId"]


def test_query_refuses_service_outside_the_allow_list(tiny_project: Project) -> None:
    run(tiny_project, "build")
    result = run(
        tiny_project,
        "query",
        "-",
        stdin="SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    )
    assert result.exit_code == 2
    assert "SERVICE <http://127.0.0.1:9/sparql> is not allowed" in result.output
