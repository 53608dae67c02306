"""`eurocities-kg link wikidata` against the Wikidata stand-in (tests/data/wikidata/standin.ttl, an
oxigraph server on loopback): every confirmed ID of the reference is reproduced, the provisional one
is published only once confirmed, homonyms are told apart, ambiguous and unmatched things are
reported with their candidates and never linked; the file is valid, described and written
atomically."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.namespace import OWL, PROV

from eurocities_kg.build import validate_project
from eurocities_kg.cli import main
from eurocities_kg.namespaces import EC, GRAPH_BASE, ID_BASE
from eurocities_kg.project import find_project
from eurocities_kg.wikidata import links as links_module
from eurocities_kg.wikidata.ourgraph import OurGraph, Thing
from eurocities_kg.wikidata.reconcile import (
    AMBIGUOUS,
    KINDS,
    LINKED,
    UNMATCHED,
    Candidate,
    Match,
    Reconciliation,
    decide,
    reconcile,
)
from tests.conftest import REPO
from tests.wikidata_standin import Answer, copy_project, scripted_endpoint, standin_client

REFERENCE = REPO.parent / "shared" / "reference" / "wikidata-ids.tsv"
CITY, PERSON = ID_BASE + "city/", ID_BASE + "person/"
NETWORK = ID_BASE + "network/eurocities"
LINKS_GRAPH = rdflib.URIRef(GRAPH_BASE + "links-wikidata")
NEWLY_CONFIRMED = {
    CITY + "hagen": "Q2871",  # provisional in the reference
    NETWORK: "Q900000001",  # the stand-in's Eurocities item (made up)
    PERSON + "burkhard-jung": "Q900000201",  # confirmed as head of government of Leipzig
    PERSON + "dario-nardella": "Q900000202",  # … of Florence
}
ORGANISATION_KINDS = {"organization": ("organization", "network")}


@pytest.fixture(scope="module")
def graph() -> OurGraph:
    return OurGraph.of_project(find_project(REPO))


@pytest.fixture(scope="module")
def reconciliation(graph: OurGraph, wikidata_standin: str) -> Reconciliation:
    return reconcile(graph, standin_client(wikidata_standin))


def match(reconciliation: Reconciliation, iri: str) -> Match:
    [found] = [m for m in reconciliation.matches if m.thing.iri == iri]
    return found


def reference_rows(status: str) -> list[dict[str, str]]:
    with REFERENCE.open(encoding="utf-8", newline="") as tsv:
        return [r for r in csv.DictReader(tsv, delimiter="\t") if r["status"] == status]


def things_named(graph: OurGraph, kind: str, label_en: str) -> list[str]:
    prefixes = ORGANISATION_KINDS.get(kind, (kind,))
    return [
        t.iri
        for t, _ in graph.things("?thing ?p ?o .")
        if t.labels.get("en") == label_en and t.kind in prefixes
    ]


# ---------------------------------------------------------------------------------------------------
# The ground truth


def test_every_confirmed_id_of_the_reference_is_reproduced(
    graph: OurGraph, reconciliation: Reconciliation
) -> None:
    expected = {
        thing: row["qid"]
        for row in reference_rows("confirmed")
        for thing in things_named(graph, row["entity"], row["label_en"])
    }
    assert len(expected) >= 16  # 13 cities, 2 countries, the EU
    found = reconciliation.links()
    assert {t: found.get(t) for t in expected} == expected


def test_the_provisional_hagen_is_published_only_once_confirmed(
    graph: OurGraph, reconciliation: Reconciliation
) -> None:
    [hagen] = reference_rows("provisional")
    assert (hagen["label_en"], hagen["qid"]) == ("Hagen", "Q2871")
    assert CITY + "hagen" not in graph.links()  # the committed file: not confirmed yet
    confirmed = match(reconciliation, CITY + "hagen")
    assert (confirmed.status, confirmed.qid) == (LINKED, "Q2871")


def test_the_committed_links_are_reproduced_plus_what_is_newly_confirmed(
    graph: OurGraph, reconciliation: Reconciliation
) -> None:
    committed, found = graph.links(), reconciliation.links()
    assert committed.items() <= found.items()
    assert {t: q for t, q in found.items() if t not in committed} == NEWLY_CONFIRMED


# ---------------------------------------------------------------------------------------------------
# Label, type and context


def test_homonyms_are_told_apart_by_the_country(reconciliation: Reconciliation) -> None:
    essen = match(reconciliation, CITY + "essen")
    assert (essen.status, essen.qid) == (LINKED, "Q2066")
    [belgian] = [c for c in essen.candidates if c.qid == "Q900000401"]
    assert belgian.objection == "country (P17) is not Q183"


def test_a_label_in_the_other_language_tells_florence_from_its_namesake(
    reconciliation: Reconciliation,
) -> None:
    florence = match(reconciliation, CITY + "florence")  # no country is stated for Florence
    assert (florence.status, florence.qid) == (LINKED, "Q2044")
    [alabama] = [c for c in florence.candidates if c.qid == "Q900000402"]
    assert alabama.objection == "label@de 'Florence (Alabama)' is not 'Florenz'"


def test_an_alias_links_brussels_and_the_type_rules_out_the_region(
    reconciliation: Reconciliation,
) -> None:
    brussels = match(reconciliation, CITY + "brussels")  # Wikidata's label: "City of Brussels"
    assert (brussels.status, brussels.qid) == (LINKED, "Q239")
    [region] = [c for c in brussels.candidates if c.qid == "Q900000405"]
    assert region.objection == "not an instance of Q515 or Q1549591"


def test_ambiguous_things_are_reported_with_their_candidates_and_never_linked(
    reconciliation: Reconciliation,
) -> None:
    birmingham = match(reconciliation, CITY + "birmingham")  # no country stated: two fit
    assert (birmingham.status, birmingham.qid) == (AMBIGUOUS, None)
    assert {c.qid for c in birmingham.candidates} == {"Q900000403", "Q900000404"}
    assert all(c.description for c in birmingham.candidates)
    sobczak = match(reconciliation, PERSON + "andre-sobczak")
    assert (sobczak.status, len(sobczak.candidates)) == (AMBIGUOUS, 2)


def test_unmatched_things_are_reported_with_the_reason(reconciliation: Reconciliation) -> None:
    barcelona = match(reconciliation, CITY + "barcelona")
    assert (barcelona.status, barcelona.qid, barcelona.note) == (
        UNMATCHED,
        None,
        "no item has this label",
    )
    assert match(reconciliation, PERSON + "anna-konig-jerlmyr").status == UNMATCHED


def test_a_mayor_is_confirmed_by_the_head_of_government_of_the_city(
    reconciliation: Reconciliation,
) -> None:
    assert match(reconciliation, PERSON + "burkhard-jung").qid == "Q900000201"
    # Ghent has no item in the stand-in, so Mathias De Clercq's context cannot be checked
    de_clercq = match(reconciliation, PERSON + "mathias-de-clercq")
    assert (de_clercq.status, de_clercq.qid) == (UNMATCHED, None)
    assert de_clercq.note == "context not checkable: city/ghent has no Wikidata item"
    assert [c.qid for c in de_clercq.candidates] == ["Q900000207"]


def test_one_batched_query_per_kind(graph: OurGraph, wikidata_standin: str) -> None:
    client = standin_client(wikidata_standin)
    result = reconcile(graph, client)
    assert client.requests == 4
    assert [kind for kind, _ in result.queries] == ["country", "city", "organisation", "person"]
    assert all("VALUES (?thing ?name)" in query for _, query in result.queries)


def candidate(qid: str, de: str, en: str, *aliases_en: str) -> Candidate:
    found = Candidate(qid, {"de": de, "en": en}, typed=True)
    found.aliases["en"].update(aliases_en)
    return found


def test_a_label_match_wins_over_an_alias_match_and_two_alias_matches_are_ambiguous() -> None:
    city = next(k for k in KINDS if k.name == "city")
    thing = Thing(CITY + "brussels", {"de": "Brüssel", "en": "Brussels"})
    by_label = candidate("Q1", "Brüssel", "Brussels")
    by_alias = candidate("Q2", "Brüssel", "City of Brussels", "Brussels")
    assert decide(city, thing, [by_label, by_alias], frozenset()).qid == "Q1"
    other = candidate("Q3", "Brüssel", "Bruxelles", "Brussels")
    assert decide(city, thing, [by_alias, other], frozenset()).status == AMBIGUOUS
    assert decide(city, thing, [], frozenset()).status == UNMATCHED


# ---------------------------------------------------------------------------------------------------
# The command and its file


def run_link(root: Path, endpoint: str, *args: str):
    return CliRunner().invoke(
        main, ["--project", str(root), "link", "wikidata", "--endpoint", endpoint, *args]
    )


@pytest.fixture(scope="module")
def linked_project(tmp_path_factory: pytest.TempPathFactory, wikidata_standin: str):
    """A copy of the project after `link wikidata` against the stand-in, and the command's result."""
    root = copy_project(tmp_path_factory.mktemp("linked"))
    report = root / "report.json"
    result = run_link(root, wikidata_standin, "--report", str(report))
    return root, result, report


