"""Tests of the SHACL shapes in ontology/shapes.ttl.

A small GOOD graph (every class the data uses, one node each) must conform without any result;
each BAD case removes and/or adds a few triples and must be reported with the expected severity,
focus node and English message. The tests use only inline fixtures: no file under data/ and not
the OWL ontology (the shapes are written to work on the data alone).
"""

from functools import cache
from pathlib import Path

import pyshacl
import pytest
from pyshacl.errors import ReportableRuntimeError
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH

SHAPES_PATH = Path(__file__).parents[1] / "ontology" / "shapes.ttl"
ECSH = Namespace("https://w3id.org/eurocities-kg/shapes#")
ID = "https://w3id.org/eurocities-kg/id/"


def violations(turtle_text: str, ontology: Graph | None = None) -> list[tuple[str, str, str, str]]:
    """Validate Turtle (prefixes of PREFIXES are added) and list the top-level results as
    (severity local name, focus node, result path or "", English message)."""
    data = Graph().parse(data=PREFIXES + turtle_text, format="turtle")
    _, report, _ = pyshacl.validate(
        data,
        shacl_graph=shapes_graph(),
        ont_graph=ontology,
        inference="none",
        allow_warnings=True,
        advanced=True,
        meta_shacl=False,
    )
    assert isinstance(report, Graph), report
    results = []
    for result in report.objects(None, SH.result):
        messages = [m for m in report.objects(result, SH.resultMessage) if m.language == "en"]
        path = report.value(result, SH.resultPath)
        results.append(
            (
                str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
                str(report.value(result, SH.focusNode)),
                "" if path is None else str(path),
                str(messages[0]) if messages else "",
            )
        )
    return sorted(results)


@cache
def shapes_graph() -> Graph:
    return Graph().parse(SHAPES_PATH, format="turtle")


def mutate(delete: str = "", insert: str = "") -> str:
    """GOOD without the triples of `delete`, plus those of `insert` (Turtle, PREFIXES added)."""
    graph = Graph().parse(data=PREFIXES + GOOD, format="turtle")
    removed = Graph().parse(data=PREFIXES + delete, format="turtle")
    missing = set(removed) - set(graph)
    assert not missing, f"delete names triples that are not in GOOD: {missing}"
    graph -= removed
    graph += Graph().parse(data=PREFIXES + insert, format="turtle")
    return graph.serialize(format="nt")


PREFIXES = """\
@prefix ec:      <https://w3id.org/eurocities-kg/def#> .
@prefix city:    <https://w3id.org/eurocities-kg/id/city/> .
@prefix country: <https://w3id.org/eurocities-kg/id/country/> .
@prefix region:  <https://w3id.org/eurocities-kg/id/region/> .
@prefix network: <https://w3id.org/eurocities-kg/id/network/> .
@prefix forum:   <https://w3id.org/eurocities-kg/id/forum/> .
@prefix wg:      <https://w3id.org/eurocities-kg/id/working-group/> .
@prefix body:    <https://w3id.org/eurocities-kg/id/body/> .
@prefix site:    <https://w3id.org/eurocities-kg/id/site/> .
@prefix person:  <https://w3id.org/eurocities-kg/id/person/> .
@prefix membership: <https://w3id.org/eurocities-kg/id/membership/> .
@prefix office:  <https://w3id.org/eurocities-kg/id/office/> .
@prefix figure:  <https://w3id.org/eurocities-kg/id/figure/> .
@prefix cgroup:  <https://w3id.org/eurocities-kg/id/country-group/> .
@prefix source:  <https://w3id.org/eurocities-kg/id/source/> .
@prefix org_:    <https://w3id.org/eurocities-kg/id/organization/> .
@prefix topic:   <https://w3id.org/eurocities-kg/id/topic/> .
@prefix activity: <https://w3id.org/eurocities-kg/id/activity/> .
@prefix graph:   <https://w3id.org/eurocities-kg/graph/> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix schema:  <https://schema.org/> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix time:    <http://www.w3.org/2006/time#> .
@prefix foaf:    <http://xmlns.com/foaf/0.1/> .
@prefix owl:     <http://www.w3.org/2002/07/owl#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix sh:      <http://www.w3.org/ns/shacl#> .
@prefix wd:      <http://www.wikidata.org/entity/> .
"""

# Statement-node hash IRIs (Turtle prefixed names cannot hold '#').
M_BOCHUM = "<https://w3id.org/eurocities-kg/id/membership/bochum"
O_PRES = "<https://w3id.org/eurocities-kg/id/office/dario-nardella-president-2020"
WG_SAT = "<https://w3id.org/eurocities-kg/id/working-group/mobility-safe-and-active-travel"
FIGURE = "figure:bochum-eurocities-page-member-cities-in-country"

