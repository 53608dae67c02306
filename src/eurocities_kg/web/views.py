"""Terms and results as templates show them: IRIs under the canonical base become links to this host
(term by term), other web IRIs link out, literals keep their language and datatype.

Data never becomes markup or script: templates escape every text; an IRI only becomes a link when it is
a web address (`http`, `https`) or `mailto` — `javascript:`, `data:` and any other scheme are shown as
text; control characters are shown as U+FFFD, and over-long literals and labels are shortened (the RDF
formats carry them whole)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

import pyoxigraph as ox

from ..iris import local_path
from ..namespaces import PREFIXES

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
MAX_TEXT = (
    1000  # characters of a literal or label an HTML page shows; the RDF formats carry it whole
)
LINK_SCHEMES = ("http", "https", "mailto")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f\\]")  # a browser strips or rewrites these


@dataclass(frozen=True)
class TermView:
    kind: str  # "iri", "literal", "bnode", "empty"
    text: str  # what to show
    href: str | None = None  # where a link goes (a path on this host, or the IRI itself)
    iri: str | None = None
    lang: str | None = None
    datatype: str | None = None  # a prefixed name, for typed literals other than strings
    text_lang: str | None = None  # the language of an IRI's label when it is not the page's
    shortened: bool = False  # `text` is cut at MAX_TEXT characters


def safe_href(iri: str) -> str | None:
    """The IRI as a link target when it is a web address (or mailto); None for any other scheme
    (`javascript:`, `data:`, `file:`, …) or an IRI a browser could read differently."""
    if UNSAFE_IN_URL.search(iri):
        return None
    try:
        scheme = urlsplit(iri).scheme.lower()
    except ValueError:
        return None
    return iri if scheme in LINK_SCHEMES else None


def visible(text: str, limit: int = MAX_TEXT) -> tuple[str, bool]:
    """Text for an HTML page: control characters replaced by U+FFFD, cut at `limit` characters
    (with an ellipsis); and whether it was cut."""
    shown = CONTROL.sub("\ufffd", text)
    if len(shown) <= limit:
        return shown, False
    return shown[:limit].rstrip() + "…", True


def shown(view: TermView) -> TermView:
    """The view with its text made visible (see `visible`)."""
    text, cut = visible(view.text)
    return replace(view, text=text, shortened=cut)


def short_name(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def term_view(term: object, base: str, labels: dict[str, str] | None = None) -> TermView:
    """How a template shows a term: an IRI links to this host (ours), out (a web address) or not
    at all (any other scheme); texts are made visible and shortened."""
    if term is None:
        return TermView("empty", "")
    if isinstance(term, ox.NamedNode):
        iri = term.value
        path = local_path(iri, base)
        text = (labels or {}).get(iri) or short_name(iri)
        return shown(TermView("iri", text, href=path or safe_href(iri), iri=iri))
    if isinstance(term, ox.BlankNode):
        return shown(TermView("bnode", f"_:{term.value}"))
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        named = None if datatype in (XSD_STRING, RDF_LANG_STRING) else short_name(datatype)
        return shown(TermView("literal", term.value, lang=term.language, datatype=named))
    return shown(TermView("literal", str(term)))


@dataclass(frozen=True)
class ResultTable:
    columns: tuple[str, ...]
    rows: tuple[tuple[TermView, ...], ...]  # one TermView per column
    boolean: bool | None = None


def result_table(result: object, base: str) -> ResultTable:
    """Any query result as a table: SELECT rows, CONSTRUCT triples (`QueryTriples` or a list of
    triples), or an ASK answer."""
    if isinstance(result, ox.QueryBoolean):
        return ResultTable((), (), boolean=bool(result))
    if isinstance(result, (ox.QueryTriples, list)):
        triples: tuple[tuple[TermView, ...], ...] = tuple(
            tuple(term_view(term, base) for term in (t.subject, t.predicate, t.object))
            for t in result
        )
        return ResultTable(("subject", "predicate", "object"), triples)
    assert isinstance(result, ox.QuerySolutions)
    names = tuple(v.value for v in result.variables)
    rows = tuple(tuple(term_view(solution[name], base) for name in names) for solution in result)
    return ResultTable(names, rows)
