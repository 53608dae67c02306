"""Giving back: `eurocities-kg export quickstatements` (valid QuickStatements v1, the Eurocities QID
from reconciliation only) and `eurocities-kg diff wikidata` (table and JSON), against the stand-in."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from eurocities_kg.cli import main
from eurocities_kg.wikidata.terms import WikidataTime
from tests.wikidata_standin import Answer, copy_project, scripted_endpoint

BOCHUM_PAGE = '"https://www.bochum.de/Internationales/Eurocities"'
READ = "+2026-11-24T00:00:00Z/11"  # ec:dateRead of the founding page
EUROCITIES = "Q900000001"  # the stand-in's item, found by reconciliation


def cli(root: Path, *args: str):
    return CliRunner().invoke(main, ["--project", str(root), *args])


@pytest.fixture(scope="module")
def linked_root(tmp_path_factory: pytest.TempPathFactory, wikidata_standin: str) -> Path:
    root = copy_project(tmp_path_factory.mktemp("give-back"))
    result = cli(root, "link", "wikidata", "--endpoint", wikidata_standin)
    assert result.exit_code == 0, result.output
    return root


# ---------------------------------------------------------------------------------------------------
# QuickStatements v1


TIME = re.compile(r"^\+\d{4}-(\d{2})-(\d{2})T00:00:00Z/(9|10|11)$")


def check_quickstatements_v1(line: str) -> None:
    """One CREATE-less v1 command: item, property, value, then qualifier pairs (P…), then source
    pairs (S…); times with a precision whose unknown parts are 00; strings in double quotes."""
    fields = line.split("\t")
    assert re.fullmatch(r"Q[1-9]\d*", fields[0])
    assert re.fullmatch(r"P[1-9]\d*", fields[1])
    assert re.fullmatch(r"Q[1-9]\d*", fields[2])
    pairs = list(zip(fields[3::2], fields[4::2], strict=True))
    kinds = [name[0] for name, _ in pairs]
    assert kinds == sorted(kinds), "qualifiers (P) come before sources (S)"
    for name, value in pairs:
        assert re.fullmatch(r"[PS][1-9]\d*", name)
        if match := TIME.match(value):
            month, day, precision = match.groups()
            assert precision != "9" or (month, day) == ("00", "00")
            assert precision != "10" or day == "00"
        else:
            assert re.fullmatch(r'"[^"\t]+"', value), value


def test_without_a_reconciled_eurocities_item_it_exits_2_with_one_line(tmp_path: Path) -> None:
    root = copy_project(tmp_path)  # the committed links: Eurocities has no QID
    with scripted_endpoint() as endpoint:
        result = cli(root, "export", "quickstatements", "--endpoint", endpoint.url)
    assert result.exit_code == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("error: Eurocities has no reconciled Wikidata item")
    assert endpoint.received == []  # nothing asked, nothing guessed


def test_commands_for_linked_member_cities_whose_item_lacks_the_membership(
    linked_root: Path, wikidata_standin: str
) -> None:
    result = cli(linked_root, "export", "quickstatements", "--endpoint", wikidata_standin)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    since = "+2021-03-00T00:00:00Z/10"  # "seit März 2021": month precision
    assert lines[0] == "\t".join(
        ["Q2103", "P463", EUROCITIES, "P580", since, "S854", BOCHUM_PAGE, "S813", READ]
    )
    assert "\t".join(["Q365", "P463", EUROCITIES, "S854", BOCHUM_PAGE, "S813", READ]) in lines
    # Essen, Berlin, Frankfurt and Leipzig are members in the stand-in already; Florence's
    # membership is inferred and Hagen's of low confidence: nothing given back for them
    items = [line.split("\t")[0] for line in lines]
    assert items == ["Q2103", "Q365", "Q1295", "Q1718", "Q1055", "Q1726", "Q1022"]
    for line in lines:
        check_quickstatements_v1(line)
    assert "7 commands adding member of (P463) wd:Q900000001" in result.stderr
    assert "skipped city/florence: only inferred" in result.stderr


def test_commands_can_go_to_a_file(
    linked_root: Path, wikidata_standin: str, tmp_path: Path
) -> None:
    output = tmp_path / "eurocities.qs"
    result = cli(
        linked_root,
        "export",
        "quickstatements",
        "--endpoint",
        wikidata_standin,
        "--output",
        str(output),
    )
    assert result.exit_code == 0, result.output
    assert len(output.read_text(encoding="utf-8").splitlines()) == 7


@pytest.mark.parametrize(
    ("lexical", "datatype", "expected"),
    [
        ("1986", "gYear", "+1986-00-00T00:00:00Z/9"),
        ("2021-03", "gYearMonth", "+2021-03-00T00:00:00Z/10"),
        ("2020-11-05", "date", "+2020-11-05T00:00:00Z/11"),
    ],
)
def test_start_times_keep_the_precision_of_the_source(
    lexical: str, datatype: str, expected: str
) -> None:
    time = WikidataTime.from_xsd(lexical, "http://www.w3.org/2001/XMLSchema#" + datatype)
    assert time is not None
    assert time.quickstatements() == expected


# ---------------------------------------------------------------------------------------------------
# diff


def test_diff_as_a_table(linked_root: Path, wikidata_standin: str) -> None:
    result = cli(linked_root, "diff", "wikidata", "--endpoint", wikidata_standin)
    assert result.exit_code == 0, result.output
    rows = [[c.strip() for c in line.split("|")] for line in result.stdout.splitlines()[2:-1]]
    assert result.stdout.splitlines()[0].split("|")[0].strip() == "fact"
    assert ["membership start", "city/essen", "Q2066", "2013", "2012"] in rows
    assert ["mayor", "city/florence", "Q2044", "Dario Nardella", "Sara Funaro"] in rows
    assert [
        "membership",
        "city/brussels",
        "Q239",
        "not a member",
        "member (City of Brussels)",
    ] in rows
    assert ["membership", "—", "Q900000301", "not in our graph", "member (Utrecht)"] in rows
    assert ["membership", "city/bochum", "Q2103", "member", "not a member"] in rows
    assert ["membership", "city/florence", "Q2044", "member (inferred)", "not a member"] in rows
    # agreements are not listed: Frankfurt since 1986 on both sides, Jung mayor of Leipzig
    assert not [r for r in rows if r[1] in ("city/frankfurt-am-main", "city/leipzig")]
    assert result.stdout.splitlines()[-1] == f"({len(rows)} disagreements)"


def test_diff_as_json_with_the_population_year(
    linked_root: Path, wikidata_standin: str, tmp_path: Path
) -> None:
    root = copy_project(tmp_path)
    (root / "data" / "links" / "wikidata.ttl").write_bytes(
        (linked_root / "data" / "links" / "wikidata.ttl").read_bytes()
    )
    # our only population figure for Bochum is the older one below
    (root / "data" / "links" / "wikidata-enrichment.ttl").unlink()
    (root / "data" / "older-figure.ttl").write_text(
        "@prefix ec: <https://w3id.org/eurocities-kg/def#> .\n"
        "<https://w3id.org/eurocities-kg/id/figure/older-figure-population> a ec:ReportedFigure ;\n"
        "  ec:about <https://w3id.org/eurocities-kg/id/city/bochum> ; ec:measure ec:population ;\n"
        '  <http://purl.org/dc/terms/date> "2022"^^<http://www.w3.org/2001/XMLSchema#gYear> .\n',
        encoding="utf-8",
    )
    result = cli(root, "diff", "wikidata", "--endpoint", wikidata_standin, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert {
        "fact": "population year",
        "thing": "https://w3id.org/eurocities-kg/id/city/bochum",
        "item": "Q2103",
        "ours": "2022",
        "wikidata": "2023",
    } in report["disagreements"]
    assert report["notes"] == []


def test_diff_without_a_eurocities_item_compares_the_rest(
    tmp_path: Path, wikidata_standin: str
) -> None:
    root = copy_project(tmp_path)
    result = cli(root, "diff", "wikidata", "--endpoint", wikidata_standin, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [d["fact"] for d in report["disagreements"]] == ["mayor"]
    assert "membership not compared" in result.stderr


def test_a_failing_endpoint_is_exit_2(linked_root: Path) -> None:
    with scripted_endpoint(Answer(404, b"")) as endpoint:
        result = cli(linked_root, "diff", "wikidata", "--endpoint", endpoint.url)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
