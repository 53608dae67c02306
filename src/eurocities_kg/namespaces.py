"""IRIs of the dataset and the vocabularies it uses, written once."""

from rdflib import Namespace
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SH,
    SKOS,
    TIME,
    VOID,
    XSD,
    ClosedNamespace,
)

CANONICAL_BASE = "https://w3id.org/eurocities-kg/"

# The ontology's own terms, closed: a typo such as EC.Fourm fails at once.
# tests/test_namespaces.py keeps this list equal to the terms ontology/eurocities.ttl defines.
EC_TERMS = (
    "Activity",
    "Comparator",
    "Comparators",
    "Confidence",
    "ConfidenceLevels",
    "CountryGroup",
    "Derivation",
    "Derivations",
    "Forum",
    "Measure",
    "Measures",
    "MembershipCategories",
    "MembershipCategory",
    "PolicyTopic",
    "ReportedFigure",
    "WorkingGroup",
    "about",
    "activity",
    "associateMemberCategory",
    "associatedBusinessPartnerCategory",
    "associatedPartners",
    "atLeast",
    "businessPartners",
    "chair",
    "comparator",
    "confidence",
    "countries",
    "country",
    "dateRead",
    "derivation",
    "electedMayorsLeading",
    "eligibility",
    "exactly",
    "forums",
    "groupOf",
    "high",
    "inferred",
    "inhabitantsRepresented",
    "low",
    "mayor",
    "measure",
    "medium",
    "memberCategory",
    "memberCities",
    "memberCitiesInCountry",
    "members",
    "membershipCategory",
    "moreThan",
    "occupiedSince",
    "partnerCategory",
    "policyTopic",
    "population",
    "president",
    "secretaryGeneral",
    "sizeRankAmongCountryGroups",
    "sizeRankAmongEuropeanCityNetworks",
    "stated",
    "termLength",
    "viceChair",
    "vicePresident",
    "workingGroups",
)
EC = ClosedNamespace(CANONICAL_BASE + "def#", list(EC_TERMS))
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
ONTOLOGY_IRI = CANONICAL_BASE + "def"
ID_BASE = CANONICAL_BASE + "id/"
GRAPH_BASE = CANONICAL_BASE + "graph/"
ONTOLOGY_GRAPH = GRAPH_BASE + "ontology"

# One licence IRI for the data everywhere (catalogue, VoID, documents): the DCAT-AP.de licence concept,
# which is skos:exactMatch the Creative Commons deed that people read.
DATA_LICENSE = "http://dcat-ap.de/def/licenses/cc-by/4.0"
DATA_LICENSE_PAGE = "https://creativecommons.org/licenses/by/4.0/"

PREFIXES: dict[str, str] = {
    "ec": str(EC),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "time": str(TIME),
    "foaf": str(FOAF),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "dcat": str(DCAT),
    "void": str(VOID),
    "sd": str(SD),
    "sh": str(SH),
    "wd": str(WD),
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
}


def graph_iri(file_stem: str) -> str:
    """The named graph of a data file: `data/links/wikidata.ttl` → `graph/links-wikidata`."""
    return GRAPH_BASE + file_stem


def sparql_prologue() -> str:
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
