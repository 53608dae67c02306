"""The reference facts (../shared/reference/facts.md) are in the graph, each in the named graph
of its source and at the confidence facts.md gives; the Wikidata links are the confirmed ones of
../shared/reference/wikidata-ids.tsv; every graph and source is described; every /id/ IRI
follows the slug rule of the README.

Each fact is one SPARQL query against the built store, so that a missing fact names itself.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from pathlib import Path

import pytest

from eurocities_kg.iris import slugify
from eurocities_kg.project import Project
from eurocities_kg.store import EmbeddedStore

KG = "https://w3id.org/eurocities-kg/"
ID = KG + "id/"
EC = KG + "def#"
NETWORK = ID + "network/eurocities"
WD = "http://www.wikidata.org/entity/"
DATA = Path(__file__).resolve().parents[1] / "data"
REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"

PREFIXES = {
    "ec": EC,
    "graph": KG + "graph/",
    "source": ID + "source/",
    "network": ID + "network/",
    "city": ID + "city/",
    "country": ID + "country/",
    "forum": ID + "forum/",
    "body": ID + "body/",
    "site": ID + "site/",
    "person": ID + "person/",
    "org_": ID + "organization/",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
PROLOGUE = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())

PRESS = "eurocities-press-release-2020"
REPORTS_2023 = ["radio-wsw-2023", "eu-political-report-2023"]
WIKIPEDIA = "wikipedia-eurocities"
WORKING_GROUPS = "eurocities-working-groups"
PORTICO_URL = "https://portico.urban-initiative.eu/urban-panorama/eurocities"


def data_files() -> dict[str, str]:
    """Graph stem → file stem of every data file (`data/links/wikidata.ttl`: links-wikidata →
    wikidata)."""
    return {
        "-".join(path.relative_to(DATA).with_suffix("").parts): path.stem
        for path in sorted(DATA.rglob("*.ttl"))
    }


GRAPHS = data_files()

# The URL each source has in facts.md / shared/sources/README.md (None: the reference gives none).
SOURCE_URLS = {
    "bochum-eurocities-page": "https://www.bochum.de/Internationales/Eurocities",
    WIKIPEDIA: "https://en.wikipedia.org/wiki/Eurocities",
    "portico-urban-panorama": PORTICO_URL,
    "ucm-2007": "https://ucm.org.cy/en/2007/04",
    "eurocities-about-us": "https://eurocities.eu/about-us/",
    "eurocities-annual-report-2016": None,
    PRESS: "https://eurocities.eu/latest/mayor-of-florence-elected-new-eurocities-president/",
    "radio-wsw-2023": "https://www.radio-wsw.de/2023/06/15/"
    "burkhard-jung-wird-neuer-praesident-der-eurocities/",
    "eu-political-report-2023": "https://eupoliticalreport.com/?p=17550",
    "eurocities-forums-page": "http://members.eurocities.eu/eurocities/forums",
    "eurocities-brochure-2013": None,
    WORKING_GROUPS: None,
    "essen-europe-direct": "https://neu.essen.de/dasistessen/international/europe_direct_/"
    "europaeische_netzwerkarbeit.de.html",
    "sgk-berlin-wiki": "https://sgk-berlin.de/sgkwiki/index.php?title=Eurocities",
    "bpb-europalexikon": "https://bpb.de/kurz-knapp/lexika/das-europalexikon/176838/eurocities",
    "links-wikidata": "https://www.wikidata.org/",
    "links-wikidata-enrichment": "https://www.wikidata.org/",
}


@pytest.fixture(scope="module")
def store(real_build: Project) -> EmbeddedStore:
    return EmbeddedStore.from_build(real_build.build_dir)


def ask(store: EmbeddedStore, where: str) -> bool:
    return bool(store.query(f"{PROLOGUE}ASK {{ {where} }}"))


def select(store: EmbeddedStore, where: str, *variables: str) -> list[tuple[str | None, ...]]:
    """The rows of a SELECT DISTINCT of the variables, each value as its lexical form."""
    head = " ".join(f"?{v}" for v in variables)
    rows = store.query(f"{PROLOGUE}SELECT DISTINCT {head} WHERE {{ {where} }}")
    return [tuple(None if row[v] is None else row[v].value for v in variables) for row in rows]


def in_graph(stem: str, pattern: str) -> str:
    return f"GRAPH graph:{stem} {{ {pattern} }} "


def stated(node: str, stem: str, confidence: str | None) -> str:
    """The statement node derives from the source of its graph, at the confidence of facts.md."""
    level = f"{node} ec:confidence ec:{confidence} . " if confidence else ""
    return f"{node} prov:wasDerivedFrom source:{stem} . " + level


def office(node: str, person: str, role: str, organization: str = "network:eurocities") -> str:
    return (
        f"{node} a org:Membership ; org:member person:{person} ; "
        f"org:organization {organization} ; org:role ec:{role} . "
    )


def start(node: str, datatype: str, value: str) -> str:
    return (
        f"{node} org:memberDuring ?period . ?period time:hasBeginning ?start . "
        f'?start time:inXSD{datatype} "{value}"^^xsd:{datatype[0].lower()}{datatype[1:]} . '
    )


def inferred_end(node: str, datatype: str, value: str) -> str:
    return (
        f"{node} org:memberDuring ?period . ?period time:hasEnd ?end . "
        f'?end time:inXSD{datatype} "{value}"^^xsd:{datatype[0].lower()}{datatype[1:]} ; '
        "ec:derivation ec:inferred . "
    )


def cases(*params: tuple[str, str]) -> list:
    return [pytest.param(where, id=name) for name, where in params]


def id_of(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


# --------------------------------------------------------------------------------------------------
# Offices: president and vice-president, 2020 and 2023; mayors; secretary general

OFFICES = cases(
    (
        "nardella-president-from-2020-11-05",
        in_graph(
            PRESS,
            office("?o", "dario-nardella", "president")
            + start("?o", "Date", "2020-11-05")
            + stated("?o", PRESS, "high"),
        ),
    ),
    *(
        (
            f"nardella-president-until-2023-06-inferred-{report}",
            in_graph(PRESS, office("?o", "dario-nardella", "president"))
            + in_graph(
                report, inferred_end("?o", "gYearMonth", "2023-06") + stated("?o", report, None)
            ),
        )
        for report in REPORTS_2023
    ),
    (
        "jung-vice-president-from-2020-11-05",
        in_graph(
            PRESS,
            office("?o", "burkhard-jung", "vicePresident")
            + start("?o", "Date", "2020-11-05")
            + stated("?o", PRESS, "high"),
        ),
    ),
    *(
        (
            f"jung-vice-president-until-2023-06-inferred-{report}",
            in_graph(PRESS, office("?o", "burkhard-jung", "vicePresident"))
            + in_graph(
                report, inferred_end("?o", "gYearMonth", "2023-06") + stated("?o", report, None)
            ),
        )
        for report in REPORTS_2023
    ),
    *(
        (
            f"jung-president-since-2023-06-{report}",
            in_graph(
                report,
                office("?o", "burkhard-jung", "president")
                + start("?o", "gYearMonth", "2023-06")
                + stated("?o", report, "high"),
            )
            + "FILTER NOT EXISTS { ?o org:memberDuring/time:hasEnd ?end }",
        )
        for report in REPORTS_2023
    ),
    *(
        (
            f"de-clercq-vice-president-since-2023-06-{report}",
            in_graph(
                report,
                office("?o", "mathias-de-clercq", "vicePresident")
                + start("?o", "gYearMonth", "2023-06")
                + stated("?o", report, "high")
                + 'person:mathias-de-clercq a foaf:Person ; foaf:name "Mathias De Clercq" . ',
            )
            + "FILTER NOT EXISTS { ?o org:memberDuring/time:hasEnd ?end }",
        )
        for report in REPORTS_2023
    ),
    *(
        (
            f"de-clercq-mayor-of-ghent-{report}",
            in_graph(
                report,
                office("?o", "mathias-de-clercq", "mayor", "?city")
                + stated("?o", report, "high")
                + '?city a schema:City ; rdfs:label "Ghent"@en . ',
            ),
        )
        for report in REPORTS_2023
    ),
    (
        "konig-jerlmyr-president-until-2020-11-05-inferred",
        in_graph(
            PRESS,
            office("?o", "anna-konig-jerlmyr", "president")
            + inferred_end("?o", "Date", "2020-11-05")
            + stated("?o", PRESS, "high")
            + 'person:anna-konig-jerlmyr a foaf:Person ; foaf:name "Anna König Jerlmyr" . ',
        ),
    ),
    (
        "nardella-mayor-of-florence",
        in_graph(
            PRESS,
            office("?o", "dario-nardella", "mayor", "city:florence") + stated("?o", PRESS, "high"),
        ),
    ),
    (
        "jung-mayor-of-leipzig",
        in_graph(
            PRESS,
            office("?o", "burkhard-jung", "mayor", "city:leipzig") + stated("?o", PRESS, "high"),
        ),
    ),
    (
        "sobczak-secretary-general-medium",
        in_graph(
            WIKIPEDIA,
            office("?o", "andre-sobczak", "secretaryGeneral")
            + stated("?o", WIKIPEDIA, "medium")
            + 'person:andre-sobczak a foaf:Person ; foaf:name "André Sobczak" . ',
        ),
    ),
)


@pytest.mark.parametrize("where", OFFICES)
def test_office(store: EmbeddedStore, where: str) -> None:
    assert ask(store, where)


def test_press_release_states_no_2023_end(store: EmbeddedStore) -> None:
    """The 2023 ends are stated in the 2023 sources' graphs only, not in the press release's."""
    assert not ask(
        store, in_graph(PRESS, "?o org:memberDuring/time:hasEnd/time:inXSDgYearMonth ?d")
    )


def test_page_and_2023_reports_disagree_and_both_are_kept(store: EmbeddedStore) -> None:
    """The founding page names Nardella president (undated); the 2023 reports end that holding:
    one node, each part in its source's graph, so the pages can show which statement is newer."""
    assert ask(
        store,
        in_graph("bochum-eurocities-page", office("?o", "dario-nardella", "president"))
        + in_graph(PRESS, start("?o", "Date", "2020-11-05"))
        + " ".join(in_graph(r, inferred_end("?o", "gYearMonth", "2023-06")) for r in REPORTS_2023),
    )


