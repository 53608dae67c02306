"""The store interface the publisher queries, and its embedded backend (pyoxigraph on a build)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from .build import current_release
from .errors import BuildCorrupt, QuerySyntaxError

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class Store(Protocol):
    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> QueryResult: ...


POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)


def parse_error_message(error: SyntaxError) -> str:
    """pyoxigraph says `error at LINE:COLUMN: what was expected`; say it for people."""
    text = str(error.msg if getattr(error, "msg", None) else error)
    if match := POSITION.match(text):
        line, column, reason = match.groups()
        return f"SPARQL syntax error at line {line}, column {column}: {reason}"
    return f"SPARQL syntax error: {text}"


class EmbeddedStore:
    """A read-only pyoxigraph store. With no dataset given, the default graph is the union of all
    named graphs (the build stores it so, each triple once)."""

    def __init__(self, path: Path) -> None:
        try:
            self._store = ox.Store.read_only(str(path))
        except OSError as error:
            raise BuildCorrupt(f"the store in {path} cannot be opened: {error}") from None

    @classmethod
    def from_build(cls, build_dir: Path) -> EmbeddedStore:
        return cls(current_release(build_dir) / "store")

    def __len__(self) -> int:
        return len(self._store)

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
    ) -> QueryResult:
        try:
            return self._store.query(
                sparql,
                default_graph=[ox.NamedNode(g) for g in default_graphs] or None,
                named_graphs=[ox.NamedNode(g) for g in named_graphs] or None,
            )
        except SyntaxError as error:
            raise QuerySyntaxError(parse_error_message(error)) from None
        except ValueError as error:  # e.g. an IRI that is not valid in default-graph-uri
            raise QuerySyntaxError(str(error)) from None
