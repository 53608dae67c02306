"""The store interface the publisher queries, and its embedded backend (pyoxigraph on a build)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from .errors import BuildCorrupt, QuerySyntaxError
from .release import current_release

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class Store(Protocol):
    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        base_iri: str | None = None,
    ) -> QueryResult: ...


POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)


def parse_error_message(error: SyntaxError) -> str:
    """pyoxigraph says `error at LINE:COLUMN: what was expected`; say it for people."""
    text = str(error.msg if getattr(error, "msg", None) else error)
    if match := POSITION.match(text):
        line, column, reason = match.groups()
        return f"SPARQL syntax error at line {line}, column {column}: {reason}"
    return f"SPARQL syntax error: {text}"


def with_union_default_graph(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The quads plus each distinct triple once in the default graph: pyoxigraph's own union mode
    returns a triple once per graph that holds it, which would break counts."""
    named = [q for q in quads if not isinstance(q.graph_name, ox.DefaultGraph)]
    triples = dict.fromkeys(q.triple for q in named)
    return [*named, *(ox.Quad(t.subject, t.predicate, t.object) for t in triples)]


class EmbeddedStore:
    """A pyoxigraph store. With no dataset given, the default graph is the union of all named graphs
    (stored so by the build, each triple once)."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store

    @classmethod
    def open(cls, path: Path) -> EmbeddedStore:
        try:
            return cls(ox.Store.read_only(str(path)))
        except OSError as error:
            raise BuildCorrupt(f"the store in {path} cannot be opened: {error}") from None

    @classmethod
    def from_build(cls, build_dir: Path) -> EmbeddedStore:
        return cls.open(current_release(build_dir) / "store")

    @classmethod
    def in_memory(cls, quads: Iterable[ox.Quad]) -> EmbeddedStore:
        store = ox.Store()
        store.extend(with_union_default_graph(quads))
        return cls(store)

    def __len__(self) -> int:
        return len(self._store)

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        base_iri: str | None = None,
    ) -> QueryResult:
        """A protocol dataset (default and/or named graphs) replaces the store's default dataset:
        a graph not given is not in it."""
        protocol_dataset = bool(default_graphs or named_graphs)
        try:
            return self._store.query(
                sparql,
                base_iri=base_iri,
                default_graph=[ox.NamedNode(g) for g in default_graphs]
                if protocol_dataset
                else None,
                named_graphs=[ox.NamedNode(g) for g in named_graphs] if protocol_dataset else None,
            )
        except SyntaxError as error:
            raise QuerySyntaxError(parse_error_message(error)) from None
        except ValueError as error:  # e.g. default-graph-uri is not an IRI
            raise QuerySyntaxError(str(error)) from None
