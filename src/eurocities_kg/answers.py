"""A SPARQL query answered as bytes in a chosen format, cut at the result limit — never silently.

The endpoint's query worker processes (query_pool.py) run `answer`: the result is read and written
where the query runs, so the time limit covers the whole answer. A result beyond the limit is cut at
it: `Answer.truncated` says so (the web layer sends it as a header) and where a format allows a note,
the body carries one — a `link` in the head of SPARQL JSON and XML results, a comment in Turtle,
N-Triples, N-Quads, TriG and RDF/XML. CSV, TSV and JSON-LD have no place for a note; the header is
their signal.

pyoxigraph writes the result as SPARQL TSV (solutions) or N-Triples (triples) — one line per row or
triple — into a file that stops it after the limit's lines; those are read back and written in the
format asked for. The cut costs no Python per row, and no term is ever written by hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph as ox

from .errors import EurocitiesKgError, ServiceFailed
from .formats import rdf_format, results_format
from .query_guard import service_targets
from .store import Store

SOLUTIONS, BOOLEAN, TRIPLES = "solutions", "boolean", "triples"


@dataclass(frozen=True)
class Job:
    """A query to answer, with the format to write for each kind of result it may have (a format
    name of formats.py, or None when the client accepts no format for that kind)."""

    sparql: str
    formats: dict[str, str | None]
    limit: int
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None
    note_link: str | None = None  # where the body's note points (the limits, described)


@dataclass(frozen=True)
class Answer:
    kind: str  # SOLUTIONS, BOOLEAN or TRIPLES
    format: str | None  # None: no format for this kind was acceptable, and nothing was written
    media_type: str = ""
    body: bytes = b""
    truncated: bool = False
    size: int = 0  # rows or triples written


def answer(store: Store, job: Job) -> Answer:
    """Run the job's query on the store and write its result; errors as the store raises them, and
    a failed SERVICE call (surfacing while the lazy result is read) as ServiceFailed."""
    result = store.query(
        job.sparql,
        default_graphs=job.default_graphs,
        named_graphs=job.named_graphs,
        base_iri=job.base_iri,
    )
    try:
        return _write(result, job)
    except (OSError, SyntaxError, ValueError, RuntimeError) as error:  # e.g. a bad remote answer
        if service_targets(job.sparql):
            raise ServiceFailed(f"a SERVICE call of this query failed: {error}") from None
        if isinstance(error, OSError):
            raise EurocitiesKgError(
                f"the store failed while the result was read: {error}"
            ) from None
        raise


def _write(result: object, job: Job) -> Answer:
    if isinstance(result, ox.QueryBoolean):
        name = job.formats.get(BOOLEAN)
        if name is None:
            return Answer(BOOLEAN, None)
        fmt = results_format(name)
        return Answer(BOOLEAN, name, fmt.media_type, result.serialize(format=fmt.oxigraph) or b"")
    if isinstance(result, ox.QueryTriples):
        name = job.formats.get(TRIPLES)
        if name is None:
            return Answer(TRIPLES, None)
        lines = _LineCap(job.limit)  # N-Triples: one line per triple
        _serialize_until_full(result, ox.RdfFormat.N_TRIPLES, lines)
        rdf = rdf_format(name)
        body = lines.data
        if name != "ntriples":
            triples = ox.parse(body, format=ox.RdfFormat.N_TRIPLES)
            body = ox.serialize(triples, format=rdf.oxigraph) or b""
        if lines.full:
            body = _rdf_note(name, body, _note(job))
        return Answer(TRIPLES, name, rdf.media_type, body, lines.full, lines.count)
    assert isinstance(result, ox.QuerySolutions)
    name = job.formats.get(SOLUTIONS)
    if name is None:
        return Answer(SOLUTIONS, None)
    lines = _LineCap(job.limit + 1)  # TSV: a line of variables, then one line per row
    _serialize_until_full(result, ox.QueryResultsFormat.TSV, lines)
    fmt = results_format(name)
    body = lines.data
    if name != "tsv":
        solutions = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
        assert isinstance(solutions, ox.QuerySolutions)
        body = solutions.serialize(format=fmt.oxigraph) or b""
    if lines.full and job.note_link:
        body = _results_note(name, body, job.note_link, _note(job))
    return Answer(SOLUTIONS, name, fmt.media_type, body, lines.full, lines.count - 1)


class _Full(Exception):
    pass


class _LineCap:
    """A file pyoxigraph writes into, which stops the writing (and so the query) once it holds
    more than `lines` lines: in TSV and N-Triples, a line is a row or a triple (a newline inside
    a literal is written escaped)."""

    def __init__(self, lines: int) -> None:
        self.lines = lines
        self.seen = 0
        self.full = False
        self._chunks: list[bytes] = []

    def write(self, chunk: bytes) -> int:
        self._chunks.append(bytes(chunk))
        self.seen += chunk.count(b"\n")
        if self.seen > self.lines:
            self.full = True
            raise _Full
        return len(chunk)

    def flush(self) -> None:
        pass

    @property
    def data(self) -> bytes:
        """The first `lines` lines written."""
        data = b"".join(self._chunks)
        if not self.full:
            return data
        return b"\n".join(data.split(b"\n", self.lines)[: self.lines]) + b"\n"

    @property
    def count(self) -> int:
        return min(self.seen, self.lines)


def _serialize_until_full(
    result: ox.QuerySolutions | ox.QueryTriples,
    fmt: ox.QueryResultsFormat | ox.RdfFormat,
    output: _LineCap,
) -> None:
    try:
        result.serialize(output, format=fmt)  # type: ignore[arg-type]
    except Exception:
        if not output.full:  # not the cap stopping it: a failure of the query itself
            raise


def _note(job: Job) -> str:
    where = f"; see {job.note_link}" if job.note_link else ""
    return f"result cut at the endpoint's limit of {job.limit} (more were found){where}"


def _xml_comment(text: str) -> bytes:
    return f"<!-- {text.replace('--', '- -')} -->".encode()


def _rdf_note(name: str, body: bytes, text: str) -> bytes:
    if name == "rdfxml":  # after the XML declaration
        head, declaration, rest = body.partition(b"?>")
        return head + declaration + b"\n" + _xml_comment(text) + rest if declaration else body
    if name == "jsonld":  # JSON has no comments
        return body
    return f"# {text}\n".encode() + body


def _results_note(name: str, body: bytes, link: str, text: str) -> bytes:
    """The head's `link` (SPARQL 1.1 JSON and XML results both have one) names the limits."""
    if name == "json":
        document = json.loads(body)
        document["head"]["link"] = [link]
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if name == "xml":
        escaped = link.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        body = body.replace(b"</head>", f'<link href="{escaped}"/></head>'.encode(), 1)
        return body.replace(b"?>", b"?>" + _xml_comment(text), 1)
    return body