# --------------------------------------------------------------------------------------------------
# The organisation: founding, founding cities, office, governance, membership categories

FOUNDING_CITIES = [
    ("barcelona", "Barcelona"),
    ("birmingham", "Birmingham"),
    ("frankfurt-am-main", "Frankfurt am Main"),
    ("lyon", "Lyon"),
    ("milan", "Milan"),
    ("rotterdam", "Rotterdam"),
]

ORGANISATION = cases(
    *(
        (
            f"founded-1986-{stem}",
            in_graph(stem, 'network:eurocities schema:foundingDate "1986"^^xsd:gYear'),
        )
        for stem in [WIKIPEDIA, "portico-urban-panorama"]
    ),
    *(
        (
            f"founding-city-{slug}",
            in_graph(
                WIKIPEDIA,
                f"network:eurocities schema:founder city:{slug} . "
                f'city:{slug} a schema:City ; rdfs:label "{name}"@en . '
                f"?m a org:Membership ; org:member city:{slug} ; "
                "org:organization network:eurocities . "
                + start("?m", "gYear", "1986")
                + "?start ec:derivation ec:inferred . "
                + stated("?m", WIKIPEDIA, "high"),
            ),
        )
        for slug, name in FOUNDING_CITIES
    ),
    (
        "office-address-square-de-meeus-1-brussels",
        in_graph(
            "ucm-2007",
            "network:eurocities org:hasSite site:brussels-office . "
            "site:brussels-office a org:Site ; schema:containedInPlace city:brussels ; "
            'schema:address ?a . ?a schema:streetAddress "Square de Meeûs 1" ; '
            'schema:postalCode "1000" ; schema:addressLocality "Brussels" ; '
            'schema:addressCountry "BE" . city:brussels schema:containedInPlace country:be . '
            'country:be a schema:Country ; schema:identifier "BE" .',
        ),
    ),
    (
        "office-occupied-since-2007-04-02",
        in_graph("ucm-2007", 'site:brussels-office ec:occupiedSince "2007-04-02"^^xsd:date'),
    ),
    (
        "office-in-the-house-of-cities-municipalities-and-regions",
        in_graph(
            "ucm-2007",
            "site:brussels-office skos:note ?n . "
            'FILTER(CONTAINS(?n, "House of Cities, Municipalities and Regions"))',
        ),
    ),
    (
        "executive-committee-elected-by-general-meeting-for-three-years",
        in_graph(
            PRESS,
            "body:executive-committee a org:OrganizationalUnit ; org:unitOf network:eurocities ; "
            'ec:termLength "P3Y"^^xsd:duration . body:general-meeting a org:OrganizationalUnit ; '
            "org:unitOf network:eurocities . "
            "network:eurocities org:hasUnit body:executive-committee , body:general-meeting .",
        ),
    ),
    (
        "president-and-vice-president-elected-for-two-years",
        in_graph(
            PRESS,
            'ec:president ec:termLength "P2Y"^^xsd:duration . '
            'ec:vicePresident ec:termLength "P2Y"^^xsd:duration .',
        ),
    ),
    (
        "each-forum-elects-a-chair-and-vice-chair",
        in_graph(
            PRESS,
            'network:eurocities skos:note ?n . FILTER(lang(?n) = "en" && '
            'CONTAINS(?n, "Each forum elects a chair and a vice-chair"))',
        ),
    ),
)