GOOD = f"""
network:eurocities a org:FormalOrganization, schema:Organization ;
    rdfs:label "Eurocities"@de, "Eurocities"@en ;
    schema:description "Netzwerk großer europäischer Städte."@de,
        "Network of large European cities."@en ;
    org:hasUnit forum:mobility, body:executive-committee ;
    org:hasSite site:brussels-office ;
    ec:policyTopic topic:culture ;
    ec:activity activity:mutual-advice .

city:bochum a schema:City, org:FormalOrganization ;
    rdfs:label "Bochum"@de, "Bochum"@en ;
    schema:containedInPlace country:de, region:ruhr-area ;
    owl:sameAs wd:Q2103 ;
    # from the Wikidata enrichment (issue 4): W3C WGS84 coordinates
    <http://www.w3.org/2003/01/geo/wgs84_pos#lat> 51.483333 ;
    <http://www.w3.org/2003/01/geo/wgs84_pos#long> 7.216667 .
city:florence a schema:City, org:FormalOrganization ;
    rdfs:label "Florenz"@de, "Florence"@en ;
    schema:containedInPlace country:it ;
    owl:sameAs wd:Q2044 .
city:brussels a schema:City ;
    rdfs:label "Brüssel"@de, "Brussels"@en ;
    schema:containedInPlace country:be ;
    owl:sameAs wd:Q239 .

country:de a schema:Country ; rdfs:label "Deutschland"@de, "Germany"@en ;
    schema:identifier "DE" ; owl:sameAs wd:Q183 .
country:it a schema:Country ; rdfs:label "Italien"@de, "Italy"@en ;
    schema:identifier "IT" ; owl:sameAs wd:Q38 .
country:be a schema:Country ; rdfs:label "Belgien"@de, "Belgium"@en ;
    schema:identifier "BE" ; owl:sameAs wd:Q31 .
region:ruhr-area a schema:Place ; rdfs:label "Ruhrgebiet"@de, "Ruhr area"@en ;
    schema:containedInPlace country:de .

membership:bochum a org:Membership ;
    org:member city:bochum ;
    org:organization network:eurocities ;
    org:memberDuring {M_BOCHUM}#period> ;
    prov:wasDerivedFrom source:bochum-eurocities-page ;
    ec:derivation ec:stated ;
    ec:confidence ec:high .
{M_BOCHUM}#period> a time:Interval ; time:hasBeginning {M_BOCHUM}#start> .
{M_BOCHUM}#start> a time:Instant ; time:inXSDgYearMonth "2021-03"^^xsd:gYearMonth .

forum:mobility a ec:Forum ;
    rdfs:label "Forum Mobilität"@de, "Mobility Forum"@en ;
    org:unitOf network:eurocities ;
    org:hasUnit wg:mobility-safe-and-active-travel .
wg:mobility-safe-and-active-travel a ec:WorkingGroup ;
    rdfs:label "Sicherer und aktiver Verkehr"@de, "Safe and active travel"@en ;
    org:unitOf forum:mobility ;
    dcterms:temporal {WG_SAT}#period> .
{WG_SAT}#period> a time:Interval ;
    time:hasBeginning {WG_SAT}#start> ; time:hasEnd {WG_SAT}#end> .
{WG_SAT}#start> a time:Instant ; time:inXSDgYear "2015"^^xsd:gYear ;
    rdfs:label "Herbst 2015"@de, "autumn 2015"@en .
{WG_SAT}#end> a time:Instant ; time:inXSDDate "2020-12-31"^^xsd:date .
body:executive-committee a org:OrganizationalUnit ;
    rdfs:label "Exekutivkomitee"@de, "Executive Committee"@en ;
    org:unitOf network:eurocities ;
    ec:termLength "P3Y"^^xsd:duration .
site:brussels-office a org:Site ;
    rdfs:label "Büro in Brüssel"@de, "Brussels office"@en ;
    schema:containedInPlace city:brussels ;
    ec:occupiedSince "2007-04-02"^^xsd:date .

person:dario-nardella a foaf:Person, schema:Person ;
    foaf:name "Dario Nardella" ;
    rdfs:label "Dario Nardella"@de, "Dario Nardella"@en .
office:dario-nardella-president-2020 a org:Membership ;
    org:member person:dario-nardella ;
    org:organization network:eurocities ;
    org:role ec:president ;
    org:memberDuring {O_PRES}#period> ;
    prov:wasDerivedFrom source:bochum-eurocities-page .
{O_PRES}#period> a time:Interval ;
    time:hasBeginning {O_PRES}#start> ; time:hasEnd {O_PRES}#end> .
{O_PRES}#start> a time:Instant ; time:inXSDDate "2020-11-05"^^xsd:date .
{O_PRES}#end> a time:Instant ; time:inXSDgYearMonth "2023-06"^^xsd:gYearMonth .
office:dario-nardella-mayor-of-florence a org:Membership ;
    org:member person:dario-nardella ;
    org:organization city:florence ;
    org:role ec:mayor ;
    prov:wasDerivedFrom source:bochum-eurocities-page .

cgroup:de a ec:CountryGroup ;
    rdfs:label "Deutsche Mitgliedsstädte"@de, "German member cities"@en ;
    ec:country country:de ;
    ec:groupOf network:eurocities .
figure:bochum-eurocities-page-member-cities-in-country a ec:ReportedFigure ;
    ec:about cgroup:de ;
    ec:measure ec:memberCitiesInCountry ;
    schema:value 23 ;
    ec:comparator ec:exactly ;
    dcterms:date "2022"^^xsd:gYear ;
    prov:wasDerivedFrom source:bochum-eurocities-page ;
    ec:confidence ec:low .

source:bochum-eurocities-page a prov:Entity, foaf:Document ;
    dcterms:title "Eurocities"@de ;
    dcterms:publisher city:bochum ;
    dcterms:language <http://id.loc.gov/vocabulary/iso639-1/de> ;
    foaf:page <https://www.bochum.de/Internationales/Eurocities> ;
    ec:dateRead "2024-09-01"^^xsd:date .
source:wikipedia-eurocities a prov:Entity, foaf:Document ;
    dcterms:title "Eurocities"@en ;
    dcterms:publisher org_:wikimedia-foundation ;
    dcterms:language <http://id.loc.gov/vocabulary/iso639-1/en> ;
    foaf:page <https://en.wikipedia.org/wiki/Eurocities> ;
    ec:dateRead "2024-09-01"^^xsd:date .
org_:wikimedia-foundation a foaf:Organization ;
    rdfs:label "Wikimedia Foundation"@de, "Wikimedia Foundation"@en .

graph:founding-page a prov:Entity ;
    prov:wasDerivedFrom source:bochum-eurocities-page ;
    dcterms:modified "2026-11-24"^^xsd:date .

topic:culture a skos:Concept, ec:PolicyTopic ; rdfs:label "Kultur"@de, "Culture"@en .
activity:mutual-advice a skos:Concept, ec:Activity ;
    rdfs:label "Gegenseitige Beratung"@de, "Mutual advice"@en .
"""

