"""Every fact of the founding page is in the founding page's named graph and traces to the page.

The founding page is the City of Bochum's page on its Eurocities membership
(https://www.bochum.de/Internationales/Eurocities, text in ../shared/sources/bochum-eurocities.txt).
Its facts must be in the graph `graph/bochum-eurocities-page`; every statement node there
(membership, office held, reported figure) has `prov:wasDerivedFrom source:bochum-eurocities-page`,
the source whose `foaf:page` is the page's URL. Each fact is one SPARQL ASK against the built store,
so that a missing fact names itself in the test id.
"""

from __future__ import annotations

import pytest

from eurocities_kg.project import Project
from eurocities_kg.store import EmbeddedStore

KG = "https://w3id.org/eurocities-kg/"
PAGE_GRAPH = KG + "graph/bochum-eurocities-page"
PAGE_SOURCE = KG + "id/source/bochum-eurocities-page"
PAGE_URL = "https://www.bochum.de/Internationales/Eurocities"

PREFIXES = {
    "ec": KG + "def#",
    "graph": KG + "graph/",
    "source": KG + "id/source/",
    "network": KG + "id/network/",
    "city": KG + "id/city/",
    "country": KG + "id/country/",
    "region": KG + "id/region/",
    "forum": KG + "id/forum/",
    "body": KG + "id/body/",
    "site": KG + "id/site/",
    "person": KG + "id/person/",
    "activity": KG + "id/activity/",
    "topic": KG + "id/topic/",
    "scheme": KG + "id/scheme/",
    "org_": KG + "id/organization/",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "time": "http://www.w3.org/2006/time#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
PROLOGUE = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())


@pytest.fixture(scope="module")
def store(real_build: Project) -> EmbeddedStore:
    return EmbeddedStore.from_build(real_build.build_dir)


def ask_in_page(store: EmbeddedStore, pattern: str) -> bool:
    """Whether the pattern holds in the founding page's named graph."""
    return bool(store.query(f"{PROLOGUE}ASK {{ GRAPH <{PAGE_GRAPH}> {{ {pattern} }} }}"))


def select_in_page(store: EmbeddedStore, variable: str, pattern: str) -> set[str]:
    """The values of one variable of the pattern in the founding page's named graph."""
    query = (
        f"{PROLOGUE}SELECT DISTINCT ?{variable} WHERE {{ GRAPH <{PAGE_GRAPH}> {{ {pattern} }} }}"
    )
    return {row[variable].value for row in store.query(query)}


def traced(node: str) -> str:
    """The statement node derives from the page's source node, whose foaf:page is the page."""
    return (
        f"{node} prov:wasDerivedFrom source:bochum-eurocities-page . "
        f"source:bochum-eurocities-page foaf:page <{PAGE_URL}> . "
    )


def labelled(node: str, language: str, text: str) -> str:
    return f'{node} rdfs:label "{text}"@{language} . '


def facts(*params: tuple[str, str]) -> list:
    return [pytest.param(pattern, id=name) for name, pattern in params]


