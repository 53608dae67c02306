"""The example queries of `queries/` (issue 2, item 7), run on the built store of the real project.

Each query has a test of its own that checks the answer a researcher expects from it. The checks assert
facts of the sources, and compare counts with an independent count in the same store, never with a
total that an unrelated addition to `data/` would change. A second SPARQL engine (rdflib) runs every
query too, so that they stay portable: standard SPARQL 1.1, no pyoxigraph extensions."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from eurocities_kg.loading import data_files, graph_name_for
from eurocities_kg.project import Project
from eurocities_kg.queries import ExampleQuery, example_queries
from eurocities_kg.release import current_release
from eurocities_kg.results import render
from eurocities_kg.store import EmbeddedStore
from tests.wikidata_standin import WIKIDATA_ENDPOINT

QUERIES_DIR = Path(__file__).parent.parent / "queries"
QUERIES = {query.name: query for query in example_queries(QUERIES_DIR)}

BASE = "https://w3id.org/eurocities-kg/"
CITY = BASE + "id/city/"
SOURCE = BASE + "id/source/"
GRAPH = BASE + "graph/"
NETWORK = BASE + "id/network/eurocities"
XSD = "http://www.w3.org/2001/XMLSchema#"
EC = BASE + "def#"
ORG = "http://www.w3.org/ns/org#"
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
WD = "http://www.wikidata.org/entity/"
BOCHUM_PAGE = "https://www.bochum.de/Internationales/Eurocities"

PREFIXES = f"""
PREFIX org: <{ORG}>
PREFIX schema: <https://schema.org/>
PREFIX ec: <{EC}>
"""
MEMBER_CITIES = f"""{PREFIXES}
SELECT DISTINCT ?city ?label WHERE {{
  ?membership org:member ?city ; org:organization <{NETWORK}> .
  ?city a schema:City .
  OPTIONAL {{ ?city <http://www.w3.org/2000/01/rdf-schema#label> ?label FILTER(LANG(?label) = "en") }}
}}"""
GERMAN_MEMBER_CITIES = f"""{PREFIXES}
SELECT DISTINCT ?city ?label WHERE {{
  ?membership org:member ?city ; org:organization <{NETWORK}> .
  ?city a schema:City ; schema:containedInPlace <{BASE}id/country/de> .
  OPTIONAL {{ ?city <http://www.w3.org/2000/01/rdf-schema#label> ?label FILTER(LANG(?label) = "en") }}
}}"""

Row = dict[str, str | None]


@pytest.fixture(scope="module")
def store(real_build: Project) -> EmbeddedStore:
    return EmbeddedStore.from_build(real_build.build_dir)


@pytest.fixture(scope="module")
def rdflib_dataset(real_build: Project) -> rdflib.Dataset:
    """The named graphs from the TriG dump, the default graph their union."""
    dataset = rdflib.Dataset(default_union=True)
    dump = current_release(real_build.build_dir) / "dumps" / "eurocities-kg.trig"
    dataset.parse(dump, format="trig")
    return dataset


def select(store: EmbeddedStore, sparql: str) -> list[Row]:
    """A SELECT answer as rows of plain values (IRIs and lexical forms), None where unbound."""
    result = store.query(sparql)
    assert isinstance(result, ox.QuerySolutions)
    names = [variable.value for variable in result.variables]
    return [
        {name: None if solution[name] is None else solution[name].value for name in names}
        for solution in result
    ]


def run(store: EmbeddedStore, name: str, *, replace: tuple[str, str] | None = None) -> list[Row]:
    text = QUERIES[name].text
    if replace:
        assert replace[0] in text
        text = text.replace(*replace)
    return select(store, text)


def one(rows: list[Row], **where: str | None) -> Row:
    """The one row whose columns have the given values."""
    found = [row for row in rows if all(row[key] == value for key, value in where.items())]
    assert len(found) == 1, f"{len(found)} rows with {where}"
    return found[0]


def listed(text: str | None) -> set[str]:
    """The items of a GROUP_CONCAT column (its order is not defined)."""
    return set(text.split(", ")) if text else set()


def labels_of(rows: list[Row]) -> set[str | None]:
    return {row["label"] for row in rows}


def local(query: ExampleQuery, request: pytest.FixtureRequest) -> str:
    """The query as the tests run it: a federated query calls the Wikidata stand-in
    (tests/wikidata_standin.py), never Wikidata."""
    if WIKIDATA_ENDPOINT not in query.text:
        return query.text
    return query.text.replace(WIKIDATA_ENDPOINT, request.getfixturevalue("wikidata_standin"))


# ---------------------------------------------------------------------------------------------------
# Every query: named, described in German and English, runnable here and on a second engine


def test_there_are_at_least_twelve_numbered_queries() -> None:
    assert len(QUERIES) >= 12
    numbers = [name[:2] for name in QUERIES]
    assert all(re.fullmatch(r"\d{2}-[a-z0-9]+(-[a-z0-9]+)*", name) for name in QUERIES)
    assert len(set(numbers)) == len(numbers), "two queries share a number"


@pytest.mark.parametrize("query", QUERIES.values(), ids=QUERIES.keys())
def test_header_gives_title_and_description_in_english_and_german(query: ExampleQuery) -> None:
    for lang in ("en", "de"):
        assert query.titles.get(lang), f"no title@{lang}"
        assert query.descriptions.get(lang), f"no description@{lang}"
    fields = re.findall(r"^# ([a-z]+@[a-z]{2}):", query.text, flags=re.MULTILINE)
    assert fields == ["title@en", "title@de", "description@en", "description@de"]
    assert query.text.startswith("# title@en: ")


@pytest.mark.parametrize("query", QUERIES.values(), ids=QUERIES.keys())
def test_runs_without_error(
    store: EmbeddedStore, query: ExampleQuery, request: pytest.FixtureRequest
) -> None:
    result = store.query(local(query, request))
    assert render(result)
    if isinstance(result, ox.QuerySolutions):
        assert "ORDER BY" in query.text, "a SELECT needs ORDER BY for a stable answer"


# rdflib's own SPARQL evaluation calls its deprecated Dataset.contexts
@pytest.mark.filterwarnings("ignore:Dataset.contexts is deprecated:DeprecationWarning")
@pytest.mark.parametrize("query", QUERIES.values(), ids=QUERIES.keys())
def test_runs_on_a_second_sparql_engine_with_the_same_size_of_answer(
    store: EmbeddedStore,
    rdflib_dataset: rdflib.Dataset,
    query: ExampleQuery,
    request: pytest.FixtureRequest,
) -> None:
    theirs = rdflib_dataset.query(local(query, request))
    ours = store.query(local(query, request))
    if isinstance(ours, ox.QueryBoolean):
        assert theirs.askAnswer is bool(ours)
    elif isinstance(ours, ox.QueryTriples):
        assert theirs.graph is not None
        assert len(theirs.graph) == len(list(ours))
    else:
        assert len(list(theirs)) == len(list(ours))


def test_every_query_has_a_test_of_its_answer() -> None:
    tested = {name[len("test_q") :][:2] for name in globals() if name.startswith("test_q")}
    assert {name[:2] for name in QUERIES} <= tested


# ---------------------------------------------------------------------------------------------------
# The answer of each query


def test_q01_members_since(store: EmbeddedStore) -> None:
    rows = run(store, "01-members-since")
    bochum = one(rows, city=CITY + "bochum")
    assert bochum["since"] == "2021-03"
    assert bochum["precision"] == XSD + "gYearMonth"
    assert bochum["source"] == SOURCE + "bochum-eurocities-page"
    assert bochum["page"] == BOCHUM_PAGE
    # Essen: named by the founding page without a start, and since autumn 2013 by essen.de
    essen = one(rows, city=CITY + "essen", source=SOURCE + "essen-europe-direct")
    assert (essen["since"], essen["precision"], essen["sinceLabel"]) == (
        "2013",
        XSD + "gYear",
        "autumn 2013",
    )
    assert one(rows, city=CITY + "essen", source=SOURCE + "bochum-eurocities-page")["since"] is None
    # Berlin: "mid-1990s" has no usable year, only a label
    berlin = one(rows, city=CITY + "berlin", source=SOURCE + "sgk-berlin-wiki")
    assert (berlin["since"], berlin["sinceLabel"]) == (None, "mid-1990s")
    frankfurt = one(rows, city=CITY + "frankfurt-am-main", source=SOURCE + "wikipedia-eurocities")
    assert (frankfurt["since"], frankfurt["startDerivation"]) == ("1986", EC + "inferred")
    # one row per city and source; every member city is listed
    assert len(rows) == len({(row["city"], row["source"]) for row in rows})
    assert {row["city"] for row in rows} == {row["city"] for row in select(store, MEMBER_CITIES)}


def test_q02_members_per_country(store: EmbeddedStore) -> None:
    rows = run(store, "02-members-per-country")
    germany = one(rows, code="DE")
    assert germany["country"] == BASE + "id/country/de"
    assert germany["countryLabel"] == "Germany"
    assert int(germany["memberCities"] or 0) == len(select(store, GERMAN_MEMBER_CITIES))
    # Florence, Leipzig and most founding cities: no source states their country
    assert int(one(rows, country=None)["memberCities"] or 0) >= 2
    assert sum(int(row["memberCities"] or 0) for row in rows) == len(select(store, MEMBER_CITIES))


def test_q03_members_per_region(store: EmbeddedStore) -> None:
    ruhr = one(run(store, "03-members-per-region"), region=BASE + "id/region/ruhr-area")
    assert ruhr["regionLabel"] == "Ruhr area"
    assert {"Bochum", "Essen", "Dortmund", "Hagen"} <= listed(ruhr["cities"])
    assert int(ruhr["memberCities"] or 0) == len(listed(ruhr["cities"]))


def test_q04_ruhr_area_members(store: EmbeddedStore) -> None:
    rows = run(store, "04-ruhr-area-members")
    assert {"Bochum", "Essen", "Dortmund", "Hagen"} <= {row["cityLabel"] for row in rows}
    assert "Berlin" not in {row["cityLabel"] for row in rows}
    bochum = one(rows, cityLabel="Bochum")
    assert (bochum["since"], bochum["wikidata"]) == ("2021-03", WD + "Q2103")
    essen = one(rows, cityLabel="Essen")
    assert (essen["since"], essen["sinceLabel"], essen["confidence"]) == (
        "2013",
        "autumn 2013",
        "high",
    )
    hagen = one(rows, cityLabel="Hagen")
    assert (hagen["confidence"], hagen["wikidata"]) == ("low", None)


def test_q05_founding_members(store: EmbeddedStore) -> None:
    rows = run(store, "05-founding-members")
    founders = {"Barcelona", "Birmingham", "Frankfurt am Main", "Lyon", "Milan", "Rotterdam"}
    assert {row["cityLabel"] for row in rows} == founders
    for row in rows:
        assert (row["founded"], row["memberSince"], row["derivation"]) == (
            "1986",
            "1986",
            "inferred",
        )
        assert row["source"] == SOURCE + "wikipedia-eurocities"
    assert one(rows, cityLabel="Frankfurt am Main")["wikidata"] == WD + "Q1794"


def test_q06_forums_and_working_groups_by_period(store: EmbeddedStore) -> None:
    rows = run(store, "06-forums-and-working-groups")
    forums = {row["forumLabel"] for row in rows}
    assert {
        "Culture Forum",
        "Economic Development Forum",
        "Environment Forum",
        "Knowledge Society Forum",
        "Mobility Forum",
        "Social Affairs Forum",
    } <= forums
    # "Creative industries" belongs to two forums
    creative = {
        row["forumLabel"] for row in rows if row["workingGroupLabel"] == "Creative industries"
    }
    assert creative == {"Culture Forum", "Economic Development Forum"}
    employment = one(rows, workingGroupLabel="Employment")
    assert employment["forumLabel"] == "Social Affairs Forum"
    assert (employment["from"], employment["to"], employment["observed"]) == (
        "2017",
        "2020",
        "about 2017–about 2020",
    )
    assert one(rows, workingGroupLabel="Data")["observed"] == "2018"
    assert (
        one(rows, workingGroupLabel="City branding and attractiveness")["observed"] == "2015–2019"
    )
    travel = one(rows, workingGroupLabel="Safe and active travel")
    assert (travel["forumLabel"], travel["from"], travel["observed"]) == (
        "Mobility Forum",
        None,
        None,
    )
    labels = [row["forumLabel"] or "" for row in rows]
    assert labels == sorted(labels)


def test_q07_office_holders_with_periods_and_graphs(store: EmbeddedStore) -> None:
    rows = run(store, "07-office-holders")
    nardella = one(rows, roleLabel="president", holderLabel="Dario Nardella")
    assert (nardella["start"], nardella["end"]) == ("2020-11-05", "2023-06")
    assert listed(nardella["holderStatedIn"]) == {
        "bochum-eurocities-page",
        "eurocities-press-release-2020",
    }
    assert listed(nardella["startStatedIn"]) == {"eurocities-press-release-2020"}
    assert listed(nardella["endStatedIn"]) == {"radio-wsw-2023", "eu-political-report-2023"}
    jung = one(rows, roleLabel="president", holderLabel="Burkhard Jung")
    assert (jung["start"], jung["end"]) == ("2023-06", None)
    assert listed(jung["startStatedIn"]) == {"radio-wsw-2023", "eu-political-report-2023"}
    konig = one(rows, roleLabel="president", holderLabel="Anna König Jerlmyr")
    assert (konig["start"], konig["end"]) == (None, "2020-11-05")
    vice = one(rows, roleLabel="vice-president", holderLabel="Burkhard Jung")
    assert (vice["start"], vice["end"]) == ("2020-11-05", "2023-06")
    assert (
        one(rows, roleLabel="vice-president", holderLabel="Mathias De Clercq")["start"] == "2023-06"
    )
    secretary = one(rows, roleLabel="secretary general")
    assert secretary["holderLabel"] == "André Sobczak"
    assert listed(secretary["holderStatedIn"]) == {"wikipedia-eurocities"}
    mayor = one(rows, roleLabel="mayor", holderLabel="Dario Nardella")
    assert mayor["organizationLabel"] == "Florence"


def test_q08_reported_figures_beside_counted_ones(store: EmbeddedStore) -> None:
    rows = run(store, "08-reported-and-counted-figures")
    members = len(select(store, MEMBER_CITIES))
    cities = one(
        rows,
        aboutLabel="Eurocities",
        measureLabel="member cities",
        source=SOURCE + "eurocities-about-us",
    )
    assert (cities["reported"], cities["comparatorLabel"]) == ("200", "more than")
    assert int(cities["counted"] or 0) == members
    german = [row for row in rows if row["measureLabel"] == "member cities in country"]
    assert {(row["reported"], row["date"], row["confidenceLabel"]) for row in german} >= {
        ("23", "2022", "low"),
        ("20", "2019", "medium"),
    }
    german_count = len(select(store, GERMAN_MEMBER_CITIES))
    assert all(int(row["counted"] or 0) == german_count for row in german)
    groups = one(rows, measureLabel="working groups", source=SOURCE + "eurocities-brochure-2013")
    assert groups["reported"] == "40"
    counted_groups = select(
        store,
        f"{PREFIXES} SELECT DISTINCT ?g WHERE {{ ?g a ec:WorkingGroup ; org:unitOf/org:unitOf <{NETWORK}> }}",
    )
    assert int(groups["counted"] or 0) == len(counted_groups)
    # nothing in the graph counts the inhabitants: the reported figure stands alone
    inhabitants = [row for row in rows if row["measureLabel"] == "inhabitants represented"]
    assert inhabitants
    assert all(row["counted"] is None for row in inhabitants)


def test_q09_german_member_cities_reported_and_counted(store: EmbeddedStore) -> None:
    rows = run(store, "09-german-member-cities-reported-and-counted")
    bochum = one(rows, statedBy=SOURCE + "bochum-eurocities-page")
    assert (bochum["value"], bochum["date"], bochum["confidenceLabel"]) == ("23", "2022", "low")
    bpb = one(rows, statedBy=SOURCE + "bpb-europalexikon")
    assert (bpb["value"], bpb["date"], bpb["confidenceLabel"]) == ("20", "2019", "medium")
    counted = one(rows, statedBy="counted in this graph")
    german = select(store, GERMAN_MEMBER_CITIES)
    assert int(counted["value"] or 0) == len(german)
    assert listed(counted["cities"]) == labels_of(german)
    assert rows[-1] == counted


def test_q10_provenance_of_a_membership(store: EmbeddedStore) -> None:
    rows = run(store, "10-provenance-of-a-membership")
    page = one(rows, graph=GRAPH + "bochum-eurocities-page")
    assert page["source"] == SOURCE + "bochum-eurocities-page"
    assert (page["title"], page["page"], page["dateRead"]) == (
        "Eurocities",
        BOCHUM_PAGE,
        "2026-11-24",
    )
    assert {"member", "memberDuring", "hasBeginning", "inXSDgYearMonth"} <= listed(page["states"])
    # the same query about Essen's membership: two sources, the start from essen.de
    rows = run(
        store,
        "10-provenance-of-a-membership",
        replace=("membership:bochum }", "membership:essen }"),
    )
    assert {GRAPH + "bochum-eurocities-page", GRAPH + "essen-europe-direct"} <= {
        row["graph"] for row in rows
    }
    essen = one(rows, graph=GRAPH + "essen-europe-direct")
    assert essen["source"] == SOURCE + "essen-europe-direct"
    assert {"hasBeginning", "inXSDgYear"} <= listed(essen["states"])
    assert "memberDuring" not in listed(one(rows, graph=GRAPH + "bochum-eurocities-page")["states"])


def test_q11_sources_and_graphs(store: EmbeddedStore, real_build: Project) -> None:
    rows = run(store, "11-sources-and-graphs")
    graphs = {graph_name_for(p, real_build.data_dir) for p in data_files(real_build.data_dir)}
    assert {row["graph"] for row in rows} == graphs
    assert all(row["title"] and row["dateRead"] for row in rows)
    page = one(rows, graph=GRAPH + "bochum-eurocities-page")
    assert (page["source"], page["page"], page["languages"]) == (
        SOURCE + "bochum-eurocities-page",
        BOCHUM_PAGE,
        "de",
    )
    assert one(rows, graph=GRAPH + "radio-wsw-2023")["date"] == "2023-06-15"
    assert listed(one(rows, graph=GRAPH + "links-wikidata")["languages"]) == {"de", "en"}


def test_q12_figures_on_which_sources_disagree(store: EmbeddedStore) -> None:
    rows = run(store, "12-disagreeing-figures")
    inhabitants = {
        (
            (row["value1"], row["comparator1"], row["source1"]),
            (row["value2"], row["comparator2"], row["source2"]),
        )
        for row in rows
        if row["measureLabel"] == "inhabitants represented"
    }
    assert (
        ("130000000", "exactly", SOURCE + "bochum-eurocities-page"),
        ("150000000", "more than", SOURCE + "eurocities-about-us"),
    ) in inhabitants
    german = one(rows, measureLabel="member cities in country")
    assert {german["value1"], german["value2"]} == {"23", "20"}
    assert {german["date1"], german["date2"]} == {"2022", "2019"}
    # only disagreements: "more than 200 cities" is what both the page and Eurocities say
    for row in rows:
        assert row["source1"] != row["source2"]
        assert (row["value1"], row["comparator1"]) != (row["value2"], row["comparator2"])
    assert not [row for row in rows if row["measureLabel"] == "member cities"]


def test_q13_office_holders_on_which_sources_disagree(store: EmbeddedStore) -> None:
    rows = run(store, "13-disagreeing-office-holders")
    named = {(row["roleLabel"], row["holderLabel"], row["source"]) for row in rows}
    assert {
        ("president", "Dario Nardella", SOURCE + "bochum-eurocities-page"),
        ("president", "Dario Nardella", SOURCE + "eurocities-press-release-2020"),
        ("president", "Burkhard Jung", SOURCE + "radio-wsw-2023"),
        ("president", "Burkhard Jung", SOURCE + "eu-political-report-2023"),
        ("vice-president", "Burkhard Jung", SOURCE + "bochum-eurocities-page"),
        ("vice-president", "Mathias De Clercq", SOURCE + "radio-wsw-2023"),
    } <= named
    # a holding whose end the source states is not a current holder; one source alone is no dispute
    holders = {row["holderLabel"] for row in rows}
    assert "Anna König Jerlmyr" not in holders
    assert "André Sobczak" not in holders
    assert "mayor" not in {row["roleLabel"] for row in rows}
    jung = one(rows, roleLabel="president", source=SOURCE + "radio-wsw-2023")
    assert (jung["sourceDate"], jung["start"]) == ("2023-06-15", "2023-06")


def test_q14_cities_with_and_without_wikidata_items(store: EmbeddedStore) -> None:
    rows = run(store, "14-wikidata-links")
    bochum = one(rows, city=CITY + "bochum")
    assert (bochum["qid"], bochum["wikidata"], bochum["member"]) == ("Q2103", WD + "Q2103", "true")
    hagen = one(rows, city=CITY + "hagen")
    assert (hagen["qid"], hagen["wikidata"], hagen["member"]) == (None, None, "true")
    brussels = one(rows, city=CITY + "brussels")
    assert (brussels["qid"], brussels["member"]) == ("Q239", "false")
    assert all(re.fullmatch(r"Q\d+", row["qid"]) for row in rows if row["qid"])


def test_q15_inferred_and_low_confidence_statements(store: EmbeddedStore) -> None:
    rows = run(store, "15-inferred-and-low-confidence")
    membership = BASE + "id/membership/"
    office = BASE + "id/office/"
    florence = one(rows, statement=membership + "florence")
    assert (florence["part"], florence["qualifier"]) == ("statement", "inferred")
    assert florence["graph"] == GRAPH + "bochum-eurocities-page"
    barcelona = one(rows, statement=membership + "barcelona")
    assert (barcelona["part"], barcelona["qualifier"]) == ("start", "inferred")
    ends = [row for row in rows if row["statement"] == office + "dario-nardella-president-2020"]
    assert {row["graph"] for row in ends} == {
        GRAPH + "radio-wsw-2023",
        GRAPH + "eu-political-report-2023",
    }
    assert {(row["part"], row["qualifier"]) for row in ends} == {("end", "inferred")}
    hagen = one(rows, statement=membership + "hagen")
    assert (hagen["part"], hagen["qualifier"]) == ("statement", "low")
    assert hagen["note"] is None  # the page says nothing more than that Hagen is a member
    figure = BASE + "id/figure/bochum-eurocities-page-member-cities-in-country"
    assert one(rows, statement=figure)["qualifier"] == "low"
    # a stated membership of a German city from the page is neither
    assert not [row for row in rows if row["statement"] == membership + "bochum"]


def test_q16_activities_and_policy_topics(store: EmbeddedStore) -> None:
    rows = run(store, "16-activities-and-policy-topics")
    topics = {row["label"] for row in rows if row["kindLabel"] == "Policy topic"}
    assert topics == {"Culture", "Sport", "Urban development", "Environment"}
    activities = {row["label"] for row in rows if row["kindLabel"] == "Activity"}
    assert {"Mutual advice", "Cross-border projects", "Developing joint strategies"} <= activities
    lobbying = one(rows, concept=BASE + "id/activity/representation-towards-the-eu")
    assert lobbying["label"] == "Representation (lobbying) towards the European Union"
    assert "European Union" in (lobbying["definition"] or "")


def test_q17_membership_graph(store: EmbeddedStore) -> None:
    result = store.query(QUERIES["17-membership-graph"].text)
    assert isinstance(result, ox.QueryTriples)
    triples = {(t.subject.value, t.predicate.value, t.object.value) for t in result}
    member_of = {s for s, p, o in triples if p == ORG + "memberOf" and o == NETWORK}
    assert member_of == {row["city"] for row in select(store, MEMBER_CITIES)}
    assert (CITY + "bochum", OWL_SAME_AS, WD + "Q2103") in triples
    assert (
        CITY + "bochum",
        "https://schema.org/containedInPlace",
        BASE + "id/country/de",
    ) in triples
    assert (NETWORK, "http://www.w3.org/2000/01/rdf-schema#label", "Eurocities") in triples
    # the office holders are members of the network too, but not cities: not in this graph
    assert not {s for s, p, o in triples if s.startswith(BASE + "id/person/")}
    assert CITY + "brussels" not in member_of


def test_q18_ask_whether_bochum_is_a_member(store: EmbeddedStore) -> None:
    text = QUERIES["18-is-bochum-a-member"].text
    assert bool(store.query(text)) is True
    # Brussels is in the graph (the office is there) but no source names it a member
    assert "city:bochum" in text
    assert bool(store.query(text.replace("city:bochum", "city:brussels"))) is False


def test_q19_members_with_their_population_from_wikidata(
    store: EmbeddedStore, wikidata_standin: str
) -> None:
    """Federated: run against the Wikidata stand-in, whose populations are facts.md's."""
    rows = run(
        store, "19-members-with-wikidata-population", replace=(WIKIDATA_ENDPOINT, wikidata_standin)
    )
    bochum = one(rows, city=CITY + "bochum")
    assert (bochum["wikidata"], bochum["population"], bochum["pointInTime"]) == (
        WD + "Q2103",
        "366385",
        "2023-12-31T00:00:00Z",
    )
    assert one(rows, city=CITY + "florence")["population"] == "360930"
    # every member city with a Wikidata link, once; Hagen has no confirmed link, Brussels is no member
    linked = {
        row["city"]
        for row in select(store, MEMBER_CITIES)
        if select(store, f"SELECT ?item WHERE {{ <{row['city']}> <{OWL_SAME_AS}> ?item }}")
    }
    assert sorted(row["city"] or "" for row in rows) == sorted(linked)
    assert CITY + "hagen" not in {row["city"] for row in rows}
    assert [row["cityLabel"] for row in rows][:2] == ["Berlin", "Hamburg"]  # largest first
