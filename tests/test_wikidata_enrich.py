"""`eurocities-kg enrich wikidata` against the Wikidata stand-in: the facts of facts.md's last section
(coordinates, dated populations) and the other kinds of facts land in their own graph, modelled with
reused vocabularies, with provenance (source Wikidata, retrieval date, endpoint, queries), and the
project keeps conforming to the shapes."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, TIME, XSD

from eurocities_kg.build import validate_project
from eurocities_kg.cli import main
from eurocities_kg.iris import slugify
from eurocities_kg.loading import all_quads, load_project
from eurocities_kg.namespaces import EC, GRAPH_BASE, ID_BASE, SCHEMA, WD
from eurocities_kg.project import find_project
from eurocities_kg.store import EmbeddedStore
from eurocities_kg.wikidata.facts import parse_point
from tests.conftest import REPO
from tests.wikidata_standin import Answer, copy_project, scripted_endpoint

FACTS = REPO.parent / "shared" / "reference" / "facts.md"
CITY, PERSON, OFFICE = ID_BASE + "city/", ID_BASE + "person/", ID_BASE + "office/"
GEO = rdflib.Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
GRAPH = URIRef(GRAPH_BASE + "links-wikidata-enrichment")
SOURCE = URIRef(ID_BASE + "source/wikidata-enrichment")
WDT = rdflib.Namespace("http://www.wikidata.org/prop/direct/")


def facts_section() -> str:
    text = FACTS.read_text(encoding="utf-8")
    section = text[text.index("## City facts for enrichment") :]
    return " ".join(section.split())


def expected_coordinates() -> dict[str, tuple[Decimal, Decimal]]:
    """facts.md: 'Coordinates (WGS84, latitude, longitude): Bochum 51.483333, 7.216667 · …'."""
    paragraph = facts_section().split("longitude): ", 1)[1].split(". Population", 1)[0]
    found = {}
    for entry in paragraph.split(" · "):
        name, lat, lon = re.fullmatch(r"(.+) (-?[\d.]+), (-?[\d.]+)", entry).groups()
        found[CITY + slugify(name)] = (Decimal(lat), Decimal(lon))
    return found


def expected_populations() -> dict[str, tuple[int, Literal]]:
    """facts.md: 'Population on 31 Dec 2023 (…): Bochum 366,385 · … Hagen 189,783 (31 Dec 2022).
    Florence 360,930 (2023).'"""
    paragraph = facts_section().split("figures): ", 1)[1].split(" These belong", 1)[0]
    found = {}
    for name, number, when in re.findall(
        r"([A-ZÄÖÜ][\w ]*?) (\d{1,3}(?:,\d{3})+)(?: \(([^)]*)\))?", paragraph
    ):
        if not when:
            date = Literal("2023-12-31", datatype=XSD.date)
        elif re.fullmatch(r"\d{4}", when):
            date = Literal(when, datatype=XSD.gYear)
        else:
            day = datetime.strptime(when, "%d %b %Y").date().isoformat()
            date = Literal(day, datatype=XSD.date)
        found[CITY + slugify(name)] = (int(number.replace(",", "")), date)
    return found


@pytest.fixture(scope="module")
def enriched(tmp_path_factory: pytest.TempPathFactory, wikidata_standin: str):
    """A copy of the project linked and then enriched against the stand-in."""
    root = copy_project(tmp_path_factory.mktemp("enriched"))
    base = ["--project", str(root)]
    linked = CliRunner().invoke(main, [*base, "link", "wikidata", "--endpoint", wikidata_standin])
    assert linked.exit_code == 0, linked.output
    result = CliRunner().invoke(main, [*base, "enrich", "wikidata", "--endpoint", wikidata_standin])
    document = rdflib.Graph().parse(root / "data" / "links" / "wikidata-enrichment.ttl")
    return root, result, document


def test_the_command_summarises_what_it_fetched(enriched) -> None:
    root, result, _ = enriched
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "20 linked things: coordinates 13, population 13, website 2, identifiers 1, "
        "head of government 3, labels 20; 6 queries to http://127.0.0.1:"
    )
    assert f"wrote {root / 'data' / 'links' / 'wikidata-enrichment.ttl'}" in result.stdout


