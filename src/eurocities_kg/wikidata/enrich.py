"""`eurocities-kg enrich wikidata`: for the things linked to Wikidata, fetch what Wikidata says
(`facts`) into a graph of its own, with provenance.

The model reuses vocabularies and the project's own patterns (README, section "Wikidata"):
W3C WGS84 geo:lat/geo:long; an ec:ReportedFigure for the population (the figure Wikidata reports, dated
by P585); foaf:homepage; Wikidata's own wdt:P1566/wdt:P439 for the two identifiers; an org:Membership
with org:role ec:mayor for a head of government; rdfs:label on the Wikidata item for its labels."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, PROV, RDF, RDFS, TIME, XSD

from ..iris import slugify
from ..namespaces import EC, ID_BASE, SCHEMA
from ..project import Project
from .client import WikidataClient
from .facts import Facts, Head, fetch
from .ourgraph import LANGUAGES, OurGraph, Thing
from .output import (
    Clock,
    GeneratedFile,
    Retrieval,
    describe,
    graph_of,
    new_document,
    now,
    publish,
    to_turtle,
)
from .terms import WDT, WikidataTime, entity

STEM = "links-wikidata-enrichment"
SOURCE = ID_BASE + "source/wikidata-enrichment"
GEO = rdflib.Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
GRAPH_LABELS = {"de": "Angaben aus Wikidata", "en": "Facts from Wikidata"}
ACTIVITY_LABELS = {
    "de": "Abruf von Angaben aus Wikidata (eurocities-kg enrich wikidata)",
    "en": "Retrieval of facts from Wikidata (eurocities-kg enrich wikidata)",
}


def default_output(project: Project) -> Path:
    return project.data_dir / "links" / "wikidata-enrichment.ttl"


# ---------------------------------------------------------------------------------------------------
# The graph


@dataclass(frozen=True)
class People:
    """What our graph knows of persons and mayoralties, to place the heads of government."""

    by_qid: dict[str, str]  # QID → our person (owl:sameAs)
    existing: frozenset[str]  # our person IRIs
    offices_with_period: frozenset[str]

    @classmethod
    def of(cls, graph: OurGraph) -> People:
        return cls(
            {q: t for t, q in graph.links().items() if Thing(t).kind == "person"},
            frozenset(graph.iris_of_kind("person")),
            frozenset(graph.offices_with_period()),
        )


def _slug(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def add_coordinates(document: rdflib.Graph, thing: str, point: tuple[Decimal, Decimal]) -> None:
    document.add((URIRef(thing), GEO.lat, Literal(point[0], datatype=XSD.decimal)))
    document.add((URIRef(thing), GEO.long, Literal(point[1], datatype=XSD.decimal)))


def population_iri(thing: str) -> str:
    short = Thing(thing).short.replace("/", "-")
    return f"{ID_BASE}figure/wikidata-enrichment-population-{short}"


def add_population(
    document: rdflib.Graph, thing: str, figure: tuple[int, WikidataTime | None]
) -> None:
    """The population as a figure Wikidata reports (MODEL.md: an ec:ReportedFigure), dated."""
    node = URIRef(population_iri(thing))
    number, when = figure
    document.add((node, RDF.type, EC.ReportedFigure))
    document.add((node, EC.about, URIRef(thing)))
    document.add((node, EC.measure, EC.population))
    document.add((node, SCHEMA.value, Literal(number, datatype=XSD.integer)))
    document.add((node, EC.comparator, EC.exactly))
    if when is not None:
        lexical, datatype = when.xsd()
        document.add((node, DCTERMS.date, Literal(lexical, datatype=URIRef(datatype))))
    document.add((node, PROV.wasDerivedFrom, URIRef(SOURCE)))


def _person(head: Head, people: People, notes: list[str]) -> tuple[str, bool] | None:
    """Our person for a head of government, and whether it is new to our graph."""
    if head.qid in people.by_qid:
        return people.by_qid[head.qid], False
    name = head.name()
    if not name:
        notes.append(f"{head.qid}: a head of government without a label, left out")
        return None
    iri = f"{ID_BASE}person/{slugify(name)}"
    if iri in people.existing:
        notes.append(
            f"{Thing(iri).short} is in our graph but not linked to {head.qid}: "
            "left out (run `eurocities-kg link wikidata` first)"
        )
        return None
    return iri, True


def add_person(document: rdflib.Graph, iri: str, head: Head) -> None:
    """A person new to our graph; a name reads the same in German and English when Wikidata gives
    it in one language only."""
    name = head.name() or head.qid
    node = URIRef(iri)
    document.add((node, RDF.type, FOAF.Person))
    document.add((node, RDF.type, SCHEMA.Person))
    document.add((node, FOAF.name, Literal(name)))
    for lang in LANGUAGES:
        document.add((node, RDFS.label, Literal(head.labels.get(lang) or name, lang=lang)))


def add_start(document: rdflib.Graph, office: str, start: WikidataTime) -> None:
    period, instant = URIRef(office + "#period"), URIRef(office + "#start")
    lexical, datatype = start.xsd()
    property_name = {"gYear": "inXSDgYear", "gYearMonth": "inXSDgYearMonth"}.get(
        datatype.rsplit("#", 1)[-1], "inXSDDate"
    )
    document.add((URIRef(office), ORG.memberDuring, period))
    document.add((period, RDF.type, TIME.Interval))
    document.add((period, TIME.hasBeginning, instant))
    document.add((instant, RDF.type, TIME.Instant))
    document.add((instant, TIME[property_name], Literal(lexical, datatype=URIRef(datatype))))


def add_head(
    document: rdflib.Graph, city: str, head: Head, people: People, notes: list[str]
) -> None:
    """A current head of government as a mayoralty (MODEL.md: org:Membership, org:role ec:mayor);
    the start only where no other source gives the mayoralty a period."""
    found = _person(head, people, notes)
    if found is None:
        return
    person, new = found
    if new:
        add_person(document, person, head)
    office = f"{ID_BASE}office/{_slug(person)}-mayor-of-{_slug(city)}"
    node = URIRef(office)
    document.add((node, RDF.type, ORG.Membership))
    document.add((node, ORG.member, URIRef(person)))
    document.add((node, ORG.organization, URIRef(city)))
    document.add((node, ORG.role, EC.mayor))
    document.add((node, PROV.wasDerivedFrom, URIRef(SOURCE)))
    if head.start is not None and office not in people.offices_with_period:
        add_start(document, office, head.start)


def enrichment_document(facts: Facts, people: People, about: GeneratedFile) -> rdflib.Graph:
    document = new_document()
    describe(document, about)
    for thing, point in facts.coordinates.items():
        add_coordinates(document, thing, point)
    for thing, figure in facts.populations.items():
        add_population(document, thing, figure)
    for thing, websites in facts.websites.items():
        for website in websites:
            document.add((URIRef(thing), FOAF.homepage, URIRef(website)))
    for thing, identifiers in facts.identifiers.items():
        for prop, found in identifiers.items():
            for text in found:
                document.add((URIRef(thing), URIRef(WDT + prop), Literal(text)))
    for city, heads in facts.heads.items():
        for head in heads:
            add_head(document, city, head, people, facts.notes)
    for qid, labels in facts.labels.items():
        for lang, text in labels.items():
            document.add((URIRef(entity(qid)), RDFS.label, Literal(text, lang=lang)))
    return document


def header(facts: Facts, about: GeneratedFile) -> str:
    run = about.retrieval
    lines = [
        "Source: Wikidata (https://www.wikidata.org/) — facts about our linked things.",
        f"Named graph: {about.graph}",
        f"Generated by `eurocities-kg enrich wikidata` on {run.date} from {run.endpoint}, for the",
        "things data/links/wikidata.ttl links; the queries are in the graph's provenance",
        "(prov:wasGeneratedBy). Do not edit by hand: run it again.",
    ]
    lines += [f"Note: {note}" for note in facts.notes]
    return "\n".join(lines)


@dataclass(frozen=True)
class EnrichRun:
    facts: Facts
    linked: int
    retrieval: Retrieval
    output: Path


def enrich_wikidata(
    project: Project,
    client: WikidataClient,
    output: Path,
    clock: Clock = now,
) -> EnrichRun:
    """Fetch the facts of every linked thing and publish them; raises before writing anything if a
    query fails or the new file would not conform to the shapes."""
    graph = OurGraph.of_project(project)
    links = graph.links()
    started = clock()
    facts, queries = fetch(links, client)
    retrieval = Retrieval(client.endpoint, started, clock(), tuple(queries))
    about = GeneratedFile(
        graph_of(output, project, STEM), SOURCE, GRAPH_LABELS, ACTIVITY_LABELS, retrieval
    )
    document = enrichment_document(facts, People.of(graph), about)
    publish(project, output, about.graph, to_turtle(document, header(facts, about)))
    return EnrichRun(facts, len(links), retrieval, output)