@pytest.mark.parametrize("where", ORGANISATION)
def test_organisation_fact(store: EmbeddedStore, where: str) -> None:
    assert ask(store, where)


def test_founding_cities_are_exactly_the_six(store: EmbeddedStore) -> None:
    founders = select(store, in_graph(WIKIPEDIA, "network:eurocities schema:founder ?c"), "c")
    assert {id_of(c) for (c,) in founders} == {slug for slug, _ in FOUNDING_CITIES}


# (category, words its English eligibility must contain) — facts.md, source portico (high). The
# categories are ontology individuals (graph/ontology) citing portico with dcterms:source.
CATEGORIES = [
    ("memberCategory", "European Union with at least 250,000"),
    ("associateMemberCategory", "outside the European Union with at least 250,000"),
    ("partnerCategory", "more than 50,000"),
    ("associatedBusinessPartnerCategory", "Compan"),
]


@pytest.mark.parametrize(("category", "words"), CATEGORIES, ids=[c for c, _ in CATEGORIES])
def test_membership_category(store: EmbeddedStore, category: str, words: str) -> None:
    assert ask(
        store,
        f"ec:{category} a ec:MembershipCategory ; ec:eligibility ?e ; "
        f'dcterms:source <{PORTICO_URL}> . FILTER(lang(?e) = "en" && CONTAINS(?e, "{words}"))',
    )


