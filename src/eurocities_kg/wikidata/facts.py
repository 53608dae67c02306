"""What Wikidata says about our linked things: coordinates (P625), population with its point in time
(P1082, P585), official website (P856), GeoNames ID (P1566), German municipality key (P439), the
current head of government (P6, from P580) and the labels in German and English — one batched query
per kind of fact, each answer read into `Facts`."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .client import WikidataClient
from .ourgraph import LANGUAGES, Thing
from .terms import PROLOGUE, WD, Row, WikidataTime, entity, qid_of, value, values_clause

PLACES = ("city", "country")
IDENTIFIERS = ("P1566", "P439")  # GeoNames ID, German municipality key
POINT = re.compile(
    r"^\s*(?:<(?P<globe>[^>]*)>\s*)?Point\(\s*(?P<lon>\S+)\s+(?P<lat>\S+)\s*\)\s*$", re.I
)
EARTH = WD + "Q2"


@dataclass(frozen=True)
class Head:
    """A current head of government (P6 without an end time, best rank)."""

    qid: str
    labels: dict[str, str]
    start: WikidataTime | None

    def name(self) -> str | None:
        return self.labels.get("en") or self.labels.get("de")


@dataclass
class Facts:
    """What Wikidata says about our linked things (keyed by our IRIs; labels by QID)."""

    coordinates: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    populations: dict[str, tuple[int, WikidataTime | None]] = field(default_factory=dict)
    websites: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    identifiers: dict[str, dict[str, set[str]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(set))
    )
    heads: dict[str, list[Head]] = field(default_factory=lambda: defaultdict(list))
    labels: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------
# The queries: one per kind of fact, each for every linked item at once


def _query(what: str, qids: list[str], select: str, where: str) -> str:
    return (
        f"{PROLOGUE}# eurocities-kg: {what} of linked items\n"
        f"SELECT {select} WHERE {{\n  {values_clause('item', qids)}\n  {where}\n}}\n"
    )


def coordinates_query(qids: list[str]) -> str:
    return _query("coordinates (P625)", qids, "?item ?point", "?item wdt:P625 ?point .")


def population_query(qids: list[str]) -> str:
    return _query(
        "population (P1082) with its point in time (P585)",
        qids,
        "?item ?population ?time ?precision",
        "?item p:P1082 ?statement .\n  ?statement a wikibase:BestRank ; ps:P1082 ?population .\n"
        "  OPTIONAL { ?statement pqv:P585 ?t . "
        "?t wikibase:timeValue ?time ; wikibase:timePrecision ?precision . }",
    )


def website_query(qids: list[str]) -> str:
    return _query("official website (P856)", qids, "?item ?website", "?item wdt:P856 ?website .")


def identifiers_query(qids: list[str]) -> str:
    branches = " UNION ".join(
        f'{{ ?item wdt:{p} ?value . BIND("{p}" AS ?property) }}' for p in IDENTIFIERS
    )
    return _query(
        "GeoNames ID (P1566) and German municipality key (P439)",
        qids,
        "?item ?property ?value",
        branches,
    )


def heads_query(qids: list[str]) -> str:
    labels = "\n".join(
        f'  OPTIONAL {{ ?head rdfs:label ?{lang} . FILTER(LANG(?{lang}) = "{lang}") }}'
        for lang in LANGUAGES
    )
    return _query(
        "current head of government (P6) with start time (P580)",
        qids,
        "?item ?head ?time ?precision " + " ".join(f"?{lang}" for lang in LANGUAGES),
        "?item p:P6 ?statement .\n  ?statement a wikibase:BestRank ; ps:P6 ?head .\n"
        "  FILTER NOT EXISTS { ?statement pq:P582 ?end }\n"
        "  OPTIONAL { ?statement pqv:P580 ?t . "
        "?t wikibase:timeValue ?time ; wikibase:timePrecision ?precision . }\n" + labels,
    )


def labels_query(qids: list[str]) -> str:
    langs = " || ".join(f'LANG(?label) = "{lang}"' for lang in LANGUAGES)
    return _query(
        "labels in German and English",
        qids,
        "?item ?label",
        f"?item rdfs:label ?label . FILTER({langs})",
    )


# ---------------------------------------------------------------------------------------------------
# Reading the answers


def parse_point(text: str) -> tuple[Decimal, Decimal] | None:
    """`Point(7.216667 51.483333)` (longitude first) → (latitude, longitude); None for another
    globe than the Earth or for what is not a point."""
    match = POINT.match(text)
    if match is None or match["globe"] not in (None, EARTH):
        return None
    try:
        lat, lon = Decimal(match["lat"]), Decimal(match["lon"])
    except InvalidOperation:
        return None
    return (lat, lon) if abs(lat) <= 90 and abs(lon) <= 180 else None


def read_coordinates(rows: list[Row], things: dict[str, str], facts: Facts) -> None:
    found: dict[str, set[tuple[Decimal, Decimal]]] = defaultdict(set)
    for row in rows:
        point = parse_point(value(row, "point") or "")
        if point and (thing := things.get(value(row, "item") or "")):
            found[thing].add(point)
    for thing, points in found.items():
        if len(points) == 1:
            facts.coordinates[thing] = points.pop()
        else:
            facts.notes.append(f"{Thing(thing).short}: {len(points)} coordinates, none taken")


def _population(row: Row) -> tuple[int, WikidataTime | None] | None:
    try:
        number = Decimal(value(row, "population") or "")
    except InvalidOperation:
        return None
    if number != number.to_integral_value() or number < 0:
        return None
    return int(number), WikidataTime.from_row(row, "time", "precision")


def read_populations(rows: list[Row], things: dict[str, str], facts: Facts) -> None:
    """The best-ranked population with the latest point in time; none if that is not unique."""
    found: dict[str, set[tuple[int, WikidataTime | None]]] = defaultdict(set)
    for row in rows:
        figure = _population(row)
        if figure and (thing := things.get(value(row, "item") or "")):
            found[thing].add(figure)
    for thing, figures in found.items():
        latest = max((t for _, t in figures if t), default=None)
        newest = {f for f in figures if f[1] == latest}
        if len(newest) == 1:
            facts.populations[thing] = newest.pop()
        else:
            facts.notes.append(f"{Thing(thing).short}: {len(newest)} populations, none taken")


def read_websites(rows: list[Row], things: dict[str, str], facts: Facts) -> None:
    for row in rows:
        website = value(row, "website") or ""
        if website.startswith(("http://", "https://")) and (
            thing := things.get(value(row, "item") or "")
        ):
            facts.websites[thing].add(website)


def read_identifiers(rows: list[Row], things: dict[str, str], facts: Facts) -> None:
    for row in rows:
        thing = things.get(value(row, "item") or "")
        prop, found = value(row, "property"), value(row, "value")
        if thing and prop in IDENTIFIERS and found:
            facts.identifiers[thing][prop].add(found)


def read_heads(rows: list[Row], things: dict[str, str], facts: Facts) -> None:
    for row in rows:
        thing, qid = things.get(value(row, "item") or ""), qid_of(value(row, "head"))
        if thing and qid:
            labels = {lang: text for lang in LANGUAGES if (text := value(row, lang))}
            start = WikidataTime.from_row(row, "time", "precision")
            facts.heads[thing].append(Head(qid, labels, start))


def read_labels(rows: list[Row], facts: Facts) -> None:
    for row in rows:
        qid, term = qid_of(value(row, "item")), row.get("label")
        if qid and term and term.get("xml:lang") in LANGUAGES:
            facts.labels[qid][term["xml:lang"]] = term["value"]


def fetch(links: dict[str, str], client: WikidataClient) -> tuple[Facts, list[tuple[str, str]]]:
    """Ask Wikidata about every linked thing: one query per kind of fact."""
    facts, queries = Facts(), []
    everything = {entity(q): t for t, q in links.items()}
    places = {i: t for i, t in everything.items() if Thing(t).kind in PLACES}
    cities = {i: t for i, t in everything.items() if Thing(t).kind == "city"}

    def ask(name: str, build: Callable[[list[str]], str], items: dict[str, str]) -> list[Row]:
        if not items:
            return []
        query = build([q for i in items if (q := qid_of(i))])
        queries.append((name, query))
        return client.select(query)

    read_coordinates(ask("coordinates", coordinates_query, places), places, facts)
    read_populations(ask("population", population_query, places), places, facts)
    read_websites(ask("website", website_query, everything), everything, facts)
    read_identifiers(ask("identifiers", identifiers_query, places), places, facts)
    read_heads(ask("head of government", heads_query, cities), cities, facts)
    read_labels(ask("labels", labels_query, everything), facts)
    return facts, queries