def test_coordinates_are_the_ones_of_facts_md(enriched) -> None:
    _, _, document = enriched
    expected = expected_coordinates()
    assert len(expected) == 13
    found = {
        str(city): (document.value(city, GEO.lat).toPython(), longitude.toPython())
        for city, longitude in document.subject_objects(GEO.long)
    }
    assert found == expected
    assert document.value(URIRef(CITY + "bochum"), GEO.lat).datatype == XSD.decimal


def test_populations_are_the_dated_figures_of_facts_md(enriched) -> None:
    _, _, document = enriched
    found = {}
    for figure in document.subjects(RDF.type, EC.ReportedFigure):
        assert document.value(figure, EC.measure) == EC.population
        assert document.value(figure, EC.comparator) == EC.exactly
        assert document.value(figure, PROV.wasDerivedFrom) == SOURCE
        value = document.value(figure, SCHEMA.value)
        found[str(document.value(figure, EC.about))] = (
            value.toPython(),
            document.value(figure, DCTERMS.date),
        )
    expected = expected_populations()
    assert len(expected) == 13
    assert found == expected
    # Florence's figure is dated to the year (precision 9), Hagen's is of 2022
    assert found[CITY + "florence"][1] == Literal("2023", datatype=XSD.gYear)
    assert found[CITY + "hagen"][1] == Literal("2022-12-31", datatype=XSD.date)


def test_the_best_ranked_latest_population_is_taken(enriched) -> None:
    _, _, document = enriched
    figure = URIRef(ID_BASE + "figure/wikidata-enrichment-population-city-bochum")
    assert document.value(figure, SCHEMA.value) == Literal(366385, datatype=XSD.integer)


def test_website_identifiers_and_labels(enriched) -> None:
    _, _, document = enriched
    bochum = URIRef(CITY + "bochum")
    assert document.value(bochum, FOAF.homepage) == URIRef("https://www.bochum.de/")
    assert document.value(bochum, WDT.P1566) == Literal("2947416")
    assert document.value(bochum, WDT.P439) == Literal("05911000")
    network = URIRef(ID_BASE + "network/eurocities")
    assert document.value(network, FOAF.homepage) == URIRef("https://eurocities.eu/")
    assert set(document.objects(WD.Q365, RDFS.label)) == {
        Literal("Köln", lang="de"),
        Literal("Cologne", lang="en"),
    }


def test_a_new_head_of_government_is_a_mayoralty_with_its_start(enriched) -> None:
    _, _, document = enriched
    office = URIRef(OFFICE + "thomas-eiskirch-mayor-of-bochum")
    person = URIRef(PERSON + "thomas-eiskirch")
    assert (office, RDF.type, ORG.Membership) in document
    assert (office, ORG.member, person) in document
    assert (office, ORG.organization, URIRef(CITY + "bochum")) in document
    assert (office, ORG.role, EC.mayor) in document
    assert (office, PROV.wasDerivedFrom, SOURCE) in document
    start = URIRef(str(office) + "#start")
    assert (URIRef(str(office) + "#period"), TIME.hasBeginning, start) in document
    assert document.value(start, TIME.inXSDDate) == Literal("2015-10-21", datatype=XSD.date)
    assert document.value(person, FOAF.name) == Literal("Thomas Eiskirch")
    assert {(p.toPython()) for p in document.objects(person, RDF.type)} == {
        str(FOAF.Person),
        str(SCHEMA.Person),
    }
    funaro = URIRef(OFFICE + "sara-funaro-mayor-of-florence#start")
    assert document.value(funaro, TIME.inXSDgYearMonth) == Literal(
        "2024-06", datatype=XSD.gYearMonth
    )


def test_a_known_mayor_is_the_same_node_and_not_described_again(enriched) -> None:
    _, _, document = enriched
    jung = URIRef(PERSON + "burkhard-jung")  # linked by reconciliation
    office = URIRef(OFFICE + "burkhard-jung-mayor-of-leipzig")  # stated by two sources already
    assert (office, PROV.wasDerivedFrom, SOURCE) in document
    assert document.value(URIRef(str(office) + "#start"), TIME.inXSDgYear) == Literal(
        "2006", datatype=XSD.gYear
    )
    assert (jung, FOAF.name, None) not in document
    assert (jung, RDFS.label, None) not in document


