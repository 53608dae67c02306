"""A generated data file: its provenance (the source, the retrieval date, the endpoint and the query
text of every request) and its writing — validated with the rest of the project, written aside and
renamed, so that a failed run leaves the old file as it was."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, VOID, XSD

from ..build import validate_project
from ..errors import ValidationFailed
from ..loading import SourceGraph, graph_name_for, load_project
from ..namespaces import EC, GRAPH_BASE, ID_BASE, PREFIXES
from ..project import Project

LANGUAGE = "http://id.loc.gov/vocabulary/iso639-1/"
WIKIDATA_PAGE = URIRef("https://www.wikidata.org/")
WIKIDATA_PUBLISHER = URIRef(ID_BASE + "organization/wikidata")
SPARQL_QUERY = "application/sparql-query"

NAMESPACES = {
    **PREFIXES,
    "graph": GRAPH_BASE,
    "source": ID_BASE + "source/",
    "network": ID_BASE + "network/",
    "city": ID_BASE + "city/",
    "country": ID_BASE + "country/",
    "person": ID_BASE + "person/",
    "office": ID_BASE + "office/",
    "figure": ID_BASE + "figure/",
    "org_": ID_BASE + "organization/",
    "geo": "http://www.w3.org/2003/01/geo/wgs84_pos#",
    "wdt": "http://www.wikidata.org/prop/direct/",
}


Clock = Callable[[], datetime]


def now() -> datetime:
    """The time of a run, to the second."""
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Retrieval:
    """One run against an endpoint: when, where, and what was asked."""

    endpoint: str
    started: datetime
    ended: datetime
    queries: tuple[tuple[str, str], ...]  # (what was asked, the query text)

    @property
    def date(self) -> str:
        return self.ended.date().isoformat()


@dataclass(frozen=True)
class GeneratedFile:
    """What a generated file says about itself: its graph, its source and the run."""

    graph: str  # the graph's IRI
    source: str  # the source's IRI
    labels: dict[str, str]  # of the graph, by language
    activity: dict[str, str]  # labels of the run, by language
    retrieval: Retrieval


def new_document() -> rdflib.Graph:
    document = rdflib.Graph(bind_namespaces="none")
    for prefix, iri in NAMESPACES.items():
        document.bind(prefix, iri)
    return document


def _date(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


def _labelled(document: rdflib.Graph, node: URIRef | BNode, labels: dict[str, str]) -> None:
    for lang, text in labels.items():
        document.add((node, RDFS.label, Literal(text, lang=lang)))


def describe(document: rdflib.Graph, about: GeneratedFile) -> None:
    """The graph describes itself (source, date, the run that made it) and its source."""
    run = about.retrieval
    graph, source = URIRef(about.graph), URIRef(about.source)
    document.add((graph, RDF.type, PROV.Entity))
    document.add((graph, PROV.wasDerivedFrom, source))
    document.add((graph, DCTERMS.modified, _date(run.date)))
    _labelled(document, graph, about.labels)
    # blank nodes with fixed names: the same run gives the same file, in the same order
    activity = BNode(f"{about.graph.rsplit('/', 1)[-1]}-run")
    document.add((graph, PROV.wasGeneratedBy, activity))
    _describe_activity(document, activity, about)
    _describe_source(document, source, run)


def _describe_activity(document: rdflib.Graph, activity: BNode, about: GeneratedFile) -> None:
    run = about.retrieval
    document.add((activity, RDF.type, PROV.Activity))
    _labelled(document, activity, about.activity)
    document.add((activity, PROV.startedAtTime, Literal(run.started, datatype=XSD.dateTime)))
    document.add((activity, PROV.endedAtTime, Literal(run.ended, datatype=XSD.dateTime)))
    document.add((activity, PROV.used, URIRef(run.endpoint)))
    for number, (name, text) in enumerate(run.queries, 1):
        query = BNode(f"{activity}-query-{number:02d}")
        document.add((activity, PROV.used, query))
        document.add((query, RDF.type, PROV.Entity))
        _labelled(document, query, {"de": f"SPARQL-Abfrage: {name}", "en": f"SPARQL query: {name}"})
        document.add((query, DCTERMS["format"], Literal(SPARQL_QUERY)))
        document.add((query, PROV.value, Literal(text)))


def _describe_source(document: rdflib.Graph, source: URIRef, run: Retrieval) -> None:
    document.add((source, RDF.type, PROV.Entity))
    document.add((source, RDF.type, FOAF.Document))
    document.add((source, DCTERMS.title, Literal("Wikidata", lang="en")))
    document.add((source, DCTERMS.publisher, WIKIDATA_PUBLISHER))
    for lang in ("de", "en"):
        document.add((source, DCTERMS.language, URIRef(LANGUAGE + lang)))
    document.add((source, FOAF.page, WIKIDATA_PAGE))
    document.add((source, VOID.sparqlEndpoint, URIRef(run.endpoint)))
    document.add((source, EC.dateRead, _date(run.date)))
    _labelled(document, source, {"de": "Wikidata", "en": "Wikidata"})
    document.add((WIKIDATA_PUBLISHER, RDF.type, FOAF.Organization))
    _labelled(document, WIKIDATA_PUBLISHER, {"de": "Wikidata", "en": "Wikidata"})


def to_turtle(document: rdflib.Graph, header: str) -> str:
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.strip().splitlines())
    return comment + "\n" + document.serialize(format="turtle")


def graph_of(output: Path, project: Project, default_stem: str) -> str:
    """The graph a file becomes: by its place in data/, else the default for its kind."""
    try:
        return graph_name_for(output.resolve(), project.data_dir.resolve())
    except ValueError:
        return GRAPH_BASE + default_stem


def check_conforms(project: Project, output: Path, graph: str, text: str) -> None:
    """Validate the project as it would be with this file in place of the graph it becomes."""
    quads = tuple(
        ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(graph))
        for q in ox.parse(text, format=ox.RdfFormat.TURTLE, rename_blank_nodes=True)
    )
    loaded = load_project(project)
    others = tuple(g for g in loaded.data if g.graph != graph)
    candidate = replace(loaded, data=(*others, SourceGraph(output, graph, quads)))
    report = validate_project(project, candidate)
    if not report.conforms:
        raise ValidationFailed(
            f"the new {output.name} would not conform to the shapes; nothing was written", report
        )


def write_atomically(path: Path, text: str) -> None:
    """Write aside, then rename: readers see the old file or the new one, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with aside.open("w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(aside, path)
    finally:
        aside.unlink(missing_ok=True)


def publish(project: Project, output: Path, graph: str, text: str) -> None:
    check_conforms(project, output, graph, text)
    write_atomically(output, text)