# The subclass axioms of notes/DESIGN.md and a few ontology individuals: mixed into the data
# graph (ont_graph), they widen sh:targetClass and sh:class; the GOOD graph must still conform.
MINI_ONTOLOGY = """
<https://w3id.org/eurocities-kg/def> a owl:Ontology .
ec:Forum rdfs:subClassOf org:OrganizationalUnit .
ec:WorkingGroup rdfs:subClassOf org:OrganizationalUnit .
ec:ReportedFigure rdfs:subClassOf prov:Entity .
ec:Measure rdfs:subClassOf skos:Concept .
ec:Comparator rdfs:subClassOf skos:Concept .
ec:PolicyTopic rdfs:subClassOf skos:Concept .
ec:Activity rdfs:subClassOf skos:Concept .
ec:memberCities a ec:Measure ; rdfs:label "Mitgliedsstädte"@de, "member cities"@en ;
    skos:prefLabel "Mitgliedsstädte"@de, "member cities"@en .
ec:exactly a ec:Comparator ; rdfs:label "genau"@de, "exactly"@en .
ec:president a org:Role ; rdfs:label "Präsident"@de, "president"@en .
"""


def test_good_graph_conforms_without_any_result():
    assert violations(GOOD) == []


def test_good_graph_conforms_with_the_ontology_mixed_in():
    ontology = Graph().parse(data=PREFIXES + MINI_ONTOLOGY, format="turtle")
    assert violations(GOOD, ontology=ontology) == []


def case(case_id, severity, focus, message, delete="", insert="", results=1):
    """One bad variant of GOOD: the shapes must report `message` (a substring of the English
    sh:message) with `severity` on `focus` (an IRI, or a path under id/), and `results` results
    in all."""
    focus = focus if focus.startswith("http") else ID + focus
    return pytest.param(delete, insert, severity, focus, message, results, id=case_id)


