"""Reading the ontology and the data: one named graph per data file, errors with file and line."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.term import Node

from .errors import SourceFileError
from .formats import SOURCE_EXTENSIONS
from .namespaces import ONTOLOGY_GRAPH, graph_iri
from .project import Project


@dataclass(frozen=True)
class SourceGraph:
    """One file, parsed into the named graph it is loaded as."""

    path: Path
    graph: str
    quads: tuple[ox.Quad, ...]


@dataclass(frozen=True)
class LoadedProject:
    ontology: SourceGraph
    shapes: SourceGraph
    data: tuple[SourceGraph, ...]

    @property
    def published(self) -> tuple[SourceGraph, ...]:
        """What goes into the store and the dumps: the data graphs and the ontology."""
        return (*self.data, self.ontology)


def graph_name_for(path: Path, data_dir: Path) -> str:
    """`data/links/wikidata.ttl` → the IRI of graph `links-wikidata`."""
    relative = path.relative_to(data_dir).with_suffix("")
    return graph_iri("-".join(relative.parts))


def data_files(data_dir: Path) -> list[Path]:
    return sorted(
        p for p in data_dir.rglob("*") if p.is_file() and p.suffix.lstrip(".") in SOURCE_EXTENSIONS
    )


def parse_file(path: Path, graph: str) -> SourceGraph:
    fmt = SOURCE_EXTENSIONS.get(path.suffix.lstrip("."))
    if fmt is None:
        raise SourceFileError(
            path, f"unknown file type; use one of .{', .'.join(SOURCE_EXTENSIONS)}"
        )
    name = ox.NamedNode(graph)
    try:
        # No base IRI: a relative IRI in a data file is an error, not a file:// IRI. Blank nodes are
        # renamed so that `_:a` in two files stays two nodes.
        parsed = ox.parse(
            path=path, format=fmt.oxigraph, rename_blank_nodes=True, without_named_graphs=True
        )
        quads = tuple(ox.Quad(q.subject, q.predicate, q.object, name) for q in parsed)
    except SyntaxError as error:
        reason = str(error.msg) if hasattr(error, "msg") else str(error)
        raise SourceFileError(path, f"syntax error: {reason}", error.lineno, error.offset) from None
    except (OSError, UnicodeDecodeError) as error:
        raise SourceFileError(path, f"cannot be read: {error}") from None
    return SourceGraph(path, graph, quads)


def load_project(project: Project) -> LoadedProject:
    for required in (project.ontology_file, project.shapes_file):
        if not required.is_file():
            raise SourceFileError(required, "missing: the project needs this file")
    files = data_files(project.data_dir)
    if not files:
        raise SourceFileError(
            project.data_dir, "holds no RDF data files (.ttl, .nt, .jsonld, .rdf)"
        )
    return LoadedProject(
        ontology=parse_file(project.ontology_file, ONTOLOGY_GRAPH),
        shapes=parse_file(project.shapes_file, ONTOLOGY_GRAPH + "-shapes"),
        data=tuple(parse_file(p, graph_name_for(p, project.data_dir)) for p in files),
    )


def to_rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
    raise TypeError(f"RDF-star triples are not supported here: {term}")


def to_rdflib_graph(quads: Iterable[ox.Quad]) -> rdflib.Graph:
    """All triples of the quads in one graph (named graphs merged), as pySHACL needs them."""
    graph = rdflib.Graph()
    for quad in quads:
        graph.add(
            (
                to_rdflib_term(quad.subject),
                to_rdflib_term(quad.predicate),
                to_rdflib_term(quad.object),
            )
        )
    return graph


def all_quads(graphs: Iterable[SourceGraph]) -> Iterator[ox.Quad]:
    for source in graphs:
        yield from source.quads
