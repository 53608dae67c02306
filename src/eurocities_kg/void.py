"""The VoID description of the dataset (W3C IG Note 2011-03-03), served at /.well-known/void and
merged into the catalogue: the same dataset IRI is the dcat:Dataset and the void:Dataset.

The statistics count the published graph, i.e. the store's default graph (the union of the named
graphs, each triple once), which is what each dump holds; the catalogue and VoID triples are not
part of it (CHECKLIST decision 5.5)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import rdflib
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, VOID

from .catalog import Release, Site, describe_dataset, select
from .namespaces import PREFIXES
from .store import Store

WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
FORMATS = rdflib.Namespace("http://www.w3.org/ns/formats/")
# Formats a /doc/ page of a thing is served in (Cool URIs, CU-5).
DEREFERENCE_FORMATS = ("Turtle", "RDF_XML", "N-Triples", "JSON-LD")
EXAMPLES = ("id/network/eurocities", "id/city/bochum")


@dataclass(frozen=True)
class Statistics:
    triples: int
    entities: int
    classes: int
    properties: int
    distinct_subjects: int
    distinct_objects: int
    links_to_wikidata: tuple[tuple[str, int], ...]  # (link predicate, number of links)
    vocabularies: tuple[str, ...]
    examples: tuple[str, ...]


def _count(store: Store, where: str) -> int:
    [row] = select(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    return int(row["n"].value)


def namespace(iri: str) -> str:
    """The vocabulary of a term: a known prefix's namespace, else the IRI up to its last # or /."""
    known = [ns for ns in PREFIXES.values() if iri.startswith(ns) and iri != ns]
    if known:
        return max(known, key=len)
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def statistics(store: Store, base: str) -> Statistics:
    space = f'"{base}id/"'
    terms = select(
        store, "SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s a ?t FILTER(isIRI(?t)) } }"
    )
    vocabularies = sorted({namespace(row["t"].value) for row in terms})
    examples = tuple(
        base + path for path in EXAMPLES if store.query(f"ASK {{ <{base}{path}> ?p ?o }}")
    )
    return Statistics(
        triples=_count(store, "?s ?p ?o"),
        entities=_count(
            store, f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), {space})) }}"
        ),
        classes=_count(store, "SELECT DISTINCT ?c WHERE { ?s a ?c }"),
        properties=_count(store, "SELECT DISTINCT ?p WHERE { ?s ?p ?o }"),
        distinct_subjects=_count(store, "SELECT DISTINCT ?s WHERE { ?s ?p ?o }"),
        distinct_objects=_count(store, "SELECT DISTINCT ?o WHERE { ?s ?p ?o }"),
        links_to_wikidata=tuple(
            (row["p"].value, int(row["n"].value))
            for row in select(
                store,
                "SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?o) && "
                f'STRSTARTS(STR(?o), "{WIKIDATA_ENTITY}")) }} GROUP BY ?p ORDER BY ?p',
            )
        ),
        vocabularies=tuple(vocabularies),
        examples=examples,
    )


def void_graph(
    site: Site, release: Release, stats: Statistics, graphs: list[Mapping[str, Any]]
) -> rdflib.Graph:
    """The VoID description: the dataset, its statistics, dumps and endpoint, the linkset to
    Wikidata and one subset per named graph."""
    graph = rdflib.Graph()
    describe_dataset(graph, site, release)
    dataset = site.dataset
    graph.add((dataset, RDF.type, VOID.Dataset))
    graph.add((dataset, RDF.type, DCAT.Dataset))
    graph.add((dataset, VOID.sparqlEndpoint, site.endpoint))
    for dump in release.dumps:
        graph.add((dataset, VOID.dataDump, site.download_url(dump.file)))
    graph.add((dataset, VOID.uriSpace, rdflib.Literal(site.base + "id/")))
    for name, value in (
        ("triples", stats.triples),
        ("entities", stats.entities),
        ("classes", stats.classes),
        ("properties", stats.properties),
        ("distinctSubjects", stats.distinct_subjects),
        ("distinctObjects", stats.distinct_objects),
    ):
        graph.add((dataset, VOID[name], rdflib.Literal(value)))
    for vocabulary in stats.vocabularies:
        graph.add((dataset, VOID.vocabulary, rdflib.URIRef(vocabulary)))
    for example in stats.examples:
        graph.add((dataset, VOID.exampleResource, rdflib.URIRef(example)))
    root = site.base + EXAMPLES[0]  # the network: everything else hangs off it
    if root in stats.examples:
        graph.add((dataset, VOID.rootResource, rdflib.URIRef(root)))
    for name in DEREFERENCE_FORMATS:
        graph.add((dataset, VOID.feature, FORMATS[name]))
    _linksets(graph, site, stats)
    for described in graphs:
        subset = rdflib.URIRef(described["graph"])
        graph.add((dataset, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, VOID.triples, rdflib.Literal(described["triples"])))
        name = described["graph"].rsplit("/", 1)[-1]
        graph.add((subset, RDFS.seeAlso, site.url(f"graph/{name}")))
    return graph


def _linksets(graph: rdflib.Graph, site: Site, stats: Statistics) -> None:
    """One linkset per predicate that links to Wikidata (VL-1, VL-4)."""
    wikidata = site.iri("wikidata")
    for predicate, count in stats.links_to_wikidata:
        suffix = "" if predicate == str(OWL.sameAs) else "-" + namespace_local(predicate)
        linkset = site.iri(f"linkset-wikidata{suffix}")
        graph.add((site.dataset, VOID.subset, linkset))
        graph.add((linkset, RDF.type, VOID.Linkset))
        graph.add((linkset, VOID.linkPredicate, rdflib.URIRef(predicate)))
        graph.add((linkset, VOID.subjectsTarget, site.dataset))
        graph.add((linkset, VOID.objectsTarget, wikidata))
        graph.add((linkset, VOID.target, site.dataset))  # both targets, for clients without RDFS
        graph.add((linkset, VOID.target, wikidata))
        graph.add((linkset, VOID.triples, rdflib.Literal(count)))
    graph.add((wikidata, RDF.type, VOID.Dataset))
    graph.add((wikidata, DCTERMS.title, rdflib.Literal("Wikidata", lang="en")))
    graph.add((wikidata, FOAF.homepage, rdflib.URIRef("https://www.wikidata.org/")))
    graph.add((wikidata, VOID.uriSpace, rdflib.Literal(WIKIDATA_ENTITY)))
    graph.add((wikidata, VOID.sparqlEndpoint, rdflib.URIRef("https://query.wikidata.org/sparql")))


def namespace_local(iri: str) -> str:
    return iri[len(namespace(iri)) :]


def void_document(
    site: Site, release: Release, stats: Statistics, graphs: list[Mapping[str, Any]]
) -> rdflib.Graph:
    """The document at /.well-known/void: a void:DatasetDescription of the dataset."""
    graph = void_graph(site, release, stats, graphs)
    document = site.url(".well-known/void")
    graph.add((document, RDF.type, VOID.DatasetDescription))
    graph.add((document, FOAF.primaryTopic, site.dataset))
    graph.add((document, RDFS.seeAlso, site.url("catalog")))
    return graph