# --------------------------------------------------------------------------------------------------
# Reported figures, each in its source's graph at its confidence and date

GERMANY = "?about a ec:CountryGroup ; ec:country country:de ; ec:groupOf network:eurocities . "
# (id, graph, measure, about the German country group, value, comparator, date, confidence)
FIGURES = [
    ("about-us-over-200-cities", "eurocities-about-us", "memberCities", False, 200, "moreThan"),
    ("about-us-38-countries", "eurocities-about-us", "countries", False, 38, "exactly"),
    (
        "about-us-over-150-million",
        "eurocities-about-us",
        "inhabitantsRepresented",
        False,
        150_000_000,
        "moreThan",
    ),
    (
        "annual-report-137-members",
        "eurocities-annual-report-2016",
        "members",
        False,
        137,
        "exactly",
    ),
    (
        "annual-report-47-associated-partners",
        "eurocities-annual-report-2016",
        "associatedPartners",
        False,
        47,
        "exactly",
    ),
    (
        "annual-report-7-business-partners",
        "eurocities-annual-report-2016",
        "businessPartners",
        False,
        7,
        "exactly",
    ),
    (
        "annual-report-39-countries",
        "eurocities-annual-report-2016",
        "countries",
        False,
        39,
        "exactly",
    ),
    (
        "annual-report-130-million",
        "eurocities-annual-report-2016",
        "inhabitantsRepresented",
        False,
        130_000_000,
        "exactly",
    ),
    (
        "bpb-20-german-member-cities",
        "bpb-europalexikon",
        "memberCitiesInCountry",
        True,
        20,
        "exactly",
    ),
    ("brochure-6-forums", "eurocities-brochure-2013", "forums", False, 6, "exactly"),
    (
        "brochure-40-working-groups",
        "eurocities-brochure-2013",
        "workingGroups",
        False,
        40,
        "exactly",
    ),
    (
        "founding-page-23-german-member-cities-claim",
        "bochum-eurocities-page",
        "memberCitiesInCountry",
        True,
        23,
        "exactly",
    ),
]
# id → (date literal or None for an undated figure, confidence or None where facts.md gives none)
FIGURE_DATES = {
    "about-us": (None, "medium"),
    "annual-report": ('"2016-12-31"^^xsd:date', "medium"),
    "bpb": ('"2019"^^xsd:gYear', "medium"),
    "brochure": ('"2013"^^xsd:gYear', None),
    "founding-page": ('"2022"^^xsd:gYear', "low"),
}


def figure_case(
    name: str, stem: str, measure: str, german: bool, value: int, comparator: str
) -> object:
    date, confidence = next(v for k, v in FIGURE_DATES.items() if name.startswith(k))
    about = "?about" if german else "network:eurocities"
    dated = f"?f dcterms:date {date} . " if date else "FILTER NOT EXISTS { ?f dcterms:date ?d } "
    return pytest.param(
        in_graph(
            stem,
            f"?f a ec:ReportedFigure ; ec:about {about} ; ec:measure ec:{measure} ; "
            f"schema:value ?v ; ec:comparator ec:{comparator} . FILTER(?v = {value}) "
            + (GERMANY if german else "")
            + dated
            + stated("?f", stem, confidence),
        ),
        id=name,
    )


FIGURE_CASES = [figure_case(*figure) for figure in FIGURES] + [
    pytest.param(
        in_graph(
            PRESS,
            "?f a ec:ReportedFigure ; ec:about body:executive-committee ; "
            "ec:measure ec:memberCities ; schema:value ?v . FILTER(?v = 12) "
            + stated("?f", PRESS, "high"),
        ),
        id="press-release-executive-committee-of-12-cities",
    )
]


@pytest.mark.parametrize("where", FIGURE_CASES)
def test_reported_figure(store: EmbeddedStore, where: str) -> None:
    assert ask(store, where)


@pytest.mark.parametrize(
    ("measure", "claims"),
    [
        pytest.param(
            "inhabitantsRepresented",
            {("bochum-eurocities-page", 130_000_000), ("eurocities-about-us", 150_000_000)},
            id="130-million-page-vs-over-150-million-about-us",
        ),
        pytest.param(
            "memberCitiesInCountry",
            {("bochum-eurocities-page", 23), ("bpb-europalexikon", 20)},
            id="23-german-cities-page-vs-20-bpb",
        ),
    ],
)
def test_disagreeing_figures_are_both_kept_each_with_its_source(
    store: EmbeddedStore, measure: str, claims: set[tuple[str, int]]
) -> None:
    rows = select(
        store,
        f"GRAPH ?g {{ ?f a ec:ReportedFigure ; ec:measure ec:{measure} ; schema:value ?v ; "
        "prov:wasDerivedFrom ?source . ?g prov:wasDerivedFrom ?source }",
        "g",
        "v",
    )
    found = {(id_of(g or ""), int(v or 0)) for g, v in rows}
    assert claims <= found


# --------------------------------------------------------------------------------------------------
# German cities