def test_the_graph_carries_its_provenance(enriched, wikidata_standin: str) -> None:
    _, _, document = enriched
    today = datetime.now(UTC).date().isoformat()
    assert document.value(GRAPH, PROV.wasDerivedFrom) == SOURCE
    assert str(document.value(GRAPH, DCTERMS.modified)) == today
    assert str(document.value(SOURCE, EC.dateRead)) == today
    assert document.value(SOURCE, FOAF.page) == URIRef("https://www.wikidata.org/")
    assert document.value(SOURCE, DCTERMS.publisher) == URIRef(ID_BASE + "organization/wikidata")
    activity = document.value(GRAPH, PROV.wasGeneratedBy)
    used = set(document.objects(activity, PROV.used))
    assert URIRef(wikidata_standin) in used
    queries = [str(q) for u in used if (q := document.value(u, PROV.value))]
    assert len(queries) == 6
    assert all("VALUES ?item {" in q for q in queries)


def test_a_page_finds_value_source_and_retrieval_date(enriched) -> None:
    """What a page needs for "from Wikidata (date)": the value, its source, the date read."""
    root, _, _ = enriched
    store = EmbeddedStore.in_memory(all_quads(load_project(find_project(root)).data))
    [row] = store.query(
        "PREFIX ec: <https://w3id.org/eurocities-kg/def#> "
        "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX dcterms: <http://purl.org/dc/terms/> "
        "PREFIX schema: <https://schema.org/> "
        "SELECT ?value ?date ?title ?read WHERE { "
        f"?figure ec:about <{CITY}bochum> ; ec:measure ec:population ; schema:value ?value ; "
        "dcterms:date ?date ; prov:wasDerivedFrom ?source . "
        "?source dcterms:title ?title ; ec:dateRead ?read . }"
    )
    assert (row["value"].value, row["date"].value, row["title"].value) == (
        "366385",
        "2023-12-31",
        "Wikidata",
    )
    assert row["read"].value == datetime.now(UTC).date().isoformat()


def test_the_enriched_project_conforms_to_the_shapes(enriched) -> None:
    root, _, _ = enriched
    report = validate_project(find_project(root))
    assert report.conforms, report.to_text()


def test_things_without_a_link_are_not_enriched(enriched) -> None:
    _, _, document = enriched
    assert (URIRef(CITY + "barcelona"), None, None) not in document
    assert (URIRef(CITY + "birmingham"), None, None) not in document


def test_the_committed_links_are_enriched_too(tmp_path: Path, wikidata_standin: str) -> None:
    """Without a new reconciliation: Hagen is not linked, so it gets nothing."""
    root = copy_project(tmp_path)
    result = CliRunner().invoke(
        main, ["--project", str(root), "enrich", "wikidata", "--endpoint", wikidata_standin]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("16 linked things: coordinates 12, population 12")
    document = rdflib.Graph().parse(root / "data" / "links" / "wikidata-enrichment.ttl")
    assert (URIRef(CITY + "hagen"), None, None) not in document


def test_a_failed_run_writes_nothing(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    target = root / "data" / "links" / "wikidata-enrichment.ttl"
    before = target.read_bytes()
    with scripted_endpoint(Answer(400, b"bad")) as endpoint:
        result = CliRunner().invoke(
            main, ["--project", str(root), "enrich", "wikidata", "--endpoint", endpoint.url]
        )
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert target.read_bytes() == before


def test_points_are_read_longitude_first_on_the_earth_only() -> None:
    assert parse_point("Point(7.216667 51.483333)") == (Decimal("51.483333"), Decimal("7.216667"))
    earth = "<http://www.wikidata.org/entity/Q2> Point(10 53.55)"
    assert parse_point(earth) == (Decimal("53.55"), Decimal("10"))
    assert parse_point("<http://www.wikidata.org/entity/Q405> Point(10 20)") is None  # the Moon
    assert parse_point("Point(200 20)") is None
