"""Terms and results as templates show them: IRIs under the canonical base become links to this host
(term by term), other IRIs link out, literals keep their language and datatype."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ..iris import local_path
from ..namespaces import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


@dataclass(frozen=True)
class TermView:
    kind: str  # "iri", "literal", "bnode", "empty"
    text: str  # what to show
    href: str | None = None  # where a link goes (a path on this host, or the IRI itself)
    iri: str | None = None
    lang: str | None = None
    datatype: str | None = None  # a prefixed name, for typed literals other than strings


def short_name(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def term_view(term: object, base: str, labels: dict[str, str] | None = None) -> TermView:
    if term is None:
        return TermView("empty", "")
    if isinstance(term, ox.NamedNode):
        iri = term.value
        path = local_path(iri, base)
        text = (labels or {}).get(iri) or short_name(iri)
        return TermView("iri", text, href=path or iri, iri=iri)
    if isinstance(term, ox.BlankNode):
        return TermView("bnode", f"_:{term.value}")
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        shown = None if datatype in (XSD_STRING, RDF_LANG_STRING) else short_name(datatype)
        return TermView("literal", term.value, lang=term.language, datatype=shown)
    return TermView("literal", str(term))


@dataclass(frozen=True)
class ResultTable:
    columns: tuple[str, ...]
    rows: tuple[tuple[TermView, ...], ...]  # one TermView per column
    boolean: bool | None = None


def result_table(result: object, base: str) -> ResultTable:
    """Any query result as a table: SELECT rows, CONSTRUCT triples, or an ASK answer."""
    if isinstance(result, ox.QueryBoolean):
        return ResultTable((), (), boolean=bool(result))
    if isinstance(result, ox.QueryTriples):
        triples: tuple[tuple[TermView, ...], ...] = tuple(
            tuple(term_view(term, base) for term in (t.subject, t.predicate, t.object))
            for t in result
        )
        return ResultTable(("subject", "predicate", "object"), triples)
    assert isinstance(result, ox.QuerySolutions)
    names = tuple(v.value for v in result.variables)
    rows = tuple(tuple(term_view(solution[name], base) for name in names) for solution in result)
    return ResultTable(names, rows)
