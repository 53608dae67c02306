"""Reconciliation: find the Wikidata item of each of our cities, countries, organisations and
persons by label (de/en), type (P31, up P279) and context (the country of a city, the city of a
mayor). Only an exact, unique match is linked; every other case is reported with its candidates,
never guessed.

Exact means: the item's label (or, when no item agrees by label, one of its aliases) equals ours in a
language, and no language where both have names disagrees. One batched query per kind, in an order
that gives each kind its context: countries, cities, organisations, persons."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .client import WikidataClient
from .ourgraph import LANGUAGES, OurGraph, Thing
from .terms import (
    BIG_CITY,
    CITY,
    COUNTRY,
    HUMAN,
    ORGANIZATION,
    PROLOGUE,
    Row,
    qid_of,
    sparql_string,
    value,
)

LINKED, AMBIGUOUS, UNMATCHED = "linked", "ambiguous", "unmatched"


@dataclass(frozen=True)
class Kind:
    name: str
    ours: str  # on our graph: binds ?thing, optionally ?context
    classes: tuple[str, ...]  # an item must be an instance (P31/P279*) of one of these
    context: str | None = None  # on Wikidata: binds ?value, the item's context
    context_name: str = ""
    context_is_ours: bool = False  # ?context is one of our things (its QID is required)


KINDS = (
    Kind(
        "country",
        "?thing a schema:Country . OPTIONAL { ?thing schema:identifier ?context }",
        (COUNTRY,),
        "?item wdt:P297 ?value .",
        "ISO 3166-1 code (P297)",
    ),
    Kind(
        "city",
        "?thing a schema:City . "
        "OPTIONAL { ?thing schema:containedInPlace ?context . ?context a schema:Country }",
        (CITY, BIG_CITY),
        "?item wdt:P17 ?value .",
        "country (P17)",
        context_is_ours=True,
    ),
    Kind(
        "organisation",
        "{ ?thing a schema:Organization } UNION { ?thing a foaf:Organization }",
        (ORGANIZATION,),
    ),
    Kind(
        "person",
        "?thing a foaf:Person . "
        "OPTIONAL { ?office org:member ?thing ; org:role ec:mayor ; org:organization ?context }",
        (HUMAN,),
        "?value p:P6/ps:P6 ?item .",
        "head of government (P6) of",
        context_is_ours=True,
    ),
)


@dataclass
class Candidate:
    """A Wikidata item that has one of our names as its label or alias."""

    qid: str
    labels: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    description: str | None = None
    typed: bool = False
    context: set[str] = field(default_factory=set)

    def names(self, lang: str, with_aliases: bool) -> set[str]:
        names = {self.labels[lang]} if lang in self.labels else set()
        return names | self.aliases[lang] if with_aliases else names

    def label(self) -> str:
        return self.labels.get("en") or self.labels.get("de") or self.qid

    def add(self, what: str, term: dict[str, str]) -> None:
        text, lang = term["value"], term.get("xml:lang", "")
        if what == "label":
            self.labels[lang] = text
        elif what == "alias":
            self.aliases[lang].add(text)
        elif what == "description":
            self.description = text
        elif what == "type":
            self.typed = True
        elif what == "context":
            self.context.add(qid_of(text) or text)


@dataclass(frozen=True)
class Verdict:
    """A candidate as the report shows it: None as objection means it fits."""

    qid: str
    label: str
    description: str | None
    objection: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "qid": self.qid,
            "label": self.label,
            "description": self.description,
            "objection": self.objection,
        }

    def __str__(self) -> str:
        return f"{self.qid} {self.label}" + (f" ({self.objection})" if self.objection else "")


@dataclass(frozen=True)
class Match:
    thing: Thing
    kind: str
    status: str
    qid: str | None = None
    candidates: tuple[Verdict, ...] = ()
    note: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "thing": self.thing.iri,
            "kind": self.kind,
            "labels": self.thing.labels,
            "status": self.status,
            "qid": self.qid,
            "note": self.note,
            "candidates": [c.as_json() for c in self.candidates],
        }


@dataclass(frozen=True)
class Reconciliation:
    matches: tuple[Match, ...]
    queries: tuple[tuple[str, str], ...]  # (kind, the query text sent)

    def links(self) -> dict[str, str]:
        return {m.thing.iri: m.qid for m in self.matches if m.qid}

    def count(self, status: str) -> int:
        return sum(1 for m in self.matches if m.status == status)


def candidate_query(kind: Kind, things: list[Thing]) -> str:
    """One query for every thing of a kind: each item named like one of them, with its labels,
    aliases, English description, whether it has the kind's type, and its context."""
    pairs = " ".join(
        f"(<{t.iri}> {sparql_string(name)}@{lang})"
        for t in things
        for lang, name in sorted(t.labels.items())
    )
    classes = " ".join(f"wd:{c}" for c in kind.classes)
    langs = " || ".join(f'LANG(?value) = "{lang}"' for lang in LANGUAGES)
    branches = [
        f'{{ ?item rdfs:label ?value . FILTER({langs}) BIND("label" AS ?what) }}',
        f'{{ ?item skos:altLabel ?value . FILTER({langs}) BIND("alias" AS ?what) }}',
        '{ ?item schema:description ?value . FILTER(LANG(?value) = "en") '
        'BIND("description" AS ?what) }',
        f'{{ ?item wdt:P31/wdt:P279* ?value . VALUES ?value {{ {classes} }} BIND("type" AS ?what) }}',
    ]
    if kind.context:
        branches.append(f'{{ {kind.context} BIND("context" AS ?what) }}')
    union = "\n  UNION ".join(branches)
    return (
        f"{PROLOGUE}# eurocities-kg: reconcile {kind.name} items by label, type and context\n"
        f"SELECT DISTINCT ?thing ?item ?what ?value WHERE {{\n"
        f"  VALUES (?thing ?name) {{ {pairs} }}\n"
        f"  ?item rdfs:label|skos:altLabel ?name .\n"
        f"  {union}\n}}\n"
    )


