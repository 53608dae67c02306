"""Query results as text for a terminal, or in any standard format."""

from __future__ import annotations

import pyoxigraph as ox

from .formats import RDF_FORMATS, RESULTS_FORMATS, rdf_format, results_format
from .namespaces import PREFIXES
from .store import QueryResult

TEXT = "table"
FORMAT_NAMES = (TEXT, *(f.name for f in RESULTS_FORMATS), *(f.name for f in RDF_FORMATS))


def term_text(term: object) -> str:
    """A term as a reader wants it: prefixed names for IRIs, plain literals with their tag."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, iri in PREFIXES.items():
            if term.value.startswith(iri) and len(term.value) > len(iri):
                return f"{prefix}:{term.value[len(iri) :]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"{term.value}@{term.language}"
        return term.value
    return str(term)


def table(solutions: ox.QuerySolutions) -> str:
    names = [v.value for v in solutions.variables]
    rows = [[term_text(solution[name]) for name in names] for solution in solutions]
    widths = [max([len(n), *(len(r[i]) for r in rows)]) for i, n in enumerate(names)]
    line = "+".join("-" * (w + 2) for w in widths)
    out = [" | ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)), line]
    out += [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def render(result: QueryResult, fmt: str = TEXT) -> bytes:
    """Serialize a result: `table` for people, else a SPARQL results format (SELECT/ASK) or an RDF
    format (CONSTRUCT/DESCRIBE)."""
    if isinstance(result, ox.QueryTriples):
        target = rdf_format("turtle" if fmt == TEXT else fmt)
        data = result.serialize(format=target.oxigraph)
        return data or b""
    if fmt == TEXT:
        if isinstance(result, ox.QueryBoolean):
            return b"true\n" if bool(result) else b"false\n"
        return table(result).encode()
    data = result.serialize(format=results_format(fmt).oxigraph)
    return data or b""
