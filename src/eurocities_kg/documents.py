"""RDF documents as the publisher serves them: a graph (built with rdflib, or oxigraph triples and
quads) serialized in a format of the format table, with readable prefixes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox
import rdflib

from .formats import RDF_FORMATS, RdfFormat
from .namespaces import PREFIXES

# Formats for one graph (a document); the dataset formats (TriG, N-Quads) are for named graphs.
GRAPH_FORMATS: tuple[RdfFormat, ...] = tuple(f for f in RDF_FORMATS if not f.holds_graphs)

# Vocabularies of the catalogue besides the project's own prefixes.
CATALOG_PREFIXES = {
    "dcatap": "http://data.europa.eu/r5r/",
    "dcatde": "http://dcat-ap.de/def/dcatde/",
    "adms": "http://www.w3.org/ns/adms#",
    "spdx": "http://spdx.org/rdf/terms#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "locn": "http://www.w3.org/ns/locn#",
}


def from_rdflib(graph: rdflib.Graph) -> list[ox.Triple]:
    data = graph.serialize(format="nt", encoding="utf-8")
    return [t.triple for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]


def canonical(triples: Iterable[ox.Triple]) -> list[ox.Triple]:
    """The triples with blank nodes named canonically (RDFC-1.0): the same graph, the same bytes."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return [q.triple for q in dataset]


def serialize(
    items: Iterable[ox.Triple] | Iterable[ox.Quad],
    fmt: RdfFormat,
    prefixes: Mapping[str, str] | None = None,
) -> bytes:
    """Triples (or quads, for TriG and N-Quads) in `fmt`, sorted so that the same graph always
    gives the same bytes (and ETag)."""
    ordered: list[ox.Triple] | list[ox.Quad] = (
        sorted((_quad(i) for i in items), key=str)
        if fmt.holds_graphs
        else sorted((i.triple if isinstance(i, ox.Quad) else i for i in items), key=str)
    )
    names = None if fmt.name in ("ntriples", "nquads") else _used(ordered, prefixes or {})
    return ox.serialize(ordered, format=fmt.oxigraph, prefixes=names) or b""


def _used(items: Iterable[ox.Triple | ox.Quad], extra: Mapping[str, str]) -> dict[str, str]:
    """The prefixes whose namespace some IRI of `items` is in."""
    iris = {
        term.value
        for item in items
        for term in (item.subject, item.predicate, item.object)
        if isinstance(term, ox.NamedNode)
    }
    iris |= {term.datatype.value for item in items if isinstance(term := item.object, ox.Literal)}
    return {
        name: namespace
        for name, namespace in {**PREFIXES, **extra}.items()
        if any(iri.startswith(namespace) for iri in iris)
    }


def _quad(item: ox.Triple | ox.Quad) -> ox.Quad:
    if isinstance(item, ox.Quad):
        return item
    return ox.Quad(item.subject, item.predicate, item.object)