def id_of(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


# --------------------------------------------------------------------------------------------------
# The network: what it is, what it does, what it is about

NETWORK = facts(
    (
        "network-is-an-organisation-named-eurocities",
        "network:eurocities a org:FormalOrganization , schema:Organization . "
        + labelled("network:eurocities", "de", "Eurocities")
        + labelled("network:eurocities", "en", "Eurocities"),
    ),
    (
        "network-largest-european-network-of-large-cities",
        "?f a ec:ReportedFigure ; ec:about network:eurocities ; "
        "ec:measure ec:sizeRankAmongEuropeanCityNetworks ; schema:value ?v ; "
        "ec:comparator ec:exactly . FILTER(?v = 1) " + traced("?f"),
    ),
    (
        "network-described-as-largest-network-of-large-cities",
        "network:eurocities schema:description ?de , ?en . "
        'FILTER(lang(?de) = "de" && CONTAINS(?de, "größte europäische (Groß-)Städtenetzwerk")) '
        'FILTER(lang(?en) = "en" && CONTAINS(?en, "largest European network of (large) cities"))',
    ),
    (
        "network-aims-at-quality-of-life-for-all",
        "network:eurocities schema:description ?de , ?en . "
        'FILTER(lang(?de) = "de" && CONTAINS(?de, "Lebensqualität für alle")) '
        'FILTER(lang(?en) = "en" && CONTAINS(?en, "quality of life for all"))',
    ),
)

# (slug, words of the page the German definition must quote, extra pattern)
ACTIVITIES = [
    ("mutual-advice", "beraten sich gegenseitig", ""),
    ("best-practice-exchange", "tauschen ihre Erfahrungen", ""),
    ("joint-strategies", "gemeinsame Strategien", ""),
    ("cross-border-projects", "grenzüberschreitende Projekte", ""),
    (
        "representation-towards-the-eu",
        "Lobby-Arbeit",
        "activity:representation-towards-the-eu dcterms:relation org_:european-union . "
        + labelled("org_:european-union", "de", "Europäische Union"),
    ),
    (
        "structural-funds-proposals",
        "Verwendung von EU-Strukturfonds",
        "activity:structural-funds-proposals dcterms:relation ?commission . "
        "?commission rdfs:label ?name . "
        'FILTER(lang(?name) = "de" && CONTAINS(?name, "Kommission"))',
    ),
]
ACTIVITY_FACTS = facts(
    *(
        (
            f"activity-{slug}",
            f"network:eurocities ec:activity activity:{slug} . "
            f"activity:{slug} a ec:Activity ; skos:inScheme scheme:activities ; "
            "rdfs:label ?de , ?en ; skos:definition ?definition . "
            'FILTER(lang(?de) = "de" && lang(?en) = "en") '
            f'FILTER(lang(?definition) = "de" && CONTAINS(?definition, "{words}")) {extra}',
        )
        for slug, words, extra in ACTIVITIES
    )
)

# (slug, German word of the page: "Kultur, Sport, Stadtentwicklung und Umweltfragen")
TOPICS = [
    ("culture", "Kultur"),
    ("sport", "Sport"),
    ("urban-development", "Stadtentwicklung"),
    ("environment", "Umweltfragen"),
]
TOPIC_FACTS = facts(
    *(
        (
            f"policy-topic-{slug}",
            f"network:eurocities ec:policyTopic topic:{slug} . "
            f"topic:{slug} a ec:PolicyTopic ; skos:inScheme scheme:policy-topics ; "
            f'rdfs:label|skos:prefLabel|skos:altLabel "{word}"@de ; rdfs:label ?en . '
            'FILTER(lang(?en) = "en")',
        )
        for slug, word in TOPICS
    )
)


@pytest.mark.parametrize("pattern", NETWORK + ACTIVITY_FACTS + TOPIC_FACTS)
def test_network_fact(store: EmbeddedStore, pattern: str) -> None:
    assert ask_in_page(store, pattern)


def test_network_has_exactly_the_six_activities_of_the_page(store: EmbeddedStore) -> None:
    found = select_in_page(store, "a", "network:eurocities ec:activity ?a")
    assert {id_of(a) for a in found} == {slug for slug, _, _ in ACTIVITIES}


def test_network_has_exactly_the_four_policy_topics_of_the_page(store: EmbeddedStore) -> None:
    found = select_in_page(store, "t", "network:eurocities ec:policyTopic ?t")
    assert {id_of(t) for t in found} == {slug for slug, _ in TOPICS}


# --------------------------------------------------------------------------------------------------
# Bochum's membership: "Seit März 2021 ist die Stadt Bochum Mitglied"


def test_bochum_member_since_march_2021(store: EmbeddedStore) -> None:
    assert ask_in_page(
        store,
        "?m a org:Membership ; org:member city:bochum ; org:organization network:eurocities ; "
        "org:memberDuring ?period . ?period a time:Interval ; time:hasBeginning ?start . "
        '?start a time:Instant ; time:inXSDgYearMonth "2021-03"^^xsd:gYearMonth . '
        "FILTER NOT EXISTS { ?start time:inXSDDate|time:inXSDgYear ?other } " + traced("?m"),
    )


# --------------------------------------------------------------------------------------------------
# The six forums, with the German names exactly as the page gives them, each with working groups

FORUMS = [
    ("economic-development", "Forum Wirtschaftsentwicklung"),
    ("mobility", "Forum Mobilität"),
    ("culture", "Forum Kultur"),
    ("social-affairs", "Forum Soziale Fragen"),
    ("knowledge-society", "Forum Wissensgesellschaft"),
    ("environment", "Forum Umwelt"),
]


@pytest.mark.parametrize(("slug", "name"), FORUMS, ids=[slug for slug, _ in FORUMS])
def test_forum(store: EmbeddedStore, slug: str, name: str) -> None:
    assert ask_in_page(
        store,
        f'forum:{slug} a ec:Forum ; rdfs:label "{name}"@de ; org:unitOf network:eurocities . '
        f"network:eurocities org:hasUnit forum:{slug} .",
    )


@pytest.mark.parametrize("slug", [slug for slug, _ in FORUMS])
def test_forum_has_working_groups(store: EmbeddedStore, slug: str) -> None:
    """The page: each core topic has its forum "und ihnen zugeordneten Unterarbeitsgruppen"
    (modelled in the forum's description; the groups themselves come from other sources)."""
    assert ask_in_page(
        store,
        f"forum:{slug} schema:description ?de , ?en . "
        'FILTER(lang(?de) = "de" && CONTAINS(?de, "Unterarbeitsgruppen")) '
        'FILTER(lang(?en) = "en" && CONTAINS(?en, "working groups"))',
    )


def test_exactly_six_forums_with_the_pages_german_names(store: EmbeddedStore) -> None:
    names = select_in_page(store, "n", '?f a ec:Forum ; rdfs:label ?n . FILTER(lang(?n) = "de")')
    assert names == {name for _, name in FORUMS}


# --------------------------------------------------------------------------------------------------
# Who leads the network: twelve elected mayors, the Brussels office, president and vice-president

GOVERNANCE = facts(
    (
        "executive-committee-of-twelve-elected-mayors",
        "body:executive-committee a org:OrganizationalUnit ; org:unitOf network:eurocities ; "
        "schema:description ?d . network:eurocities org:hasUnit body:executive-committee . "
        'FILTER(lang(?d) = "de" && CONTAINS(?d, "zwölf gewählten"))',
    ),
    (
        "brussels-office-supports-the-network",
        "site:brussels-office a org:Site ; schema:containedInPlace city:brussels ; "
        "schema:description ?d . network:eurocities org:hasSite site:brussels-office . "
        + labelled("city:brussels", "de", "Brüssel")
        + 'FILTER(lang(?d) = "de" && CONTAINS(?d, "inhaltlich und organisatorisch"))',
    ),
    (
        "president-dario-nardella",
        "?o a org:Membership ; org:member person:dario-nardella ; "
        "org:organization network:eurocities ; org:role ec:president . "
        'person:dario-nardella a foaf:Person , schema:Person ; foaf:name "Dario Nardella" . '
        + traced("?o"),
    ),
    (
        "dario-nardella-mayor-of-florence",
        "?o a org:Membership ; org:member person:dario-nardella ; org:organization city:florence ; "
        "org:role ec:mayor . " + labelled("city:florence", "de", "Florenz") + traced("?o"),
    ),
    (
        "vice-president-burkhard-jung",
        "?o a org:Membership ; org:member person:burkhard-jung ; "
        "org:organization network:eurocities ; org:role ec:vicePresident . "
        'person:burkhard-jung a foaf:Person , schema:Person ; foaf:name "Burkhard Jung" . '
        + traced("?o"),
    ),
    (
        "burkhard-jung-mayor-of-leipzig",
        "?o a org:Membership ; org:member person:burkhard-jung ; org:organization city:leipzig ; "
        "org:role ec:mayor . " + labelled("city:leipzig", "de", "Leipzig") + traced("?o"),
    ),
)


@pytest.mark.parametrize("pattern", GOVERNANCE)
def test_governance_fact(store: EmbeddedStore, pattern: str) -> None:
    assert ask_in_page(store, pattern)


def test_offices_carry_no_dates_in_the_page_graph(store: EmbeddedStore) -> None:
    """The page gives no dates for the president and vice-president: its graph states none."""
    dated = select_in_page(
        store, "o", "?o a org:Membership ; org:member ?p ; org:memberDuring ?i . ?p a foaf:Person"
    )
    assert dated == set()


# --------------------------------------------------------------------------------------------------
# The figures the page reports

GERMAN_GROUP = (
    "?about a ec:CountryGroup ; ec:country country:de ; ec:groupOf network:eurocities . "
    'country:de a schema:Country ; schema:identifier "DE" ; rdfs:label "Deutschland"@de . '
)
# (id, what is counted, measure, value, comparator, extra pattern on ?f)
FIGURES = [
    ("more-than-200-cities", "", "memberCities", 200, "moreThan", ""),
    ("38-countries", "", "countries", 38, "exactly", ""),
    ("130-million-people", "", "inhabitantsRepresented", 130_000_000, "exactly", ""),
    ("six-core-topics-each-a-forum", "", "forums", 6, "exactly", ""),
    ("12-elected-mayors-leading", "", "electedMayorsLeading", 12, "exactly", ""),
    (
        "23-german-member-cities-as-of-2022-low",
        GERMAN_GROUP,
        "memberCitiesInCountry",
        23,
        "exactly",
        '?f dcterms:date "2022"^^xsd:gYear ; ec:confidence ec:low . ',
    ),
    (
        "germany-the-largest-country-group",
        GERMAN_GROUP,
        "sizeRankAmongCountryGroups",
        1,
        "exactly",
        "",
    ),
]


@pytest.mark.parametrize(
    ("about", "measure", "value", "comparator", "extra"),
    [pytest.param(*figure[1:], id=figure[0]) for figure in FIGURES],
)
def test_reported_figure(
    store: EmbeddedStore, about: str, measure: str, value: int, comparator: str, extra: str
) -> None:
    subject = "?about" if about else "network:eurocities"
    assert ask_in_page(
        store,
        f"?f a ec:ReportedFigure ; ec:about {subject} ; ec:measure ec:{measure} ; "
        f"schema:value ?v ; ec:comparator ec:{comparator} . FILTER(?v = {value}) "
        + about
        + extra
        + traced("?f"),
    )


# --------------------------------------------------------------------------------------------------
# The member cities the page names, and the two it implies

# (slug, German label as on the page, English label, in the Ruhr area, named as German, inferred)
MEMBERS = [
    ("bochum", "Bochum", "Bochum", True, True, False),
    ("essen", "Essen", "Essen", True, True, False),
    ("dortmund", "Dortmund", "Dortmund", True, True, False),
    ("hagen", "Hagen", "Hagen", True, True, False),
    ("berlin", "Berlin", "Berlin", False, True, False),
    ("cologne", "Köln", "Cologne", False, True, False),
    ("hamburg", "Hamburg", "Hamburg", False, True, False),
    ("munich", "München", "Munich", False, True, False),
    ("frankfurt-am-main", "Frankfurt am Main", "Frankfurt am Main", False, True, False),
    ("stuttgart", "Stuttgart", "Stuttgart", False, True, False),
    ("dusseldorf", "Düsseldorf", "Düsseldorf", False, True, False),
    ("florence", "Florenz", "Florence", False, False, True),
    ("leipzig", "Leipzig", "Leipzig", False, False, True),
]


def member_pattern(slug: str, de: str, en: str, ruhr: bool, german: bool, inferred: bool) -> str:
    city = f"city:{slug}"
    pattern = (
        f"{city} a schema:City , org:FormalOrganization . "
        + labelled(city, "de", de)
        + labelled(city, "en", en)
        + f"?m a org:Membership ; org:member {city} ; org:organization network:eurocities . "
        + traced("?m")
    )
    if ruhr:
        pattern += f"{city} schema:containedInPlace region:ruhr-area . "
        pattern += "region:ruhr-area a schema:Place . " + labelled(
            "region:ruhr-area", "de", "Ruhrgebiet"
        )
    if german:
        pattern += f"{city} schema:containedInPlace country:de . "
    if inferred:
        return pattern + "?m ec:derivation ec:inferred ; skos:note ?why . "
    return pattern + "FILTER NOT EXISTS { ?m ec:derivation ec:inferred } "


@pytest.mark.parametrize(
    "pattern",
    [
        pytest.param(member_pattern(*member), id=("inferred-" if member[5] else "") + member[0])
        for member in MEMBERS
    ],
)
def test_member_city(store: EmbeddedStore, pattern: str) -> None:
    assert ask_in_page(store, pattern)


def test_members_are_exactly_the_cities_the_page_names_or_implies(store: EmbeddedStore) -> None:
    members = select_in_page(
        store,
        "c",
        "?m a org:Membership ; org:member ?c ; org:organization network:eurocities . "
        "?c a schema:City",
    )
    assert {id_of(c) for c in members} == {member[0] for member in MEMBERS}


def test_only_florence_and_leipzig_are_inferred(store: EmbeddedStore) -> None:
    inferred = select_in_page(store, "n", "?n ec:derivation ec:inferred")
    assert {n.removeprefix(KG + "id/") for n in inferred} == {
        "membership/florence",
        "membership/leipzig",
    }


def test_ruhr_area_holds_exactly_bochum_essen_dortmund_hagen(store: EmbeddedStore) -> None:
    cities = select_in_page(store, "c", "?c schema:containedInPlace region:ruhr-area")
    assert {id_of(c) for c in cities} == {"bochum", "essen", "dortmund", "hagen"}


# --------------------------------------------------------------------------------------------------
# The page itself as the source

SOURCE = facts(
    ("source-is-a-document", "source:bochum-eurocities-page a prov:Entity , foaf:Document ."),
    ("source-title", 'source:bochum-eurocities-page dcterms:title "Eurocities"@de .'),
    (
        "source-publisher-city-of-bochum",
        "source:bochum-eurocities-page dcterms:publisher city:bochum .",
    ),
    (
        "source-language-german",
        "source:bochum-eurocities-page dcterms:language "
        "<http://id.loc.gov/vocabulary/iso639-1/de> .",
    ),
    ("source-url", f"source:bochum-eurocities-page foaf:page <{PAGE_URL}> ."),
    (
        "source-date-read",
        "source:bochum-eurocities-page ec:dateRead ?d . FILTER(datatype(?d) = xsd:date)",
    ),
    (
        "source-undated",
        "source:bochum-eurocities-page a foaf:Document . "
        "FILTER NOT EXISTS { source:bochum-eurocities-page dcterms:date ?d }",
    ),
    (
        "graph-derived-from-the-page",
        "graph:bochum-eurocities-page prov:wasDerivedFrom source:bochum-eurocities-page ; "
        "dcterms:modified ?m . FILTER(datatype(?m) = xsd:date)",
    ),
)


@pytest.mark.parametrize("pattern", SOURCE)
def test_source_fact(store: EmbeddedStore, pattern: str) -> None:
    assert ask_in_page(store, pattern)


def test_every_statement_node_of_the_page_graph_traces_to_the_page(store: EmbeddedStore) -> None:
    untraced = select_in_page(
        store,
        "n",
        "VALUES ?type { org:Membership ec:ReportedFigure } ?n a ?type . "
        f"FILTER NOT EXISTS {{ ?n prov:wasDerivedFrom <{PAGE_SOURCE}> }}",
    )
    assert untraced == set()


def test_confidence_only_where_facts_md_rates_a_claim_of_the_page(store: EmbeddedStore) -> None:
    """facts.md rates two claims of the page (both low): Hagen's membership and the 23 German
    member cities; the page's "largest country group" rests on the same count, so it is low too.
    Nothing else in the page's graph carries a confidence."""
    rated = select_in_page(store, "n", "?n ec:confidence ec:low")
    assert {n.removeprefix(KG + "id/") for n in rated} == {
        "membership/hagen",
        "figure/bochum-eurocities-page-member-cities-in-country",
        "figure/bochum-eurocities-page-size-rank-among-country-groups",
    }
    assert select_in_page(store, "n", "?n ec:confidence ?c") == rated