GERMAN_CITIES = cases(
    (
        "essen-member-since-autumn-2013",
        in_graph(
            "essen-europe-direct",
            "?m a org:Membership ; org:member city:essen ; org:organization network:eurocities . "
            + start("?m", "gYear", "2013")
            + '?start rdfs:label "Herbst 2013"@de , "autumn 2013"@en . '
            + stated("?m", "essen-europe-direct", "high"),
        ),
    ),
    (
        "berlin-member-since-the-mid-1990s-label-only",
        in_graph(
            "sgk-berlin-wiki",
            "?m a org:Membership ; org:member city:berlin ; org:organization network:eurocities ; "
            "org:memberDuring/time:hasBeginning ?start . "
            '?start rdfs:label "mid-1990s"@en , ?de . FILTER(lang(?de) = "de") '
            + stated("?m", "sgk-berlin-wiki", "medium"),
        )
        + "FILTER NOT EXISTS { ?start time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear ?y }",
    ),
    (
        "hagen-member-only-as-a-low-confidence-claim-of-the-page",
        in_graph(
            "bochum-eurocities-page",
            "?m a org:Membership ; org:member city:hagen ; org:organization network:eurocities . "
            + stated("?m", "bochum-eurocities-page", "low"),
        ),
    ),
    (
        "dortmund-vice-chair-of-skills-creativity-and-work",
        in_graph(
            WORKING_GROUPS,
            "?m a org:Membership ; org:member city:dortmund ; org:organization ?wg ; "
            "org:role ec:viceChair . ?wg a ec:WorkingGroup ; "
            'rdfs:label "Skills, creativity and work"@en ; '
            "org:unitOf forum:culture . " + stated("?m", WORKING_GROUPS, "medium"),
        ),
    ),
)


@pytest.mark.parametrize("where", GERMAN_CITIES)
def test_german_city_fact(store: EmbeddedStore, where: str) -> None:
    assert ask(store, where)


def test_low_confidence_only_in_the_founding_pages_graph(store: EmbeddedStore) -> None:
    """facts.md: low-confidence facts only as claims of their source, the founding page."""
    graphs = select(store, "GRAPH ?g { ?n ec:confidence ec:low }", "g")
    assert {id_of(g or "") for (g,) in graphs} == {"bochum-eurocities-page"}


def test_hagens_membership_is_stated_by_no_other_source(store: EmbeddedStore) -> None:
    graphs = select(store, "GRAPH ?g { ?m org:member city:hagen }", "g")
    assert {id_of(g or "") for (g,) in graphs} == {"bochum-eurocities-page"}


def test_confidence_is_only_high_medium_or_low(store: EmbeddedStore) -> None:
    """facts.md: "unknown" confidence is never stated."""
    levels = select(store, "GRAPH ?g { ?n ec:confidence ?c } FILTER(?g != graph:ontology)", "c")
    assert {c for (c,) in levels} <= {EC + "high", EC + "medium", EC + "low"}


# --------------------------------------------------------------------------------------------------
# Forums (English names and remits) and working groups (with the period they were observed in)

FORUMS = [
    ("culture", "Culture Forum", "access to culture for all"),
    ("economic-development", "Economic Development Forum", "economic development policy"),
    ("environment", "Environment Forum", "sustainable development"),
    ("knowledge-society", "Knowledge Society Forum", "knowledge society"),
    ("mobility", "Mobility Forum", "sustainable urban mobility"),
    ("social-affairs", "Social Affairs Forum", "tackling poverty and exclusion"),
]


@pytest.mark.parametrize(("slug", "name", "remit"), FORUMS, ids=[f[0] for f in FORUMS])
def test_forum_english_name_and_remit(
    store: EmbeddedStore, slug: str, name: str, remit: str
) -> None:
    assert ask(
        store,
        in_graph(
            "eurocities-forums-page",
            f'forum:{slug} a ec:Forum ; rdfs:label "{name}"@en ; org:unitOf network:eurocities ; '
            f'schema:description ?d . FILTER(lang(?d) = "en" && CONTAINS(?d, "{remit}"))',
        ),
    )


# forum → (first year, last year, "about" years, working groups) as in facts.md
WORKING_GROUP_SNAPSHOTS = {
    "culture": (
        2020,
        2020,
        True,
        [
            "Art and culture in public spaces",
            "Cultural resources and partnerships",
            "Cultural services and culture for inclusive cities",
            "Culture and young people",
            "Skills, creativity and work",
            "Creative industries",
        ],
    ),
    "economic-development": (
        2015,
        2019,
        False,
        [
            "City branding and attractiveness",
            "Cohesion policy and structural funds",
            "Creative industries",
            "Integrated urban development",
            "International economic relations",
            "Long term investment",
            "Metropolitan areas",
        ],
    ),
    "environment": (
        2019,
        2020,
        False,
        ["Air quality, climate change and energy efficiency", "Green areas and biodiversity"],
    ),
    "knowledge-society": (2018, 2018, False, ["Data", "Standards and interoperability"]),
    "mobility": (
        None,
        None,
        False,
        [
            "Sustainable mobility planning",
            "Smart and connected mobility",
            "TransEuropean transport networks (TEN-T)",
            "Safe and active travel",
        ],
    ),
    "social-affairs": (
        2017,
        2020,
        True,
        [
            "Employment",
            "Homelessness",
            "Housing",
            "Migration and integration",
            "Roma inclusion",
            "Smart social inclusion",
            "Urban ageing",
        ],
    ),
}


