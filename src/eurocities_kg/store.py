"""The store interface the publisher queries, and its embedded backend (pyoxigraph on a build)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from .errors import BuildCorrupt, EurocitiesKgError, QuerySyntaxError
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
        except (OSError, RuntimeError) as error:  # RocksDB reports corruption as RuntimeError
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


# --- the table of stores: which backend a store URL names ---------------------------------------


@dataclass(frozen=True)
class StoreKind:
    """A kind of store, chosen by the scheme of a store URL. For a SPARQL service, the URL names
    the service and the paths of its query and Graph Store endpoints are appended to it."""

    scheme: str
    what: str
    query_path: str = ""
    gsp_path: str = ""

    @property
    def remote(self) -> bool:
        return self.scheme != "file"


STORE_KINDS: tuple[StoreKind, ...] = (
    StoreKind("file", "the embedded pyoxigraph store of a build directory (the default)"),
    StoreKind(
        "http",
        "any SPARQL 1.1 service: the URL is its query endpoint, and also its Graph Store "
        "endpoint unless `--gsp`/`EUROCITIES_KG_STORE_GSP` names another",
    ),
    StoreKind("oxigraph+http", "an Oxigraph server (`oxigraph serve`)", "/query", "/store"),
    StoreKind("fuseki+http", "an Apache Jena Fuseki dataset, e.g. …/ds", "/query", "/data"),
    StoreKind(
        "graphdb+http", "a GraphDB repository, e.g. …/repositories/kg", "", "/rdf-graphs/service"
    ),
    StoreKind("virtuoso+http", "a Virtuoso server", "/sparql", "/sparql-graph-crud"),
)


class StoreUrlError(EurocitiesKgError):
    title = "store not usable"


def store_kind(url: str) -> StoreKind:
    """The kind of store a URL names: by its scheme (`https` as `http`; `…+https` as `…+http`)."""
    scheme = url.partition("://")[0].lower() if "://" in url else "file"
    scheme = scheme.removesuffix("s") if scheme.endswith(("http", "https")) else scheme
    for kind in STORE_KINDS:
        if kind.scheme == scheme:
            return kind
    names = ", ".join(f"{k.scheme}://" for k in STORE_KINDS)
    raise StoreUrlError(f"unknown kind of store {url!r}: use one of {names}")


def service_for(url: str, gsp: str | None = None) -> Any:
    """The query and Graph Store endpoints (a `remote.Service`) of a store URL."""
    from .remote import Service

    kind = store_kind(url)
    if not kind.remote:
        raise StoreUrlError(f"{url} is a local store: it has no SPARQL service to push to")
    scheme, _, rest = url.partition("://")
    secure = scheme.lower().endswith("s")
    base = ("https://" if secure else "http://") + rest.rstrip("/")
    return Service(base + kind.query_path, gsp or base + kind.gsp_path)


def open_store(
    url: str | None, build_dir: Path, *, gsp: str | None = None, timeout: float = 60.0
) -> Store:
    """The store a URL names (None: the current build's embedded store)."""
    if url is None:
        return EmbeddedStore.from_build(build_dir)
    kind = store_kind(url)
    if not kind.remote:
        path = Path(url.removeprefix("file://"))
        return (
            EmbeddedStore.from_build(path)
            if (path / "current").exists()
            else EmbeddedStore.open(path)
        )
    from .remote import RemoteStore

    return RemoteStore(service_for(url, gsp), timeout)