IN_MONTH = "time:inXSDgYearMonth"
BAD = [
    # --- labels -------------------------------------------------------------------------------
    case(
        "city-without-german-label",
        "Violation",
        "city/bochum",
        "A city needs a German label (rdfs:label with @de).",
        delete='city:bochum rdfs:label "Bochum"@de .',
    ),
    case(
        "city-without-english-label",
        "Warning",
        "city/bochum",
        "A city should have an English label",
        delete='city:bochum rdfs:label "Bochum"@en .',
    ),
    case(
        "city-with-two-german-labels",
        "Violation",
        "city/bochum",
        "At most one rdfs:label per language",
        insert='city:bochum rdfs:label "Stadt Bochum"@de .',
    ),
    case(
        "city-with-untagged-label",
        "Violation",
        "city/bochum",
        "Every rdfs:label needs a language tag",
        insert='city:bochum rdfs:label "Bochum" .',
    ),
    case(
        "network-without-german-label",
        "Violation",
        "network/eurocities",
        "A network needs a German label",
        delete='network:eurocities rdfs:label "Eurocities"@de .',
    ),
    case(
        "network-without-english-description",
        "Warning",
        "network/eurocities",
        "The network should have an English description",
        delete='network:eurocities schema:description "Network of large European cities."@en .',
    ),
    case(
        "network-with-untagged-description",
        "Violation",
        "network/eurocities",
        "every description with a language tag",
        insert='network:eurocities schema:description "Ein Netzwerk." .',
    ),
    case(
        "country-without-german-label",
        "Violation",
        "country/de",
        "A country needs a German label",
        delete='country:de rdfs:label "Deutschland"@de .',
    ),
    case(
        "region-without-german-label",
        "Violation",
        "region/ruhr-area",
        "A region needs a German label",
        delete='region:ruhr-area rdfs:label "Ruhrgebiet"@de .',
    ),
    case(
        "forum-without-german-label",
        "Violation",
        "forum/mobility",
        "A forum needs a German label",
        delete='forum:mobility rdfs:label "Forum Mobilität"@de .',
        results=2,  # and the Warning of the unit shape
    ),
    case(
        "working-group-without-german-label",
        "Warning",
        "working-group/mobility-safe-and-active-travel",
        "A forum, working group or body should have a German label",
        delete='wg:mobility-safe-and-active-travel rdfs:label "Sicherer und aktiver Verkehr"@de .',
    ),
    case(
        "working-group-without-english-label",
        "Warning",
        "working-group/mobility-safe-and-active-travel",
        "A forum, working group or body should have an English label",
        delete='wg:mobility-safe-and-active-travel rdfs:label "Safe and active travel"@en .',
    ),
    case(
        "body-with-two-english-labels",
        "Violation",
        "body/executive-committee",
        "At most one rdfs:label per language",
        insert='body:executive-committee rdfs:label "ExCom"@en .',
    ),
    case(
        "site-without-german-label",
        "Violation",
        "site/brussels-office",
        "A site needs a German label",
        delete='site:brussels-office rdfs:label "Büro in Brüssel"@de .',
    ),
    case(
        "person-without-german-label",
        "Violation",
        "person/dario-nardella",
        "A person needs a German label",
        delete='person:dario-nardella rdfs:label "Dario Nardella"@de .',
    ),
    case(
        "topic-without-german-label",
        "Violation",
        "topic/culture",
        "A topic or activity needs a German label",
        delete='topic:culture rdfs:label "Kultur"@de .',
    ),
    case(
        "publisher-without-german-label",
        "Violation",
        "organization/wikimedia-foundation",
        "An organisation needs a German label",
        delete='org_:wikimedia-foundation rdfs:label "Wikimedia Foundation"@de .',
    ),
    case(
        "country-group-without-german-label",
        "Warning",
        "country-group/de",
        "A country group should have a German label",
        delete='cgroup:de rdfs:label "Deutsche Mitgliedsstädte"@de .',
    ),
    case(
        "instant-with-untagged-label",
        "Violation",
        f"{WG_SAT[1:]}#start",
        "Every rdfs:label needs a language tag",
        insert=f'{WG_SAT}#start> rdfs:label "Herbst 2015" .',
    ),
    # --- IRI patterns ---------------------------------------------------------------------------
    case(
        "city-iri-of-wrong-kind",
        "Violation",
        "town/essen",
        "A city has an IRI under https://w3id.org/eurocities-kg/id/city/",
        insert="""<https://w3id.org/eurocities-kg/id/town/essen> a schema:City ;
            rdfs:label "Essen"@de, "Essen"@en ; schema:containedInPlace country:de ;
            owl:sameAs wd:Q2066 .""",
    ),
    case(
        "city-iri-in-upper-case",
        "Violation",
        "city/Essen",
        "A city has an IRI under https://w3id.org/eurocities-kg/id/city/",
        insert="""<https://w3id.org/eurocities-kg/id/city/Essen> a schema:City ;
            rdfs:label "Essen"@de, "Essen"@en ; schema:containedInPlace country:de ;
            owl:sameAs wd:Q2066 .""",
    ),
    case(
        "city-iri-with-underscore",
        "Violation",
        "city/frankfurt_am_main",
        "A city has an IRI under https://w3id.org/eurocities-kg/id/city/",
        insert="""<https://w3id.org/eurocities-kg/id/city/frankfurt_am_main> a schema:City ;
            rdfs:label "Frankfurt am Main"@de, "Frankfurt am Main"@en ;
            schema:containedInPlace country:de ; owl:sameAs wd:Q1794 .""",
    ),
    case(
        "person-iri-of-city-kind",
        "Violation",
        "city/anna-konig-jerlmyr",
        "A person has an IRI under https://w3id.org/eurocities-kg/id/person/",
        insert="""city:anna-konig-jerlmyr a foaf:Person, schema:Person ;
            foaf:name "Anna König Jerlmyr" ;
            rdfs:label "Anna König Jerlmyr"@de, "Anna König Jerlmyr"@en .""",
    ),
    case(
        "forum-iri-of-working-group-kind",
        "Violation",
        "working-group/culture",
        "A forum has an IRI under https://w3id.org/eurocities-kg/id/forum/",
        insert="""wg:culture a ec:Forum ; org:unitOf network:eurocities ;
            rdfs:label "Forum Kultur"@de, "Culture Forum"@en .
            network:eurocities org:hasUnit wg:culture .""",
    ),
    case(
        "country-iri-not-iso-code",
        "Violation",
        "country/deu",
        "A country has the IRI https://w3id.org/eurocities-kg/id/country/",
        insert="""country:deu a schema:Country ; rdfs:label "Deutschland"@de, "Germany"@en ;
            schema:identifier "DE" ; owl:sameAs wd:Q183 .""",
    ),
    case(
        "city-membership-under-office",
        "Violation",
        "office/bochum",
        "The membership of a city has an IRI under https://w3id.org/eurocities-kg/id/membership/",
        insert="""<https://w3id.org/eurocities-kg/id/office/bochum> a org:Membership ;
            org:member city:bochum ; org:organization network:eurocities ;
            prov:wasDerivedFrom source:bochum-eurocities-page .""",
    ),
    case(
        "office-under-membership",
        "Violation",
        "membership/dario-nardella-president",
        "An office held by a person has an IRI under https://w3id.org/eurocities-kg/id/office/",
        insert="""membership:dario-nardella-president a org:Membership ;
            org:member person:dario-nardella ; org:organization network:eurocities ;
            org:role ec:president ; prov:wasDerivedFrom source:bochum-eurocities-page .""",
    ),
    case(
        "instant-not-a-hash-iri",
        "Violation",
        f"{M_BOCHUM[1:]}#begin",
        "An instant is the hash IRI of its statement node",
        delete=f"""{M_BOCHUM}#period> time:hasBeginning {M_BOCHUM}#start> .
            {M_BOCHUM}#start> a time:Instant ; {IN_MONTH} "2021-03"^^xsd:gYearMonth .""",
        insert=f"""{M_BOCHUM}#period> time:hasBeginning {M_BOCHUM}#begin> .
            {M_BOCHUM}#begin> a time:Instant ; {IN_MONTH} "2021-03"^^xsd:gYearMonth .""",
        results=2,  # the interval's time:hasBeginning check reports it too
    ),
    case(
        "membership-period-not-its-hash-iri",
        "Violation",
        "membership/bochum",
        "org:memberDuring is at most one time:Interval, the IRI {membership}#period",
        delete=f"""membership:bochum org:memberDuring {M_BOCHUM}#period> .
            {M_BOCHUM}#period> a time:Interval ; time:hasBeginning {M_BOCHUM}#start> .""",
        insert=f"""membership:bochum org:memberDuring {M_BOCHUM}#time> .
            {M_BOCHUM}#time> a time:Interval ; time:hasBeginning {M_BOCHUM}#start> .""",
        results=2,  # the interval's own IRI pattern reports it too
    ),
    # --- dates ---------------------------------------------------------------------------------
    case(
        "month-as-plain-string",
        "Violation",
        f"{M_BOCHUM[1:]}#start",
        "time:inXSDgYearMonth is an xsd:gYearMonth of the form YYYY-MM",
        delete=f'{M_BOCHUM}#start> {IN_MONTH} "2021-03"^^xsd:gYearMonth .',
        insert=f'{M_BOCHUM}#start> {IN_MONTH} "March 2021" .',
    ),
    case(
        "month-with-malformed-lexical-form",
        "Violation",
        f"{M_BOCHUM[1:]}#start",
        "time:inXSDgYearMonth is an xsd:gYearMonth of the form YYYY-MM",
        delete=f'{M_BOCHUM}#start> {IN_MONTH} "2021-03"^^xsd:gYearMonth .',
        insert=f'{M_BOCHUM}#start> {IN_MONTH} "2021-3"^^xsd:gYearMonth .',
    ),
    case(
        "month-property-with-xsd-date",
        "Violation",
        f"{M_BOCHUM[1:]}#start",
        "time:inXSDgYearMonth is an xsd:gYearMonth of the form YYYY-MM",
        delete=f'{M_BOCHUM}#start> {IN_MONTH} "2021-03"^^xsd:gYearMonth .',
        insert=f'{M_BOCHUM}#start> {IN_MONTH} "2021-03-01"^^xsd:date .',
    ),
    case(
        "date-property-with-month-only",
        "Violation",
        f"{O_PRES[1:]}#start",
        "time:inXSDDate is an xsd:date of the form YYYY-MM-DD",
        delete=f'{O_PRES}#start> time:inXSDDate "2020-11-05"^^xsd:date .',
        insert=f'{O_PRES}#start> time:inXSDDate "2020-11"^^xsd:date .',
    ),
    case(
        "year-with-two-digits",
        "Violation",
        f"{WG_SAT[1:]}#start",
        "time:inXSDgYear is an xsd:gYear of the form YYYY",
        delete=f'{WG_SAT}#start> time:inXSDgYear "2015"^^xsd:gYear .',
        insert=f'{WG_SAT}#start> time:inXSDgYear "15"^^xsd:gYear .',
    ),
    case(
        "instant-with-two-precisions",
        "Violation",
        f"{M_BOCHUM[1:]}#start",
        "An instant has a single precision",
        insert=f'{M_BOCHUM}#start> time:inXSDgYear "2021"^^xsd:gYear .',
    ),
    case(
        "instant-without-date-or-label",
        "Violation",
        f"{M_BOCHUM[1:]}#start",
        "An instant needs a date",
        delete=f'{M_BOCHUM}#start> {IN_MONTH} "2021-03"^^xsd:gYearMonth .',
    ),
    case(
        "interval-without-beginning-or-end",
        "Violation",
        f"{O_PRES[1:]}#period",
        "An interval needs a beginning (time:hasBeginning) or an end",
        delete=f"""{O_PRES}#period> time:hasBeginning {O_PRES}#start> ;
            time:hasEnd {O_PRES}#end> .""",
    ),
    case(
        "figure-date-as-string",
        "Violation",
        "figure/bochum-eurocities-page-member-cities-in-country",
        "dcterms:date of a reported figure is at most one reference date",
        delete=f'{FIGURE} dcterms:date "2022"^^xsd:gYear .',
        insert=f'{FIGURE} dcterms:date "Stand 2022" .',
    ),
    case(
        "date-read-as-year",
        "Violation",
        "source/bochum-eurocities-page",
        "ec:dateRead as xsd:date",
        delete='source:bochum-eurocities-page ec:dateRead "2024-09-01"^^xsd:date .',
        insert='source:bochum-eurocities-page ec:dateRead "2024"^^xsd:gYear .',
    ),
    case(
        "graph-modified-as-datetime",
        "Violation",
        "https://w3id.org/eurocities-kg/graph/founding-page",
        "dcterms:modified as xsd:date",
        delete='graph:founding-page dcterms:modified "2026-11-24"^^xsd:date .',
        insert='graph:founding-page dcterms:modified "2026-11-24T10:00:00"^^xsd:dateTime .',
    ),
    # --- Wikidata links --------------------------------------------------------------------------
    case(
        "wikidata-link-with-https",
        "Violation",
        "city/bochum",
        "A Wikidata link has the form http://www.wikidata.org/entity/Q",
        delete="city:bochum owl:sameAs wd:Q2103 .",
        insert="city:bochum owl:sameAs <https://www.wikidata.org/entity/Q2103> .",
    ),
    case(
        "wikidata-link-to-wiki-page",
        "Violation",
        "city/bochum",
        "A Wikidata link has the form http://www.wikidata.org/entity/Q",
        delete="city:bochum owl:sameAs wd:Q2103 .",
        insert="city:bochum owl:sameAs <http://www.wikidata.org/wiki/Q2103> .",
    ),
    case(
        "wikidata-link-as-literal",
        "Violation",
        "country/de",
        "owl:sameAs points to an IRI",
        delete="country:de owl:sameAs wd:Q183 .",
        insert='country:de owl:sameAs "Q183" .',
        results=2,  # the country then also lacks a Wikidata link (Warning)
    ),
    case(
        "city-without-wikidata-link",
        "Warning",
        "city/bochum",
        "This city has no Wikidata link",
        delete="city:bochum owl:sameAs wd:Q2103 .",
    ),
    # --- cities and countries -----------------------------------------------------------------
    case(
        "city-without-country",
        "Warning",
        "city/florence",
        "This city has no country",
        delete="city:florence schema:containedInPlace country:it .",
    ),
    case(
        "city-in-two-countries",
        "Violation",
        "city/bochum",
        "A city lies in at most one country",
        insert="city:bochum schema:containedInPlace country:be .",
    ),
    case(
        "city-contained-in-untyped-place",
        "Violation",
        "city/bochum",
        "schema:containedInPlace of a city points to a schema:Country or a region",
        insert="city:bochum schema:containedInPlace region:westphalia .",
    ),
    case(
        "country-identifier-in-lower-case",
        "Violation",
        "country/de",
        "A country has exactly one schema:identifier",
        delete='country:de schema:identifier "DE" .',
        insert='country:de schema:identifier "de" .',
    ),
    case(
        "formal-organization-without-second-type",
        "Violation",
        "city/bochum",
        "either a city (also schema:City) or the network",
        delete="city:bochum a schema:City .",
    ),
    case(
        "publisher-typed-as-schema-organization",
        "Violation",
        "organization/wikimedia-foundation",
        "A network (schema:Organization) is also an org:FormalOrganization",
        insert="org_:wikimedia-foundation a schema:Organization .",
        results=4,  # checked as a network: also not an org:FormalOrganization, no descriptions
    ),
    case(
        "network-topic-under-activity",
        "Violation",
        "network/eurocities",
        "ec:policyTopic points to a topic under",
        insert="network:eurocities ec:policyTopic activity:mutual-advice .",
    ),
    # --- memberships --------------------------------------------------------------------------
    case(
        "membership-without-member",
        "Violation",
        "membership/bochum",
        "A membership has exactly one org:member",
        delete="membership:bochum org:member city:bochum .",
    ),
    case(
        "membership-with-two-organizations",
        "Violation",
        "membership/bochum",
        "A membership has exactly one org:organization",
        insert="membership:bochum org:organization forum:mobility .",
    ),
    case(
        "membership-without-source",
        "Violation",
        "membership/bochum",
        "A membership needs at least one source",
        delete="membership:bochum prov:wasDerivedFrom source:bochum-eurocities-page .",
    ),
    case(
        "membership-with-untyped-member",
        "Violation",
        "membership/essen",
        "org:member points to a city (schema:City), a person (foaf:Person)",
        insert="""membership:essen a org:Membership ; org:member city:essen ;
            org:organization network:eurocities ;
            prov:wasDerivedFrom source:bochum-eurocities-page .""",
    ),
    case(
        "membership-with-unknown-derivation",
        "Violation",
        "membership/bochum",
        "ec:derivation is at most one of ec:stated or ec:inferred",
        delete="membership:bochum ec:derivation ec:stated .",
        insert="membership:bochum ec:derivation ec:guessed .",
    ),
    case(
        "membership-with-unknown-confidence",
        "Violation",
        "membership/bochum",
        "ec:confidence is at most one of ec:high, ec:medium or ec:low",
        delete="membership:bochum ec:confidence ec:high .",
        insert="membership:bochum ec:confidence ec:certain .",
    ),
    case(
        "office-without-role",
        "Violation",
        "office/dario-nardella-president-2020",
        "An office needs an org:role",
        delete="office:dario-nardella-president-2020 org:role ec:president .",
    ),
    case(
        "office-with-unknown-role",
        "Violation",
        "office/dario-nardella-president-2020",
        "org:role is at most one of the roles",
        delete="office:dario-nardella-president-2020 org:role ec:president .",
        insert="office:dario-nardella-president-2020 org:role ec:chancellor .",
    ),
    case(
        "mayor-of-the-network",
        "Violation",
        "office/dario-nardella-mayor-of-florence",
        "For a mayoralty (org:role ec:mayor) org:organization is the city",
        delete="office:dario-nardella-mayor-of-florence org:organization city:florence .",
        insert="office:dario-nardella-mayor-of-florence org:organization network:eurocities .",
    ),
    # --- reported figures ---------------------------------------------------------------------
    case(
        "figure-with-negative-value",
        "Violation",
        "figure/bochum-eurocities-page-member-cities-in-country",
        "schema:value of a reported figure is not negative",
        delete=f"{FIGURE} schema:value 23 .",
        insert=f"{FIGURE} schema:value -23 .",
    ),
    case(
        "figure-with-non-numeric-value",
        "Violation",
        "figure/bochum-eurocities-page-member-cities-in-country",
        "exactly one schema:value as a number (xsd:integer or xsd:decimal)",
        delete=f"{FIGURE} schema:value 23 .",
        insert=f'{FIGURE} schema:value "23" .',
    ),
    case(
        "figure-with-unknown-comparator",
        "Violation",
        "figure/bochum-eurocities-page-member-cities-in-country",
        "exactly one ec:comparator: ec:exactly, ec:atLeast or ec:moreThan",
        delete=f"{FIGURE} ec:comparator ec:exactly .",
        insert=f"{FIGURE} ec:comparator ec:about .",
    ),
    case(
        "figure-without-measure",
        "Violation",
        "figure/bochum-eurocities-page-member-cities-in-country",
        "exactly one ec:measure",
        delete=f"{FIGURE} ec:measure ec:memberCitiesInCountry .",
    ),
    case(
        "figure-with-unknown-measure",
        "Violation",
        "figure/bochum-eurocities-page-member-cities-in-country",
        "exactly one ec:measure",
        delete=f"{FIGURE} ec:measure ec:memberCitiesInCountry .",
        insert=f"{FIGURE} ec:measure ec:germanCities .",
    ),
    case(
        "figure-without-about",
        "Violation",
        "figure/bochum-eurocities-page-member-cities-in-country",
        "exactly one ec:about",
        delete=f"{FIGURE} ec:about cgroup:de .",
    ),
    case(
        "figure-without-source",
        "Violation",
        "figure/bochum-eurocities-page-member-cities-in-country",
        "A reported figure needs at least one source",
        delete=f"{FIGURE} prov:wasDerivedFrom source:bochum-eurocities-page .",
    ),
    case(
        "country-group-without-country",
        "Violation",
        "country-group/de",
        "exactly one ec:country",
        delete="cgroup:de ec:country country:de .",
    ),
    # --- sources and graph descriptions -------------------------------------------------------
    case(
        "source-without-title",
        "Violation",
        "source/bochum-eurocities-page",
        "A source needs a title",
        delete='source:bochum-eurocities-page dcterms:title "Eurocities"@de .',
    ),
    case(
        "source-without-publisher",
        "Violation",
        "source/bochum-eurocities-page",
        "A source needs a publisher",
        delete="source:bochum-eurocities-page dcterms:publisher city:bochum .",
    ),
    case(
        "source-without-language",
        "Violation",
        "source/bochum-eurocities-page",
        "A source needs its language",
        delete="""source:bochum-eurocities-page
            dcterms:language <http://id.loc.gov/vocabulary/iso639-1/de> .""",
    ),
    case(
        "source-language-as-string",
        "Violation",
        "source/bochum-eurocities-page",
        "A source needs its language",
        delete="""source:bochum-eurocities-page
            dcterms:language <http://id.loc.gov/vocabulary/iso639-1/de> .""",
        insert='source:bochum-eurocities-page dcterms:language "de" .',
    ),
    case(
        "source-without-page",
        "Warning",
        "source/bochum-eurocities-page",
        "This source has no URL (foaf:page)",
        delete="""source:bochum-eurocities-page
            foaf:page <https://www.bochum.de/Internationales/Eurocities> .""",
    ),
    case(
        "source-without-date-read",
        "Violation",
        "source/bochum-eurocities-page",
        "A source needs exactly one reading date",
        delete='source:bochum-eurocities-page ec:dateRead "2024-09-01"^^xsd:date .',
    ),
    case(
        "graph-description-without-modified",
        "Violation",
        "https://w3id.org/eurocities-kg/graph/founding-page",
        "A named graph needs exactly one modification date",
        delete='graph:founding-page dcterms:modified "2026-11-24"^^xsd:date .',
    ),
    case(
        "graph-description-without-source",
        "Violation",
        "https://w3id.org/eurocities-kg/graph/founding-page",
        "A named graph names its source(s)",
        delete="graph:founding-page prov:wasDerivedFrom source:bochum-eurocities-page .",
    ),
    case(
        "graph-description-not-an-entity",
        "Violation",
        "https://w3id.org/eurocities-kg/graph/founding-page",
        "A named graph is a prov:Entity",
        delete="graph:founding-page a prov:Entity .",
    ),
    # --- persons, units, sites -----------------------------------------------------------------
    case(
        "person-without-name",
        "Violation",
        "person/dario-nardella",
        "A person needs exactly one foaf:name",
        delete='person:dario-nardella foaf:name "Dario Nardella" .',
    ),
    case(
        "person-name-with-language-tag",
        "Violation",
        "person/dario-nardella",
        "A person needs exactly one foaf:name as a plain string",
        delete='person:dario-nardella foaf:name "Dario Nardella" .',
        insert='person:dario-nardella foaf:name "Dario Nardella"@it .',
    ),
    case(
        "person-not-a-schema-person",
        "Warning",
        "person/dario-nardella",
        "A person should also be typed schema:Person",
        delete="person:dario-nardella a schema:Person .",
    ),
    case(
        "forum-not-named-by-the-network",
        "Violation",
        "forum/mobility",
        "The network must also name the forum with org:hasUnit",
        delete="network:eurocities org:hasUnit forum:mobility .",
    ),
    case(
        "working-group-unit-of-the-network",
        "Violation",
        "working-group/mobility-safe-and-active-travel",
        "A working group belongs to a forum",
        delete="wg:mobility-safe-and-active-travel org:unitOf forum:mobility .",
        insert="wg:mobility-safe-and-active-travel org:unitOf network:eurocities .",
    ),
    case(
        "forum-unit-of-two-networks",
        "Violation",
        "forum/mobility",
        "A forum is a unit of the network: at most one org:unitOf",
        insert="""forum:mobility org:unitOf network:other .
            network:other a org:FormalOrganization, schema:Organization ;
            rdfs:label "Anderes Netz"@de, "Other network"@en ;
            schema:description "Ein anderes Netz."@de, "Another network."@en .""",
    ),
    case(
        "body-without-unit-of",
        "Violation",
        "body/executive-committee",
        "belongs to at least one organisation (org:unitOf",
        delete="body:executive-committee org:unitOf network:eurocities .",
    ),
    case(
        "site-without-city",
        "Violation",
        "site/brussels-office",
        "A site lies in exactly one city",
        delete="site:brussels-office schema:containedInPlace city:brussels .",
    ),
]