def working_group_case(forum: str, name: str) -> object:
    first, last, about, _ = WORKING_GROUP_SNAPSHOTS[forum]
    if name == "Creative industries":  # joint with Culture; observed with Economic Development
        first, last, about, _ = WORKING_GROUP_SNAPSHOTS["economic-development"]
    pattern = (
        f'?wg a ec:WorkingGroup ; rdfs:label "{name}"@en ; org:unitOf forum:{forum} . '
        f"forum:{forum} org:hasUnit ?wg . "
    )
    if first is None:
        pattern += "FILTER NOT EXISTS { ?wg dcterms:temporal ?p } "
    else:
        pattern += (
            "?wg dcterms:temporal ?p . ?p a time:Interval ; "
            "time:hasBeginning ?s ; time:hasEnd ?e . "
            f'?s time:inXSDgYear "{first}"^^xsd:gYear . ?e time:inXSDgYear "{last}"^^xsd:gYear . '
        )
        if about:
            pattern += f'?s rdfs:label "about {first}"@en . ?e rdfs:label "about {last}"@en . '
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return pytest.param(in_graph(WORKING_GROUPS, pattern), id=f"{forum}-{slug}")


@pytest.mark.parametrize(
    "where",
    [
        working_group_case(forum, name)
        for forum, (_, _, _, names) in WORKING_GROUP_SNAPSHOTS.items()
        for name in names
    ],
)
def test_working_group(store: EmbeddedStore, where: str) -> None:
    assert ask(store, where)


@pytest.mark.parametrize("forum", WORKING_GROUP_SNAPSHOTS)
def test_forum_has_exactly_the_working_groups_of_the_reference(
    store: EmbeddedStore, forum: str
) -> None:
    rows = select(
        store,
        in_graph(
            WORKING_GROUPS,
            f'?wg org:unitOf forum:{forum} ; rdfs:label ?n . FILTER(lang(?n) = "en")',
        ),
        "n",
    )
    assert {n for (n,) in rows} == set(WORKING_GROUP_SNAPSHOTS[forum][3])


# --------------------------------------------------------------------------------------------------
# Provenance: every graph described, every source described, every statement node traced


@pytest.mark.parametrize("stem", GRAPHS)
def test_graph_is_described(store: EmbeddedStore, stem: str) -> None:
    assert ask(
        store,
        in_graph(
            stem,
            f"graph:{stem} a prov:Entity ; prov:wasDerivedFrom source:{GRAPHS[stem]} ; "
            "dcterms:modified ?m . FILTER(datatype(?m) = xsd:date)",
        ),
    )


@pytest.mark.parametrize("stem", GRAPHS)
def test_source_is_described(store: EmbeddedStore, stem: str) -> None:
    source = f"source:{GRAPHS[stem]}"
    url = SOURCE_URLS[stem]
    page = (
        f"{source} foaf:page <{url}> . "
        if url
        else f"FILTER NOT EXISTS {{ {source} foaf:page ?u }} "
    )
    assert ask(
        store,
        in_graph(
            stem,
            f"{source} a prov:Entity , foaf:Document ; dcterms:title ?title ; "
            "dcterms:publisher ?publisher ; dcterms:language ?language ; ec:dateRead ?read . "
            "FILTER(datatype(?read) = xsd:date) " + page,
        )
        + "?publisher rdfs:label ?name .",  # the publisher is described (in any graph)
    )


def test_every_data_file_has_its_expected_source_url() -> None:
    assert set(GRAPHS) == set(SOURCE_URLS)


# graph → the confidence levels facts.md gives to what its source states (None: not rated)
CONFIDENCE = {
    "bochum-eurocities-page": None,
    WIKIPEDIA: {"high", "medium"},
    "portico-urban-panorama": {"high"},
    "ucm-2007": {"high"},
    "eurocities-about-us": {"medium"},
    "eurocities-annual-report-2016": {"medium"},
    PRESS: {"high"},
    "radio-wsw-2023": {"high"},
    "eu-political-report-2023": {"high"},
    "eurocities-forums-page": {"high"},
    "eurocities-brochure-2013": None,
    WORKING_GROUPS: {"medium"},
    "essen-europe-direct": {"high"},
    "sgk-berlin-wiki": {"medium"},
    "bpb-europalexikon": {"medium"},
    "links-wikidata": None,
}
STATEMENT_NODES = (
    "VALUES ?type { org:Membership ec:ReportedFigure } ?n a ?type . GRAPH ?g { ?n ?p ?o } "
)