def candidates_by_thing(rows: list[Row]) -> dict[str, list[Candidate]]:
    found: dict[str, dict[str, Candidate]] = defaultdict(dict)
    for row in rows:
        thing, qid, what = value(row, "thing"), qid_of(value(row, "item")), value(row, "what")
        if not (thing and qid and what and "value" in row):
            continue
        found[thing].setdefault(qid, Candidate(qid)).add(what, row["value"])
    return {thing: sorted(items.values(), key=lambda c: c.qid) for thing, items in found.items()}


def _label_clash(thing: Thing, candidate: Candidate, with_aliases: bool) -> str | None:
    for lang, ours in sorted(thing.labels.items()):
        names = candidate.names(lang, with_aliases)
        if names and ours not in names:
            theirs = candidate.labels.get(lang) or sorted(names)[0]
            return f"label@{lang} {theirs!r} is not {ours!r}"
    return None


def _agrees_by_label(thing: Thing, candidate: Candidate) -> bool:
    same = any(candidate.labels.get(lang) == name for lang, name in thing.labels.items())
    return same and _label_clash(thing, candidate, with_aliases=False) is None


def objection(
    kind: Kind, thing: Thing, candidate: Candidate, required: frozenset[str]
) -> str | None:
    """Why a candidate is not our thing, or None if it fits."""
    if not candidate.typed:
        return f"not an instance of {' or '.join(kind.classes)}"
    if clash := _label_clash(thing, candidate, with_aliases=True):
        return clash
    if lacking := sorted(required - candidate.context):
        return f"{kind.context_name} is not {', '.join(lacking)}"
    return None


def decide(
    kind: Kind, thing: Thing, candidates: list[Candidate], required: frozenset[str]
) -> Match:
    verdicts = {c.qid: objection(kind, thing, c, required) for c in candidates}
    fitting = [c for c in candidates if verdicts[c.qid] is None]
    pool = [c for c in fitting if _agrees_by_label(thing, c)] or fitting
    notes = tuple(Verdict(c.qid, c.label(), c.description, verdicts[c.qid]) for c in candidates)
    if len(pool) == 1:
        return Match(thing, kind.name, LINKED, pool[0].qid, notes)
    if pool:
        chosen = {c.qid for c in pool}
        return Match(
            thing,
            kind.name,
            AMBIGUOUS,
            candidates=tuple(n for n in notes if n.qid in chosen),
            note=f"{len(pool)} items fit equally",
        )
    note = "no item fits" if candidates else "no item has this label"
    return Match(thing, kind.name, UNMATCHED, candidates=notes, note=note)


def requirement(kind: Kind, context: frozenset[str], qids: dict[str, str]) -> frozenset[str] | str:
    """The context values a candidate must have, or why the context cannot be checked."""
    if not kind.context_is_ours:
        return context
    unlinked = sorted(c for c in context if c not in qids)
    if unlinked:
        names = ", ".join(Thing(c).short for c in unlinked)
        return f"context not checkable: {names} has no Wikidata item"
    return frozenset(qids[c] for c in context)


def reconcile_kind(
    kind: Kind, graph: OurGraph, client: WikidataClient, qids: dict[str, str]
) -> tuple[list[Match], str | None]:
    entries = [(t, c) for t, c in graph.things(kind.ours) if t.labels]
    if not entries:
        return [], None
    query = candidate_query(kind, [t for t, _ in entries])
    found = candidates_by_thing(client.select(query))
    matches = []
    for thing, context in entries:
        required = requirement(kind, context, qids)
        candidates = found.get(thing.iri, [])
        if isinstance(required, str):
            notes = tuple(Verdict(c.qid, c.label(), c.description, None) for c in candidates)
            matches.append(Match(thing, kind.name, UNMATCHED, candidates=notes, note=required))
            continue
        match = decide(kind, thing, candidates, required)
        if match.qid:
            qids[thing.iri] = match.qid
        matches.append(match)
    return matches, query


def reconcile(graph: OurGraph, client: WikidataClient) -> Reconciliation:
    qids: dict[str, str] = {}
    matches: list[Match] = []
    queries: list[tuple[str, str]] = []
    for kind in KINDS:
        found, query = reconcile_kind(kind, graph, client, qids)
        matches += found
        if query:
            queries.append((kind.name, query))
    return Reconciliation(tuple(matches), tuple(queries))
