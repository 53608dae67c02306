"""A store beyond one machine: any SPARQL 1.1 service, queried through the SPARQL 1.1 Protocol and
written through the SPARQL 1.1 Graph Store HTTP Protocol.

- `RemoteStore` implements the `Store` protocol (store.py) over HTTP: it answers with the same
  result types as the embedded store (`ox.QuerySolutions`, `ox.QueryBoolean`, `ox.QueryTriples`),
  so the web layer cannot tell the two apart. Queries are parsed locally first (pyoxigraph, on an
  empty store), so a syntax error is reported with its line and column exactly as the embedded
  store reports it, without a round trip. The protocol dataset (`default-graph-uri`,
  `named-graph-uri`) is passed on as protocol parameters. The base IRI is sent as a `BASE`
  declaration put before the query (a later `BASE` in the query itself still wins), since the
  protocol has no parameter for it.
- `push` writes a build into a store: each named graph by `PUT ?graph=…`, and the default graph —
  the union of the named graphs, each triple once, as the build stores it locally — by
  `PUT ?default`. Named graphs under the dataset's graph base that the build no longer has are
  deleted. Assumed of the store: its default graph is a graph of its own (not a "union default
  graph" setting, which would count a triple once per graph, or twice with the pushed union).
"""

from __future__ import annotations

import http.client
import json
import threading
import urllib.parse
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import EurocitiesKgError, QuerySyntaxError
from .namespaces import GRAPH_BASE
from .query_guard import first_keyword, service_targets
from .release import current_release, read_manifest
from .store import QueryResult, parse_error_message

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
FORM = "application/x-www-form-urlencoded"


class StoreUnavailable(EurocitiesKgError):
    """The remote store could not be reached, or answered with an error that is not the query's."""

    http_status = 502
    title = "store unavailable"


@dataclass(frozen=True)
class Service:
    """Where a SPARQL 1.1 service answers: its query endpoint and its Graph Store endpoint."""

    query_url: str
    gsp_url: str


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes


class HttpClient:
    """Keep-alive HTTP/1.1 connections, one per thread and host (http.client is not thread-safe)."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._local = threading.local()

    def _connection(self, parts: urllib.parse.SplitResult) -> http.client.HTTPConnection:
        pool: dict[tuple[str, str], http.client.HTTPConnection] = self._local.__dict__.setdefault(
            "pool", {}
        )
        key = (parts.scheme, parts.netloc)
        if key not in pool:
            factory = (
                http.client.HTTPSConnection
                if parts.scheme == "https"
                else http.client.HTTPConnection
            )
            pool[key] = factory(parts.netloc, timeout=self.timeout)
        return pool[key]

    def request(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        parts = urllib.parse.urlsplit(url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        for attempt in (1, 2):  # a kept-alive connection the server closed: once more, afresh
            connection = self._connection(parts)
            try:
                connection.request(method, target, body=body, headers=headers or {})
                response = connection.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                return Answer(response.status, response.getheader("Content-Type", ""), data)
            except (http.client.HTTPException, ConnectionError, BrokenPipeError) as error:
                connection.close()
                if attempt == 2:
                    raise StoreUnavailable(f"the store at {url} did not answer: {error}") from None
            except (TimeoutError, OSError) as error:
                connection.close()
                raise StoreUnavailable(f"the store at {url} did not answer: {error}") from None
        raise AssertionError("unreachable")


def _form(pairs: Sequence[tuple[str, str]]) -> bytes:
    return urllib.parse.urlencode(pairs).encode("ascii")


class RemoteStore:
    """A store reached through the SPARQL 1.1 Protocol; the same answers as `EmbeddedStore`."""

    def __init__(self, service: Service, timeout: float = 60.0) -> None:
        self.service = service
        self.client = HttpClient(timeout)
        self._parser = ox.Store()  # empty: queries are parsed here, and run there

    def __repr__(self) -> str:
        return f"RemoteStore({self.service.query_url!r})"

    def _form_of(self, sparql: str, base_iri: str | None) -> str:
        """SELECT, ASK or CONSTRUCT (DESCRIBE answers as CONSTRUCT), with syntax errors raised
        as the embedded store raises them."""
        if service_targets(sparql):  # the empty store would call the SERVICE: read the keyword
            keyword = first_keyword(sparql) or ""
            return "CONSTRUCT" if keyword == "DESCRIBE" else keyword
        try:
            parsed = self._parser.query(sparql, base_iri=base_iri)
        except SyntaxError as error:
            raise QuerySyntaxError(parse_error_message(error)) from None
        except ValueError as error:
            raise QuerySyntaxError(str(error)) from None
        if isinstance(parsed, ox.QueryBoolean):
            return "ASK"
        return "CONSTRUCT" if isinstance(parsed, ox.QueryTriples) else "SELECT"

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        base_iri: str | None = None,
    ) -> QueryResult:
        for graph in (*default_graphs, *named_graphs):
            try:
                ox.NamedNode(graph)
            except ValueError as error:
                raise QuerySyntaxError(str(error)) from None
        form = self._form_of(sparql, base_iri)
        text = f"BASE <{base_iri}>\n{sparql}" if base_iri else sparql
        pairs = [("query", text)]
        pairs += [("default-graph-uri", g) for g in default_graphs]
        pairs += [("named-graph-uri", g) for g in named_graphs]
        accept = N_TRIPLES if form == "CONSTRUCT" else RESULTS_JSON
        answer = self.client.request(
            "POST",
            self.service.query_url,
            _form(pairs),
            {"Content-Type": FORM, "Accept": accept},
        )
        if answer.status == 400:
            reason = answer.body.decode("utf-8", "replace").strip()[:500]
            raise QuerySyntaxError(f"the store refused the query: {reason}")
        if answer.status != 200:
            raise StoreUnavailable(
                f"the store at {self.service.query_url} answered {answer.status}: "
                + answer.body.decode("utf-8", "replace").strip()[:300]
            )
        if form == "CONSTRUCT":
            return _triples(answer.body)
        return ox.parse_query_results(answer.body, format=ox.QueryResultsFormat.JSON)


def _triples(data: bytes) -> ox.QueryTriples:
    """N-Triples as the `QueryTriples` a CONSTRUCT on the embedded store returns."""
    scratch = ox.Store()
    scratch.bulk_extend(
        ox.Quad(t.subject, t.predicate, t.object)
        for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
    )
    result = scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
    assert isinstance(result, ox.QueryTriples)
    return result


# --- the Graph Store Protocol, and pushing a build ---------------------------------------------


class GraphStore:
    """The SPARQL 1.1 Graph Store HTTP Protocol: PUT and DELETE of whole graphs."""

    def __init__(self, service: Service, timeout: float = 600.0) -> None:
        self.service = service
        self.client = HttpClient(timeout)

    def _url(self, graph: str | None) -> str:
        separator = "&" if "?" in self.service.gsp_url else "?"
        if graph is None:
            return f"{self.service.gsp_url}{separator}default"
        return f"{self.service.gsp_url}{separator}graph={urllib.parse.quote(graph, safe='')}"

    def put(self, graph: str | None, ntriples: bytes) -> None:
        answer = self.client.request("PUT", self._url(graph), ntriples, {"Content-Type": N_TRIPLES})
        if answer.status not in (200, 201, 204):
            raise StoreUnavailable(
                f"PUT of {graph or 'the default graph'} answered {answer.status}: "
                + answer.body.decode("utf-8", "replace").strip()[:300]
            )

    def delete(self, graph: str) -> None:
        answer = self.client.request("DELETE", self._url(graph))
        if answer.status not in (200, 204, 404):
            raise StoreUnavailable(f"DELETE of {graph} answered {answer.status}")


@dataclass(frozen=True)
class PushReport:
    service: Service
    graphs: int
    default_triples: int
    deleted: tuple[str, ...]
    remote_triples: int

    @property
    def as_json(self) -> dict[str, Any]:
        return {
            "queryEndpoint": self.service.query_url,
            "graphStore": self.service.gsp_url,
            "graphs": self.graphs,
            "defaultGraphTriples": self.default_triples,
            "deleted": list(self.deleted),
            "remoteTriples": self.remote_triples,
        }


def _graph_payloads(store_path: Path) -> Iterator[tuple[str | None, bytes, int]]:
    """(graph name or None for the default graph, its triples as N-Triples, how many)."""
    store = ox.Store.read_only(str(store_path))
    for graph in sorted(store.named_graphs(), key=str):
        triples = [q.triple for q in store.quads_for_pattern(None, None, None, graph)]
        assert isinstance(graph, ox.NamedNode)
        yield graph.value, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", len(triples)
    default = [q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())]
    yield None, ox.serialize(default, format=ox.RdfFormat.N_TRIPLES) or b"", len(default)


def push(build_dir: Path, service: Service, timeout: float = 600.0) -> PushReport:
    """Write the current build into the store: every named graph, then the default graph (the
    union, each triple once); delete the named graphs under the graph base the build lacks."""
    release = current_release(build_dir)
    manifest = read_manifest(build_dir)
    gsp = GraphStore(service, timeout)
    names: set[str] = set()
    default_triples = 0
    for graph, payload, count in _graph_payloads(release / "store"):
        gsp.put(graph, payload)
        if graph is None:
            default_triples = count
        else:
            names.add(graph)
    remote = RemoteStore(service, timeout)
    present = remote.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(present, ox.QuerySolutions)
    stale = sorted(
        row["g"].value
        for row in present
        if isinstance(row["g"], ox.NamedNode)
        and row["g"].value.startswith(GRAPH_BASE)
        and row["g"].value not in names
    )
    for graph in stale:
        gsp.delete(graph)
    counted = remote.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert isinstance(counted, ox.QuerySolutions)
    count = next(iter(counted))["n"]
    remote_triples = int(count.value) if isinstance(count, ox.Literal) else -1
    if remote_triples != manifest["triples"]:
        raise StoreUnavailable(
            f"after the push the store's default graph holds {remote_triples} triples, the build "
            f"{manifest['triples']}: is its default graph the union of the named graphs "
            "(a union-default-graph setting)? Switch that off: the push writes the union itself"
        )
    return PushReport(service, len(names), default_triples, tuple(stale), remote_triples)


def describe_push(report: PushReport) -> str:
    return json.dumps(report.as_json, indent=2)