@pytest.mark.parametrize("stem", GRAPHS)
def test_statement_nodes_trace_to_the_graphs_source(store: EmbeddedStore, stem: str) -> None:
    """Every statement node a graph types or adds to has prov:wasDerivedFrom its source there."""
    untraced = select(
        store,
        f"{STATEMENT_NODES} FILTER(?g = graph:{stem}) FILTER NOT EXISTS {{ GRAPH ?g "
        f"{{ ?n prov:wasDerivedFrom source:{GRAPHS[stem]} }} }}",
        "n",
    )
    assert untraced == []


@pytest.mark.parametrize("stem", [s for s, levels in CONFIDENCE.items() if levels])
def test_statement_nodes_carry_the_confidence_of_facts_md(store: EmbeddedStore, stem: str) -> None:
    rows = select(
        store,
        f"{STATEMENT_NODES} FILTER(?g = graph:{stem}) "
        "OPTIONAL { GRAPH ?g { ?n ec:confidence ?c } }",
        "n",
        "c",
    )
    levels = CONFIDENCE[stem] or set()
    wrong = sorted(
        (n or "", c or "none") for n, c in rows if (c or "").removeprefix(EC) not in levels
    )
    assert wrong == []


ORGANISATIONS = (
    "org:FormalOrganization org:Organization org:OrganizationalUnit ec:Forum ec:WorkingGroup"
)


def test_members_and_organisations_of_memberships_are_typed(store: EmbeddedStore) -> None:
    """ORG: org:member is a person or an organisation, org:organization an organisation (MODEL.md:
    a city is a schema:City and an org:FormalOrganization, "the city as a local government")."""
    untyped = select(
        store,
        "?m a org:Membership ; org:member|org:organization ?x . "
        f"FILTER NOT EXISTS {{ VALUES ?type {{ foaf:Person {ORGANISATIONS} }} ?x a ?type }}",
        "x",
    )
    assert sorted(x for (x,) in untyped) == []


# --------------------------------------------------------------------------------------------------
# Wikidata links: only confirmed QIDs of wikidata-ids.tsv, each on the matching entity


def wikidata_rows() -> list[dict[str, str]]:
    with (REFERENCE / "wikidata-ids.tsv").open(encoding="utf-8", newline="") as tsv:
        return list(csv.DictReader(tsv, delimiter="\t"))


def same_as_links(store: EmbeddedStore) -> list[tuple[str, str, str]]:
    """(thing, Wikidata QID, English label of the thing) for every owl:sameAs in any graph."""
    rows = select(
        store,
        "GRAPH ?g { ?s owl:sameAs ?o } OPTIONAL { ?s rdfs:label ?l FILTER(lang(?l) = 'en') }",
        "s",
        "o",
        "l",
    )
    return [(s or "", (o or "").removeprefix(WD), label or "") for s, o, label in rows]


def test_every_same_as_is_a_confirmed_qid_of_the_matching_entity(store: EmbeddedStore) -> None:
    confirmed = {r["qid"]: r for r in wikidata_rows() if r["status"] == "confirmed" and r["qid"]}
    wrong = []
    for thing, qid, label in same_as_links(store):
        row = confirmed.get(qid)
        kind = thing.removeprefix(ID).split("/", 1)[0]
        if row is None or row["label_en"] != label or row["entity"] != kind:
            wrong.append((thing, qid, label))
    assert wrong == []


def test_every_confirmed_qid_of_a_thing_in_the_graph_is_linked(store: EmbeddedStore) -> None:
    linked = {(thing, qid) for thing, qid, _ in same_as_links(store)}
    missing = []
    for row in wikidata_rows():
        if row["status"] != "confirmed":
            continue
        kind = row["entity"]  # city, country, organization, …: the kind of our IRI
        things = select(
            store,
            f"?t rdfs:label ?l . FILTER(lang(?l) = 'en' && STR(?l) = \"{row['label_en']}\" "
            f'&& STRSTARTS(STR(?t), "{ID}{kind}/"))',
            "t",
        )
        missing += [(t, row["qid"]) for (t,) in things if (t, row["qid"]) not in linked]
    assert missing == []


def test_same_as_only_in_the_wikidata_links_graph(store: EmbeddedStore) -> None:
    graphs = select(store, "GRAPH ?g { ?s owl:sameAs ?o }", "g")
    assert {id_of(g or "") for (g,) in graphs} == {"links-wikidata"}


@pytest.mark.parametrize(
    "where",
    cases(
        (
            "hagen-provisional-q2871",
            "{ ?s owl:sameAs <http://www.wikidata.org/entity/Q2871> } UNION "
            "{ city:hagen owl:sameAs ?o }",
        ),
        ("eurocities", "network:eurocities owl:sameAs ?o"),
        ("persons", "?p a foaf:Person ; owl:sameAs ?o"),
        ("ruhr-area", f"<{ID}region/ruhr-area> owl:sameAs ?o"),
        (
            "target-outside-wikidata",
            "?s owl:sameAs ?o . FILTER(!STRSTARTS(STR(?o), STR(<" + WD + ">)))",
        ),
    ),
)
def test_no_same_as_without_a_confirmed_qid(store: EmbeddedStore, where: str) -> None:
    assert not ask(store, where)