def test_the_command_reports_every_thing_and_exits_0(linked_project) -> None:
    _, result, _ = linked_project
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [c.strip() for c in lines[0].split("|")] == [
        "kind",
        "thing",
        "status",
        "qid",
        "candidates",
    ]
    row = next(line for line in lines if "city/birmingham" in line)
    assert [c.strip() for c in row.split("|")][:4] == ["city", "city/birmingham", "ambiguous", ""]
    assert "Q900000403" in row
    assert "Q900000404" in row
    assert "20 linked, 2 ambiguous, 17 unmatched; 4 queries" in result.stdout
    assert "new links: city/hagen Q2871, network/eurocities Q900000001" in result.stdout


def test_the_json_report_lists_every_thing_with_its_candidates(linked_project) -> None:
    _, _, report_file = linked_project
    report = json.loads(report_file.read_text(encoding="utf-8"))
    assert report["summary"] == {"linked": 20, "ambiguous": 2, "unmatched": 17}
    birmingham = next(m for m in report["matches"] if m["thing"] == CITY + "birmingham")
    assert birmingham["status"] == "ambiguous"
    assert {c["qid"] for c in birmingham["candidates"]} == {"Q900000403", "Q900000404"}
    assert report["changes"]["added"][CITY + "hagen"] == "Q2871"