@pytest.mark.parametrize(("delete", "insert", "severity", "focus", "message", "results"), BAD)
def test_bad_variant_is_reported(delete, insert, severity, focus, message, results):
    found = violations(mutate(delete, insert))
    matching = [r for r in found if r[0] == severity and r[1] == focus and message in r[3]]
    assert matching, found
    assert len(found) == results, found


GOOD_VARIANTS = [
    pytest.param(
        f"{FIGURE} schema:value 23 .",
        f"{FIGURE} schema:value 1.5 .",
        id="decimal-value",
    ),
    pytest.param(
        f'{FIGURE} dcterms:date "2022"^^xsd:gYear .',
        f'{FIGURE} dcterms:date "2022-12-31"^^xsd:date .',
        id="figure-dated-by-day",
    ),
    pytest.param(
        f'{M_BOCHUM}#start> {IN_MONTH} "2021-03"^^xsd:gYearMonth .',
        f'{M_BOCHUM}#start> rdfs:label "Mitte der 1990er"@de, "mid-1990s"@en .',
        id="instant-with-label-only",
    ),
    pytest.param(
        "membership:bochum ec:derivation ec:stated ; ec:confidence ec:high .",
        "membership:bochum ec:derivation ec:inferred ; ec:confidence ec:low .",
        id="inferred-membership-of-low-confidence",
    ),
    pytest.param(
        "",
        """membership:bochum-mobility a org:Membership ; org:member city:bochum ;
            org:organization forum:mobility ; org:role ec:viceChair ;
            prov:wasDerivedFrom source:bochum-eurocities-page .""",
        id="city-with-a-role-in-a-forum",
    ),
    pytest.param(
        "",
        'source:bochum-eurocities-page dcterms:date "2022"^^xsd:gYear .',
        id="source-dated-by-year",
    ),
    pytest.param(
        "",
        """forum:culture a ec:Forum ; rdfs:label "Forum Kultur"@de, "Culture Forum"@en ;
            org:unitOf network:eurocities ; org:hasUnit wg:mobility-safe-and-active-travel .
            network:eurocities org:hasUnit forum:culture .
            wg:mobility-safe-and-active-travel org:unitOf forum:culture .""",
        id="joint-working-group-of-two-forums",
    ),
]


