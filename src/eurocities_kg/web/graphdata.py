"""What the visuals read from the store: SPARQL helpers, and things named for people (label in the
visitor's language, the label's own language when it differs, and where the thing's page is)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pyoxigraph as ox

from ..namespaces import sparql_prologue
from ..store import Store
from .facts import Facts, instant_text, iri

DATE_PROPERTIES = ("time:inXSDDate", "time:inXSDgYearMonth", "time:inXSDgYear")


def select(store: Store, sparql: str) -> ox.QuerySolutions:
    result = store.query(sparql_prologue() + sparql)
    assert isinstance(result, ox.QuerySolutions)
    return result


def quads(store: Store, sparql: str) -> list[ox.Quad]:
    """The solutions of a `SELECT ?s ?p ?o ?g` as quads (RDF-star rows are skipped)."""
    found = []
    for row in select(store, sparql):
        s, p, o, g = row["s"], row["p"], row["o"], row["g"]
        subject_ok = isinstance(s, (ox.NamedNode, ox.BlankNode))
        object_ok = isinstance(o, (ox.NamedNode, ox.BlankNode, ox.Literal))
        if subject_ok and object_ok and isinstance(p, ox.NamedNode) and isinstance(g, ox.NamedNode):
            found.append(ox.Quad(s, p, o, g))
    return found


@dataclass(frozen=True)
class Named:
    """A thing as a visual shows it."""

    iri: str
    href: str | None  # None when the IRI is no web address (javascript:, data:, …): shown as text
    text: str
    lang: str | None  # the label's language where it is not the page's, for `lang=`


def named(facts: Facts, node: ox.NamedNode) -> Named:
    view = facts.term(node)
    return Named(node.value, view.href, view.text, facts.label_language(node))


@dataclass(frozen=True)
class When:
    """A stated instant: its first and last possible day (a year covers a year), and its words."""

    first: date
    last: date
    text: str
    inferred: bool = False

    @property
    def precision(self) -> str:
        days = (self.last - self.first).days
        return "day" if days == 0 else ("month" if days < 32 else "year")


def _span(value: str) -> tuple[date, date] | None:
    """`2021-03-05`, `2021-03` or `2021` as its first and last day."""
    parts = value.split("-")
    if not parts or not all(p.isdigit() for p in parts) or len(parts) > 3:
        return None
    try:
        year = int(parts[0])
        if len(parts) == 1:
            return date(year, 1, 1), date(year, 12, 31)
        month = int(parts[1])
        if len(parts) == 2:
            following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
            return date(year, month, 1), date.fromordinal(following.toordinal() - 1)
        day = date(year, month, int(parts[2]))
    except ValueError:
        return None
    return day, day


def when(facts: Facts, instant: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> When | None:
    """An instant with a date (time:inXSDDate, …gYearMonth, …gYear); None when it has only words."""
    if not isinstance(instant, (ox.NamedNode, ox.BlankNode)):
        return None
    for prefixed in DATE_PROPERTIES:
        value = facts.first(instant, iri(prefixed))
        if isinstance(value, ox.Literal) and (span := _span(value.value)):
            inferred = iri("ec:inferred") in facts.objects(instant, iri("ec:derivation"))
            return When(span[0], span[1], instant_text(facts, instant) or value.value, inferred)
    return None


def year_fraction(day: date) -> float:
    """A day as a fractional year, for a time axis."""
    start = date(day.year, 1, 1).toordinal()
    length = date(day.year + 1, 1, 1).toordinal() - start
    return day.year + (day.toordinal() - start) / length