def test_the_file_links_exactly_the_confirmed_matches(linked_project) -> None:
    root, _, _ = linked_project
    document = rdflib.Graph().parse(root / "data" / "links" / "wikidata.ttl")
    same_as = {(str(s), str(o).rsplit("/", 1)[-1]) for s, o in document.subject_objects(OWL.sameAs)}
    assert (CITY + "hagen", "Q2871") in same_as
    assert not {s for s, _ in same_as if s.endswith(("birmingham", "andre-sobczak", "barcelona"))}
    assert len(same_as) == 20


def test_the_file_describes_its_graph_source_date_endpoint_and_queries(
    linked_project, wikidata_standin: str
) -> None:
    root, _, _ = linked_project
    document = rdflib.Graph().parse(root / "data" / "links" / "wikidata.ttl")
    source = document.value(LINKS_GRAPH, PROV.wasDerivedFrom)
    assert str(source) == ID_BASE + "source/wikidata"
    today = datetime.now(UTC).date().isoformat()
    assert str(document.value(source, EC.dateRead)) == today
    assert (
        str(document.value(LINKS_GRAPH, rdflib.URIRef("http://purl.org/dc/terms/modified")))
        == today
    )
    activity = document.value(LINKS_GRAPH, PROV.wasGeneratedBy)
    used = set(document.objects(activity, PROV.used))
    assert rdflib.URIRef(wikidata_standin) in used
    queries = [str(document.value(u, PROV.value)) for u in used if document.value(u, PROV.value)]
    assert len(queries) == 4
    assert all("SELECT DISTINCT ?thing ?item" in q for q in queries)
    assert document.value(activity, PROV.startedAtTime) is not None


def test_the_new_links_keep_the_project_conforming(linked_project) -> None:
    root, _, _ = linked_project
    report = validate_project(find_project(root))
    assert report.conforms, report.to_text()


def test_a_failed_run_leaves_the_links_file_as_it_was(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    links_dir = root / "data" / "links"
    before = (links_dir / "wikidata.ttl").read_bytes()
    files_before = sorted(p.name for p in links_dir.iterdir())
    with scripted_endpoint(Answer(500, b"server error")) as endpoint:
        result = CliRunner().invoke(
            main,
            ["--project", str(root), "link", "wikidata", "--endpoint", endpoint.url],
            env={"EUROCITIES_KG_WIKIDATA_RETRIES": "1", "EUROCITIES_KG_WIKIDATA_BACKOFF": "0.1"},
        )
    assert result.exit_code == 2
    assert result.stderr == f"error: {endpoint.url} answered 500 2 times; try again later\n"
    assert (links_dir / "wikidata.ttl").read_bytes() == before
    assert sorted(p.name for p in links_dir.iterdir()) == files_before  # no file left aside


def test_a_result_that_would_not_conform_is_not_written(
    tmp_path: Path, wikidata_standin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(tmp_path)
    target = root / "data" / "links" / "wikidata.ttl"
    before = target.read_bytes()
    real = links_module.links_document

    def broken(*args, **kwargs):  # an untagged label on a city breaks a shape
        document = real(*args, **kwargs)
        document.add((rdflib.URIRef(CITY + "bochum"), rdflib.RDFS.label, rdflib.Literal("Bochum")))
        return document

    monkeypatch.setattr(links_module, "links_document", broken)
    result = run_link(root, wikidata_standin)
    assert result.exit_code == 1
    assert "would not conform to the shapes; nothing was written" in result.stderr
    assert target.read_bytes() == before


def test_the_same_run_gives_the_same_file(tmp_path: Path, wikidata_standin: str) -> None:
    root = find_project(copy_project(tmp_path))
    moment = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    texts = []
    for name in ("one.ttl", "two.ttl"):
        output = tmp_path / name
        links_module.link_wikidata(
            root, standin_client(wikidata_standin), output, clock=lambda: moment
        )
        texts.append(output.read_text(encoding="utf-8").replace(name, ""))
    assert texts[0] == texts[1]


def test_output_elsewhere_leaves_the_project_file_alone(
    tmp_path: Path, wikidata_standin: str
) -> None:
    root = copy_project(tmp_path / "project")
    before = (root / "data" / "links" / "wikidata.ttl").read_bytes()
    output = tmp_path / "links.ttl"
    result = run_link(root, wikidata_standin, "--output", str(output))
    assert result.exit_code == 0, result.output
    assert (root / "data" / "links" / "wikidata.ttl").read_bytes() == before
    document = rdflib.Graph().parse(output)
    assert (LINKS_GRAPH, PROV.wasDerivedFrom, None) in document