@pytest.mark.parametrize(("delete", "insert"), GOOD_VARIANTS)
def test_good_variant_conforms(delete, insert):
    assert violations(mutate(delete, insert)) == []


# --- the shapes graph itself ------------------------------------------------------------------


def test_shapes_graph_is_valid_shacl():
    """meta_shacl=True first validates the shapes against the SHACL-SHACL shapes (raises if not)."""
    data = Graph().parse(data=PREFIXES + GOOD, format="turtle")
    conforms, _, text = pyshacl.validate(
        data,
        shacl_graph=shapes_graph(),
        inference="none",
        allow_warnings=True,
        advanced=True,
        meta_shacl=True,
    )
    assert conforms, text


def test_meta_shacl_check_rejects_a_broken_shape():
    broken = Graph().parse(SHAPES_PATH, format="turtle")
    broken.parse(
        data=PREFIXES
        + """<https://w3id.org/eurocities-kg/shapes#Broken> a sh:NodeShape ;
            sh:targetClass schema:City ;
            sh:property [ sh:path rdfs:label ; sh:minCount "one" ] .""",
        format="turtle",
    )
    with pytest.raises(ReportableRuntimeError, match="MetaSHACL"):
        pyshacl.validate(Graph(), shacl_graph=broken, advanced=True, meta_shacl=True)