# --------------------------------------------------------------------------------------------------
# IRIs: {base}id/{kind}/{slug}, the slug from the English name (README "Slug rule")

NAME = r"[a-z0-9]+(?:-[a-z0-9]+)*"
ID_IRI = re.compile(rf"^{re.escape(ID)}({NAME})/({NAME})(?:#(period|start|end))?$")
KINDS = {
    "network", "city", "country", "country-group", "region", "forum", "working-group", "body",
    "site", "person", "membership", "office", "figure", "source", "organization", "activity",
    "topic", "scheme",
}  # fmt: skip


def kebab(term: str) -> str:
    """ec:vicePresident → vice-president."""
    return re.sub(r"(?<!^)([A-Z])", r"-\1", term.removeprefix(EC)).lower()


def id_iris(store: EmbeddedStore) -> set[str]:
    rows = select(
        store,
        "GRAPH ?g { { ?t ?p ?o } UNION { ?s ?p ?t } } "
        f'FILTER(isIRI(?t) && STRSTARTS(STR(?t), "{ID}"))',
        "t",
    )
    return {t for (t,) in rows if t}


def test_every_id_iri_has_the_form_kind_slug(store: EmbeddedStore) -> None:
    wrong = sorted(
        iri
        for iri in id_iris(store)
        if not (match := ID_IRI.match(iri)) or match.group(1) not in KINDS
    )
    assert wrong == []


def office_slug(person: str, role: str, organization: str, begins: str | None) -> str:
    if role == EC + "mayor":
        return f"{id_of(person)}-mayor-of-{id_of(organization)}"
    year = f"-{begins[:4]}" if begins else ""
    return f"{id_of(person)}-{kebab(role)}{year}"


# kind → (SELECT pattern binding ?t and the names, how a row gives the slug)
SLUG_RULES = {
    "city": ("?t rdfs:label ?a FILTER(lang(?a) = 'en')", lambda a: slugify(a)),
    "region": ("?t rdfs:label ?a FILTER(lang(?a) = 'en')", lambda a: slugify(a)),
    "network": ("?t rdfs:label ?a FILTER(lang(?a) = 'en')", lambda a: slugify(a)),
    "topic": ("?t rdfs:label ?a FILTER(lang(?a) = 'en')", lambda a: slugify(a)),
    "forum": (
        "?t rdfs:label ?a FILTER(lang(?a) = 'en')",
        lambda a: slugify(re.sub(r"\bForum\b", "", a)),
    ),
    "organization": (
        "?t rdfs:label ?a FILTER(lang(?a) = 'en')",
        lambda a: slugify(a.removeprefix("Operator of the website ")),
    ),
    "person": ("?t foaf:name ?a", lambda a: slugify(a)),
    "country": ("?t schema:identifier ?a", lambda a: a.lower()),
    "country-group": ("?t ec:country ?a", lambda a: id_of(a)),
    "working-group": (
        "?t org:unitOf ?a ; rdfs:label ?b FILTER(lang(?b) = 'en')",
        lambda a, b: f"{id_of(a)}-{slugify(b)}",
    ),
    "membership": (
        "?t org:member ?a ; org:organization ?b",
        lambda a, b: id_of(a) if b == NETWORK else f"{id_of(a)}-{id_of(b)}",
    ),
    "office": (
        "?t org:member ?a ; org:role ?b ; org:organization ?c . OPTIONAL { ?t org:memberDuring/"
        "time:hasBeginning/(time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear) ?d }",
        office_slug,
    ),
    "figure": (
        # {source}-{measure}; when a source reports one measure about several things (Wikidata's
        # population of each city), {source}-{measure}-{kind}-{slug} of the thing counted
        "?t prov:wasDerivedFrom ?a ; ec:measure ?b ; ec:about ?c",
        lambda a, b, c: {
            f"{id_of(a)}-{kebab(b)}",
            f"{id_of(a)}-{kebab(b)}-" + c.removeprefix(ID).replace("/", "-"),
        },
    ),
    "source": (
        "GRAPH ?g { ?g prov:wasDerivedFrom ?t } BIND(STR(?g) AS ?a)",
        lambda a: GRAPHS.get(id_of(a), ""),
    ),
}


@pytest.mark.parametrize("kind", SLUG_RULES)
def test_slug_follows_the_name(store: EmbeddedStore, kind: str) -> None:
    """activity, body, site and scheme slugs are short names, checked for form only."""
    pattern, rule = SLUG_RULES[kind]
    arity = rule.__code__.co_argcount
    variables = ["t", *"abcd"[:arity]]
    expected: dict[str, set[str]] = defaultdict(set)
    for row in select(store, pattern, *variables):
        derived = rule(*row[1:])
        expected[row[0] or ""].update({derived} if isinstance(derived, str) else derived)
    prefix = f"{ID}{kind}/"
    wrong = sorted(
        (iri, sorted(expected[iri]) or ["(no name to derive a slug from)"])
        for iri in id_iris(store)
        if iri.startswith(prefix) and "#" not in iri
        if iri.removeprefix(prefix) not in expected[iri]
    )
    assert wrong == []
