"""What our own data says, read offline from the project's files: the things to reconcile, their
links, memberships, mayors and population figures."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..loading import all_quads, load_project
from ..namespaces import ID_BASE, PREFIXES
from ..project import Project
from ..store import EmbeddedStore
from .terms import WikidataTime, qid_of

PROLOGUE = "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items()) + (
    f"PREFIX network: <{ID_BASE}network/>\n"
)
LANGUAGES = ("de", "en")

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None


@dataclass(frozen=True)
class Thing:
    """One of our things: its IRI, kind (`city`, `country`, `person`, …) and labels by language."""

    iri: str
    labels: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def kind(self) -> str:
        return self.iri.removeprefix(ID_BASE).split("/", 1)[0]

    @property
    def short(self) -> str:
        """`city/bochum` for `https://w3id.org/eurocities-kg/id/city/bochum`."""
        return self.iri.removeprefix(ID_BASE)

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or next(iter(self.labels.values()), self.short)


@dataclass(frozen=True)
class MembershipClaim:
    """A source's statement that a city is a member of the network."""

    city: str
    source: str
    page: str | None
    date_read: WikidataTime | None
    start: WikidataTime | None
    start_inferred: bool
    inferred: bool
    confidence: str | None


@dataclass(frozen=True)
class Mayoralty:
    city: str
    person: str
    person_labels: dict[str, str]


class OurGraph:
    """The union of the project's data graphs, in memory."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self._store = EmbeddedStore.in_memory(quads)

    @classmethod
    def of_project(cls, project: Project) -> OurGraph:
        return cls(all_quads(load_project(project).data))

    def select(self, where: str, head: str = "*") -> list[dict[str, Term]]:
        result = self._store.query(f"{PROLOGUE}SELECT DISTINCT {head} WHERE {{ {where} }}")
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        return [{name: row[name] for name in names} for row in result]

    def things(self, where: str) -> list[tuple[Thing, frozenset[str]]]:
        """Things bound to ?thing with their de/en ?label, and the values of an optional ?context."""
        labels: dict[str, dict[str, str]] = defaultdict(dict)
        contexts: dict[str, set[str]] = defaultdict(set)
        for row in self.select(where + " ?thing rdfs:label ?label ."):
            iri, label = _text(row["thing"]), row["label"]
            if isinstance(label, ox.Literal) and label.language in LANGUAGES:
                labels[iri][label.language] = label.value
            if row.get("context") is not None:
                contexts[iri].add(_text(row["context"]))
        return [(Thing(iri, labels[iri]), frozenset(contexts[iri])) for iri in sorted(labels)]

    def labels(self, iris: Iterable[str]) -> dict[str, Thing]:
        """Each of these things with its labels (none where it has none)."""
        wanted = set(iris)
        if not wanted:
            return {}
        values = " ".join(f"<{iri}>" for iri in sorted(wanted))
        found = {t.iri: t for t, _ in self.things(f"VALUES ?thing {{ {values} }}")}
        return {iri: found.get(iri, Thing(iri)) for iri in wanted}

    def links(self) -> dict[str, str]:
        """Our thing → its Wikidata QID (owl:sameAs)."""
        rows = self.select("?thing owl:sameAs ?item .")
        return {
            _text(r["thing"]): qid
            for r in rows
            if (qid := qid_of(_text(r["item"]))) and _text(r["thing"]).startswith(ID_BASE)
        }

    def network_qid(self) -> str | None:
        return self.links().get(ID_BASE + "network/eurocities")

    def iris_of_kind(self, kind: str) -> set[str]:
        rows = self.select(f'?thing ?p ?o . FILTER(STRSTARTS(STR(?thing), "{ID_BASE}{kind}/"))')
        return {_text(r["thing"]) for r in rows}

    def offices_with_period(self) -> set[str]:
        return {_text(r["office"]) for r in self.select("?office org:memberDuring ?period .")}

    def membership_claims(self) -> list[MembershipClaim]:
        """Every source's statement that a city is a member of the network, with its start."""
        return [_claim(row) for row in self.select(MEMBERSHIP_CLAIMS)]

    def current_mayors(self) -> list[Mayoralty]:
        """Mayoralties no source ends."""
        rows = self.select(CURRENT_MAYORS)
        people = self.labels(_text(r["person"]) for r in rows)
        return [
            Mayoralty(_text(r["city"]), _text(r["person"]), people[_text(r["person"])].labels)
            for r in rows
        ]

    def population_years(self) -> dict[str, int]:
        """City or country → the latest year of a population figure any source reports."""
        years: dict[str, int] = {}
        for row in self.select(POPULATION_DATES):
            date = row["date"]
            assert isinstance(date, ox.Literal)
            time = WikidataTime.from_xsd(date.value, date.datatype.value)
            about = _text(row["about"])
            if time and time.year > years.get(about, 0):
                years[about] = time.year
        return years


def _text(term: Term) -> str:
    return "" if term is None else str(getattr(term, "value", term))


def _time(term: Term) -> WikidataTime | None:
    if not isinstance(term, ox.Literal):
        return None
    return WikidataTime.from_xsd(term.value, term.datatype.value)


def _claim(row: dict[str, Term]) -> MembershipClaim:
    return MembershipClaim(
        city=_text(row["city"]),
        source=_text(row["source"]),
        page=_text(row["page"]) or None,
        date_read=_time(row["read"]),
        start=_time(row["start"]),
        start_inferred=row["startDerivation"] is not None,
        inferred=row["derivation"] is not None,
        confidence=_text(row["confidence"]).removeprefix(PREFIXES["ec"]) or None,
    )


MEMBERSHIP_CLAIMS = """
?membership a org:Membership ; org:member ?city ; org:organization network:eurocities .
?city a schema:City .
GRAPH ?g {
  ?membership prov:wasDerivedFrom ?source .
  OPTIONAL { ?membership ec:confidence ?confidence }
  OPTIONAL { ?membership ec:derivation ?derivation FILTER(?derivation = ec:inferred) }
  OPTIONAL {
    ?membership org:memberDuring/time:hasBeginning ?instant .
    ?instant time:inXSDDate|time:inXSDgYearMonth|time:inXSDgYear ?start .
    OPTIONAL { ?instant ec:derivation ?startDerivation FILTER(?startDerivation = ec:inferred) }
  }
}
OPTIONAL { ?source foaf:page ?page }
OPTIONAL { ?source ec:dateRead ?read }
"""

CURRENT_MAYORS = """
?office org:role ec:mayor ; org:member ?person ; org:organization ?city .
FILTER NOT EXISTS { ?office org:memberDuring/time:hasEnd ?end }
"""

POPULATION_DATES = """
?figure a ec:ReportedFigure ; ec:measure ec:population ; ec:about ?about ; dcterms:date ?date .
"""