def shape_nodes(graph: Graph) -> set:
    """Every node shape and every property shape (objects of sh:property)."""
    return set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.objects(None, SH.property))


def test_every_shape_has_one_message_in_german_and_one_in_english():
    graph = shapes_graph()
    for shape in shape_nodes(graph):
        languages = sorted(m.language for m in graph.objects(shape, SH.message))
        assert languages == ["de", "en"], (shape, languages)


def test_every_shape_states_its_severity():
    graph = shapes_graph()
    for shape in shape_nodes(graph):
        assert graph.value(shape, SH.severity) in (SH.Violation, SH.Warning), shape


def test_node_shapes_have_shapes_iris_and_labels_in_german_and_english():
    graph = shapes_graph()
    for shape in graph.subjects(RDF.type, SH.NodeShape):
        assert str(shape).startswith(str(ECSH)), shape
        languages = sorted(label.language for label in graph.objects(shape, RDFS.label))
        assert languages == ["de", "en"], (shape, languages)


def test_header_describes_the_shapes_graph():
    graph = shapes_graph()
    header = URIRef("https://w3id.org/eurocities-kg/shapes")
    assert (header, RDF.type, OWL.Ontology) in graph
    titles = sorted(t.language for t in graph.objects(header, DCTERMS.title))
    assert titles == ["de", "en"]
    assert graph.value(header, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert str(graph.value(header, OWL.versionInfo)) == "0.1.0"


def focus_nodes_in_good(shape) -> set:
    """The focus nodes the targets of `shape` select in GOOD (sh:targetClass without
    rdfs:subClassOf, sh:targetSubjectsOf, and SPARQL targets)."""
    graph, data = shapes_graph(), Graph().parse(data=PREFIXES + GOOD, format="turtle")
    nodes = set()
    for cls in graph.objects(shape, SH.targetClass):
        nodes |= set(data.subjects(RDF.type, cls))
    for prop in graph.objects(shape, SH.targetSubjectsOf):
        nodes |= set(data.subjects(prop, None))
    namespaces = {
        str(graph.value(d, SH.prefix)): Namespace(str(graph.value(d, SH.namespace)))
        for d in graph.objects(None, SH.declare)
    }
    for target in graph.objects(shape, SH.target):
        query = str(graph.value(target, SH.select))
        nodes |= {row[0] for row in data.query(query, initNs=namespaces)}
    return nodes


def test_good_graph_gives_every_targeted_shape_a_focus_node():
    graph = shapes_graph()
    targeted = {
        shape
        for shape in graph.subjects(RDF.type, SH.NodeShape)
        if any(
            graph.value(shape, p) is not None
            for p in (SH.targetClass, SH.targetSubjectsOf, SH.target)
        )
    }
    assert len(targeted) >= 20
    idle = sorted(str(shape) for shape in targeted if not focus_nodes_in_good(shape))
    assert idle == []
