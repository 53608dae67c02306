"""The format table: names, media types, file extensions and serializers, used by content
negotiation, file extensions and the CLI alike."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .errors import UnknownFormat


@dataclass(frozen=True)
class RdfFormat:
    name: str
    label: str
    media_type: str
    extension: str
    oxigraph: ox.RdfFormat
    holds_graphs: bool  # True for dataset formats (named graphs survive)
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResultsFormat:
    name: str
    label: str
    media_type: str
    extension: str
    oxigraph: ox.QueryResultsFormat
    aliases: tuple[str, ...] = ()


RDF_FORMATS: tuple[RdfFormat, ...] = (
    RdfFormat(
        "turtle",
        "Turtle",
        "text/turtle",
        "ttl",
        ox.RdfFormat.TURTLE,
        False,
        ("application/x-turtle",),
    ),
    RdfFormat(
        "ntriples", "N-Triples", "application/n-triples", "nt", ox.RdfFormat.N_TRIPLES, False
    ),
    RdfFormat("jsonld", "JSON-LD", "application/ld+json", "jsonld", ox.RdfFormat.JSON_LD, False),
    RdfFormat("rdfxml", "RDF/XML", "application/rdf+xml", "rdf", ox.RdfFormat.RDF_XML, False),
    RdfFormat("trig", "TriG", "application/trig", "trig", ox.RdfFormat.TRIG, True),
    RdfFormat("nquads", "N-Quads", "application/n-quads", "nq", ox.RdfFormat.N_QUADS, True),
)

RESULTS_FORMATS: tuple[ResultsFormat, ...] = (
    ResultsFormat(
        "json",
        "SPARQL JSON",
        "application/sparql-results+json",
        "srj",
        ox.QueryResultsFormat.JSON,
        ("application/json",),
    ),
    ResultsFormat(
        "xml",
        "SPARQL XML",
        "application/sparql-results+xml",
        "srx",
        ox.QueryResultsFormat.XML,
        ("application/xml",),
    ),
    ResultsFormat("csv", "CSV", "text/csv", "csv", ox.QueryResultsFormat.CSV),
    ResultsFormat("tsv", "TSV", "text/tab-separated-values", "tsv", ox.QueryResultsFormat.TSV),
)

# Files in ontology/ and data/ are read by extension; each file is one graph.
SOURCE_EXTENSIONS = {f.extension: f for f in RDF_FORMATS if not f.holds_graphs}


def rdf_format(key: str) -> RdfFormat:
    """Look an RDF format up by name, extension or media type."""
    for fmt in RDF_FORMATS:
        if key in (fmt.name, fmt.extension, fmt.media_type, *fmt.aliases):
            return fmt
    offered = ", ".join(f.name for f in RDF_FORMATS)
    raise UnknownFormat(f"unknown RDF format {key!r}; offered: {offered}")


def results_format(key: str) -> ResultsFormat:
    """Look a SPARQL results format up by name, extension or media type."""
    for fmt in RESULTS_FORMATS:
        if key in (fmt.name, fmt.extension, fmt.media_type, *fmt.aliases):
            return fmt
    offered = ", ".join(f.name for f in RESULTS_FORMATS)
    raise UnknownFormat(f"unknown results format {key!r}; offered: {offered}")
