"""The SPARQL 1.1 Service Description of the endpoint: result formats, the default dataset with its
named graphs and their sizes, and the limits."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from .formats import RDF_FORMATS, RESULTS_FORMATS

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
FORMATS_NS = "http://www.w3.org/ns/formats/"

# W3C "Unique URIs for File Formats"
FORMAT_IRIS = {
    "json": "SPARQL_Results_JSON",
    "xml": "SPARQL_Results_XML",
    "csv": "SPARQL_Results_CSV",
    "tsv": "SPARQL_Results_TSV",
    "turtle": "Turtle",
    "ntriples": "N-Triples",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF_XML",
    "trig": "TriG",
    "nquads": "N-Quads",
}


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))


def service_description(
    endpoint: str, manifest: Mapping[str, Any], limits: Mapping[str, str] | None = None
) -> list[ox.Triple]:
    service = ox.NamedNode(endpoint + "#service")
    dataset = ox.NamedNode(endpoint + "#dataset")
    default_graph = ox.NamedNode(endpoint + "#default-graph")
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, _sd("Graph")),
        ox.Triple(default_graph, ox.NamedNode(VOID + "triples"), _integer(manifest["triples"])),
    ]
    for name in [f.name for f in RESULTS_FORMATS] + [f.name for f in RDF_FORMATS]:
        iri = ox.NamedNode(FORMATS_NS + FORMAT_IRIS[name])
        triples.append(ox.Triple(service, _sd("resultFormat"), iri))
    for graph in manifest["graphs"]:
        named = ox.NamedNode(f"{endpoint}#graph-{graph['graph'].rsplit('/', 1)[-1]}")
        inner = ox.NamedNode(f"{endpoint}#graph-{graph['graph'].rsplit('/', 1)[-1]}-content")
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), ox.NamedNode(graph["graph"])),
            ox.Triple(named, _sd("graph"), inner),
            ox.Triple(inner, RDF_TYPE, _sd("Graph")),
            ox.Triple(inner, ox.NamedNode(VOID + "triples"), _integer(graph["triples"])),
        ]
    for name, text in (limits or {}).items():
        triples.append(
            ox.Triple(service, RDFS_COMMENT, ox.Literal(f"{name}: {text}", language="en"))
        )
    return triples
