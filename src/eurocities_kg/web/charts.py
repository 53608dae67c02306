"""Charts, server-side SVG with a title and a description, each from the graph:

- members per country: the member cities the graph counts in each country, beside the figures the
  sources report (`ec:ReportedFigure`, measures `ec:memberCitiesInCountry` and `ec:countries`);
- the membership timeline: member cities by the start of their membership, drawn with the precision
  the source gives (a year is a span of a year);
- office holders over time: presidents and vice-presidents, a bar from start to end, open-ended to the
  date of the build ("as of").
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pyoxigraph as ox
from markupsafe import Markup

from ..describe import iri_ref
from ..namespaces import EC
from ..store import Store
from . import svg
from .facts import Facts, SourceView, human_date, iri, marks, period_text
from .graphdata import Named, When, named, quads, when, year_fraction

WIDTH = 420.0
SIDE = 8.0
FONT = 15.0
SMALL = 13.5
BAR = 14.0
OFFICES = (str(EC.president), str(EC.vicePresident))

WORDS = {
    "en": {
        "countries title": "Member cities per country: counted in the graph and reported by sources",
        "countries desc": "Counted in this graph: {}. Reported by sources: {}.",
        "counted": "counted in this graph: {}",
        "reported": "reported: {}",
        "no country": "country not stated",
        "countries": "countries with member cities",
        "none reported": "none",
        "timeline title": "Membership timeline: member cities by the start of their membership",
        "timeline desc": "{} of {} member cities with a dated start: {}.",
        "offices title": "Office holders over time: presidents and vice-presidents",
        "offices desc": "{}. Open-ended terms are drawn to {}.",
        "start unknown": "start not stated",
        "as of": "as of {}",
        "no dates": "No dated statements.",
    },
    "de": {
        "countries title": "Mitgliedsstädte je Land: im Graphen gezählt und von Quellen berichtet",
        "countries desc": "In diesem Graphen gezählt: {}. Von Quellen berichtet: {}.",
        "counted": "in diesem Graphen gezählt: {}",
        "reported": "berichtet: {}",
        "no country": "Land nicht angegeben",
        "countries": "Länder mit Mitgliedsstädten",
        "none reported": "keine",
        "timeline title": "Zeitleiste der Mitgliedschaften: Mitgliedsstädte nach Beginn ihrer Mitgliedschaft",
        "timeline desc": "{} von {} Mitgliedsstädten mit datiertem Beginn: {}.",
        "offices title": "Amtsinhaber im Zeitverlauf: Präsidentinnen und Präsidenten, Vizepräsidentinnen und Vizepräsidenten",
        "offices desc": "{}. Offene Amtszeiten reichen bis {}.",
        "start unknown": "Beginn nicht angegeben",
        "as of": "Stand {}",
        "no dates": "Keine datierten Aussagen.",
    },
}


def word(lang: str, key: str) -> str:
    return WORDS.get(lang, WORDS["en"])[key]


def _number(value: int, lang: str) -> str:
    return f"{value:,}".replace(",", "." if lang == "de" else ",")


# --- members per country -----------------------------------------------------------------------------

COUNTRY_FACTS = """
SELECT ?s ?p ?o ?g WHERE {
  { ?m a org:Membership ; org:organization %(r)s ; org:member ?s . ?s a schema:City .
    FILTER NOT EXISTS { ?m org:role ?role } VALUES ?p { rdf:type rdfs:label schema:containedInPlace } }
  UNION { ?m a org:Membership ; org:organization %(r)s ; org:member ?city .
          ?city schema:containedInPlace ?s . VALUES ?p { rdf:type rdfs:label } }
  UNION { ?s a ec:ReportedFigure ; ec:about %(r)s ; ec:measure ec:countries }
  UNION { ?s a ec:ReportedFigure ; ec:measure ec:memberCitiesInCountry ; ec:about ?group .
          ?group ec:groupOf %(r)s }
  UNION { ?f a ec:ReportedFigure ; ec:measure ec:memberCitiesInCountry ; ec:about ?group .
          ?group ec:groupOf %(r)s . ?group ec:country? ?s }
  UNION { ?f a ec:ReportedFigure . GRAPH ?s { ?f ec:measure ?measure } VALUES ?p { prov:wasDerivedFrom } }
  UNION { ?f a ec:ReportedFigure . GRAPH ?graph { ?f ec:measure ?measure }
          ?graph prov:wasDerivedFrom ?s . VALUES ?p { rdfs:label dcterms:title foaf:page } }
  GRAPH ?g { ?s ?p ?o }
}"""


@dataclass(frozen=True)
class Reported:
    value: int
    comparator: str  # "more than", or "" for exactly
    date: str
    marks: tuple[str, ...]
    sources: tuple[SourceView, ...]

    def text(self, lang: str) -> str:
        details = [d for d in (self.date, *(s.label for s in self.sources), *self.marks) if d]
        value = f"{self.comparator} {_number(self.value, lang)}".strip()
        return value + (f" ({'; '.join(details)})" if details else "")


@dataclass(frozen=True)
class CountryRow:
    country: Named | None  # None: the row of the countries count, or of cities without a country
    title: str
    counted: int
    reported: tuple[Reported, ...]
    cities: tuple[Named, ...] = ()


def _reported(facts: Facts, figure: ox.NamedNode | ox.BlankNode) -> Reported | None:
    value = facts.first(figure, iri("schema:value"))
    if not isinstance(value, ox.Literal) or not value.value.isdigit():
        return None
    comparator = facts.first(figure, iri("ec:comparator"))
    shown = isinstance(comparator, ox.NamedNode) and comparator != iri("ec:exactly")
    stated = facts.first(figure, iri("dcterms:date"))
    graphs = {
        g
        for measure in facts.objects(figure, iri("ec:measure"))
        for g in facts.graphs(figure, iri("ec:measure"), measure)
    }
    return Reported(
        int(value.value),
        facts.label(comparator) if shown and comparator else "",
        human_date(stated, facts.lang) if isinstance(stated, ox.Literal) else "",
        marks(facts, figure),
        facts.sources(graphs),
    )


def _figures(facts: Facts, measure: str) -> list[tuple[ox.NamedNode | ox.BlankNode, Reported]]:
    found = []
    for node in facts.subjects():
        if facts.has_type(node, "ec:ReportedFigure") and iri(measure) in facts.objects(
            node, iri("ec:measure")
        ):
            reported = _reported(facts, node)
            if reported:
                found.append((node, reported))
    return sorted(found, key=lambda f: (f[1].date == "", f[1].date, f[0].value))


def _by_country(facts: Facts) -> dict[ox.NamedNode | None, list[ox.NamedNode]]:
    by_country: dict[ox.NamedNode | None, list[ox.NamedNode]] = {}
    for city in facts.subjects():
        if not (isinstance(city, ox.NamedNode) and facts.has_type(city, "schema:City")):
            continue
        countries = [
            c
            for c in facts.objects(city, iri("schema:containedInPlace"))
            if isinstance(c, ox.NamedNode) and facts.has_type(c, "schema:Country")
        ]
        keys: list[ox.NamedNode | None] = [*countries] if countries else [None]
        for country in keys:
            by_country.setdefault(country, []).append(city)
    return by_country


def country_rows(store: Store, organisation: str, base: str, lang: str) -> tuple[CountryRow, ...]:
    """A row per country (most members first), one for cities without a country, one for the count of
    countries — each with what the graph counts and what the sources report."""
    facts = Facts(quads(store, COUNTRY_FACTS % {"r": iri_ref(organisation)}), base, lang)
    reported_for: dict[ox.NamedNode, list[Reported]] = {}
    for node, reported in _figures(facts, "ec:memberCitiesInCountry"):
        for group in facts.objects(node, iri("ec:about")):
            if isinstance(group, (ox.NamedNode, ox.BlankNode)):
                for country in facts.objects(group, iri("ec:country")):
                    if isinstance(country, ox.NamedNode):
                        reported_for.setdefault(country, []).append(reported)
    by_country = _by_country(facts)
    countries = set(reported_for) | {c for c in by_country if c is not None}
    rows = [
        CountryRow(
            named(facts, c),
            facts.label(c),
            len(by_country.get(c, [])),
            tuple(reported_for.get(c, [])),
            tuple(named(facts, city) for city in sorted(by_country.get(c, []), key=facts.label)),
        )
        for c in countries
    ]
    rows.sort(key=lambda r: (-r.counted, r.title.lower()))
    if None in by_country:
        cities = sorted(by_country[None], key=facts.label)
        rows.append(
            CountryRow(
                None,
                word(lang, "no country"),
                len(cities),
                (),
                tuple(named(facts, c) for c in cities),
            )
        )
    counted_countries = len([c for c in by_country if c is not None])
    reported_countries = tuple(r for _, r in _figures(facts, "ec:countries"))
    rows.append(CountryRow(None, word(lang, "countries"), counted_countries, reported_countries))
    return tuple(rows)


def _bar(parent: ET.Element, y: float, value: int, scale: float, css_class: str) -> None:
    width = max(value * scale, 2.0)
    svg.add(parent, "rect", {"x": SIDE, "y": y, "width": width, "height": BAR, "class": css_class})


def _series(row: CountryRow, lang: str) -> list[tuple[list[str], int, str]]:
    """The bars of a row: their caption lines, value and class; what the graph counts first."""
    width = WIDTH - 2 * SIDE
    found = [
        (
            svg.wrap(word(lang, "counted").format(row.counted), width, SMALL),
            row.counted,
            "c-counted",
        )
    ]
    found += [
        (svg.wrap(word(lang, "reported").format(f.text(lang)), width, SMALL), f.value, "c-reported")
        for f in row.reported
    ]
    return found


def countries_chart(
    rows: Sequence[CountryRow], lang: str, ident: str = "chart-countries"
) -> Markup:
    biggest = max([1, *(r.counted for r in rows), *(f.value for r in rows for f in r.reported)])
    scale = (WIDTH - 2 * SIDE - 40) / biggest
    step = SMALL * 1.25
    laid = [(row, _series(row, lang)) for row in rows]
    height = SIDE + sum(
        FONT * 1.4 + 10 + sum(len(lines) * step + BAR + 6 for lines, _, _ in series)
        for _, series in laid
    )
    counted = "; ".join(f"{r.title} {r.counted}" for r in rows)
    reported = "; ".join(f"{r.title} {f.text(lang)}" for r in rows for f in r.reported)
    desc = word(lang, "countries desc").format(counted, reported or word(lang, "none reported"))
    root = svg.document(ident, word(lang, "countries title"), desc, WIDTH, height, "chart", "img")
    y = SIDE
    for row, series in laid:
        y += FONT
        lang_of = row.country.lang if row.country else None
        svg.lines(root, [row.title], SIDE, y, FONT, "c-value", lang=lang_of)
        y += FONT * 0.4
        for lines, value, css_class in series:
            svg.lines(root, lines, SIDE, y + step, SMALL, "c-note")
            y += len(lines) * step + 4
            _bar(root, y, value, scale, css_class)
            end = SIDE + max(value * scale, 2) + 5
            svg.lines(root, [_number(value, lang)], end, y + BAR - 2, SMALL, "c-value")
            y += BAR + 2
        y += 10
    return svg.markup(root)


# --- timelines ---------------------------------------------------------------------------------------

# Every branch binds the membership itself: a nested group is evaluated on its own, so a BIND of an
# outer variable there would see it unbound (and match the whole store).
TIMELINE_FACTS = """
SELECT ?s ?p ?o ?g WHERE {
  { ?m a org:Membership ; org:organization %(r)s . ?m (org:member|org:role)? ?s }
  UNION { ?m a org:Membership ; org:organization %(r)s ; org:memberDuring ?period .
          ?period (time:hasBeginning|time:hasEnd)? ?s }
  GRAPH ?g { ?s ?p ?o }
}"""


@dataclass(frozen=True)
class Span:
    """A membership or a term of office on a time axis."""

    who: Named
    role: Named | None
    words: str  # the period as words, with "(inferred)" where the source implies it
    start: When | None
    end: When | None
    marks: tuple[str, ...] = ()

    @property
    def first(self) -> date | None:
        return self.start.first if self.start else (self.end.first if self.end else None)


def spans(store: Store, organisation: str, base: str, lang: str) -> list[Span]:
    """Every membership of the organisation (offices included) with its period."""
    facts = Facts(quads(store, TIMELINE_FACTS % {"r": iri_ref(organisation)}), base, lang)
    found = []
    for node in facts.subjects():
        if not facts.has_type(node, "org:Membership"):
            continue
        member, role = facts.first(node, iri("org:member")), facts.first(node, iri("org:role"))
        period = facts.first(node, iri("org:memberDuring"))
        if not isinstance(member, ox.NamedNode):
            continue
        edges: tuple[When | None, When | None] = (None, None)
        if isinstance(period, (ox.NamedNode, ox.BlankNode)):
            edges = (
                when(facts, facts.first(period, iri("time:hasBeginning"))),
                when(facts, facts.first(period, iri("time:hasEnd"))),
            )
        found.append(
            Span(
                named(facts, member),
                named(facts, role) if isinstance(role, ox.NamedNode) else None,
                period_text(facts, period),
                *edges,
                marks=marks(facts, node),
            )
        )
    return found


def member_spans(all_spans: Sequence[Span]) -> list[Span]:
    """The memberships proper (no role), by start, undated last."""
    members = [s for s in all_spans if s.role is None]
    return sorted(
        members, key=lambda s: (s.start is None, s.start.first if s.start else date.max, s.who.text)
    )


def office_spans(all_spans: Sequence[Span]) -> list[Span]:
    """The presidents' and vice-presidents' terms, by role and start."""
    offices = [s for s in all_spans if s.role and s.role.iri in OFFICES]
    return sorted(
        offices,
        key=lambda s: (OFFICES.index(s.role.iri) if s.role else 0, s.first or date.min, s.who.text),
    )


@dataclass(frozen=True)
class Axis:
    start: float  # fractional years
    end: float

    def x(self, year: float) -> float:
        return SIDE + (year - self.start) / (self.end - self.start) * (WIDTH - 2 * SIDE)

    def ticks(self) -> list[int]:
        span = self.end - self.start
        step = next(s for s in (1, 2, 5, 10, 20, 50) if span / s <= 8)
        first = math.ceil(self.start / step) * step
        return list(range(first, int(self.end) + 1, step))


def axis_for(dated: Sequence[Span], as_of: date) -> Axis:
    days = [
        d
        for s in dated
        for d in (s.start.first if s.start else None, s.end.last if s.end else None)
        if d
    ]
    first = min([*days, as_of])
    return Axis(float(first.year - (1 if first.month < 4 else 0)), year_fraction(as_of) + 0.6)


def _span_bar(parent: ET.Element, span: Span, axis: Axis, y: float, as_of: date) -> None:
    """A bar from the start (vague over its precision, dashed when unknown) to the end or `as_of`."""
    start, end = span.start, span.end
    certain_from = year_fraction(start.last) if start else axis.start
    certain_to = year_fraction(end.first) if end else year_fraction(as_of)
    if start is None:
        _rect(parent, axis.x(axis.start), y, axis.x(certain_to), "c-unknown")
    else:
        _rect(parent, axis.x(year_fraction(start.first)), y, axis.x(certain_from), "c-vague")
        _rect(parent, axis.x(certain_from), y, axis.x(certain_to), "c-span")
        if start.inferred:
            _rect(
                parent,
                axis.x(year_fraction(start.first)),
                y,
                axis.x(certain_from) + 1,
                "c-inferred",
            )
    if end is not None:
        _rect(parent, axis.x(certain_to), y, axis.x(year_fraction(end.last) + 1 / 365), "c-vague")
        if end.inferred:
            _rect(
                parent,
                axis.x(certain_to) - 1,
                y,
                axis.x(year_fraction(end.last) + 1 / 365),
                "c-inferred",
            )


def _rect(parent: ET.Element, left: float, y: float, right: float, css_class: str) -> None:
    width = max(right - left, 2.0)
    svg.add(parent, "rect", {"x": left, "y": y, "width": width, "height": BAR, "class": css_class})


def _grid(root: ET.Element, axis: Axis, top: float, bottom: float, as_of: date, lang: str) -> None:
    half = svg.text_width("2000", SMALL) / 2
    for year in axis.ticks():
        x = axis.x(year)
        path = f"M{svg.number(x)} {svg.number(top)}V{svg.number(bottom)}"
        svg.add(root, "path", {"d": path, "class": "c-grid"})
        label_x = min(max(x, half + 1), WIDTH - half - 1)
        svg.lines(root, [str(year)], label_x, top - 5, SMALL, "c-tick", "middle")
    now = axis.x(year_fraction(as_of))
    svg.add(
        root,
        "path",
        {"d": f"M{svg.number(now)} {svg.number(top)}V{svg.number(bottom)}", "class": "c-today"},
    )
    label = word(lang, "as of").format(human_date(ox.Literal(as_of.isoformat()), lang))
    svg.lines(root, [label], min(now, WIDTH - SIDE), bottom + SMALL + 3, SMALL, "c-tick", "end")


def _row_text(span: Span, lang: str) -> tuple[str, str]:
    title = span.who.text + (f" — {span.role.text}" if span.role else "")
    words = span.words or (word(lang, "start unknown") if span.start is None else "")
    if span.start is None and span.words and "–" not in span.words:
        words = f"{words}; {word(lang, 'start unknown')}"
    extra = [m for m in span.marks if m not in words]
    return title, "; ".join([w for w in (words, *extra) if w])


def timeline_chart(
    dated: Sequence[Span], as_of: date, title: str, desc: str, ident: str, lang: str
) -> Markup:
    axis = axis_for(dated, as_of)
    row = FONT * 1.25 + SMALL * 1.25 + BAR + 10
    top = SIDE + SMALL + 8
    height = top + max(len(dated), 1) * row + SMALL + 12
    root = svg.document(ident, title, desc, WIDTH, height, "chart", "img")
    _grid(root, axis, top, height - SMALL - 10, as_of, lang)
    y = top
    for span in dated:
        name, words = _row_text(span, lang)
        svg.lines(root, [name], SIDE, y + FONT, FONT, "c-value", lang=span.who.lang)
        svg.lines(root, [words], SIDE, y + FONT * 1.25 + SMALL, SMALL, "c-note")
        _span_bar(root, span, axis, y + FONT * 1.25 + SMALL * 1.25 + 4, as_of)
        y += row
    if not dated:
        svg.lines(root, [word(lang, "no dates")], SIDE, y + FONT, FONT, "c-note")
    return svg.markup(root)


def _listing(found: Sequence[Span], lang: str) -> str:
    return "; ".join(
        f"{s.who.text}{' (' + s.role.text + ')' if s.role else ''}: {_row_text(s, lang)[1]}"
        for s in found
    )


@dataclass(frozen=True)
class Charts:
    countries: tuple[CountryRow, ...]
    countries_svg: Markup
    members: tuple[Span, ...]  # every membership, dated first
    members_svg: Markup
    offices: tuple[Span, ...]
    offices_svg: Markup
    as_of: date

    @property
    def undated_members(self) -> tuple[Span, ...]:
        return tuple(s for s in self.members if s.start is None)


def charts(store: Store, organisation: str, base: str, lang: str, as_of: date) -> Charts:
    rows = country_rows(store, organisation, base, lang)
    found = spans(store, organisation, base, lang)
    members = member_spans(found)
    dated = [s for s in members if s.start]
    offices = office_spans(found)
    as_of_text = human_date(ox.Literal(as_of.isoformat()), lang)
    return Charts(
        rows,
        countries_chart(rows, lang),
        tuple(members),
        timeline_chart(
            dated,
            as_of,
            word(lang, "timeline title"),
            word(lang, "timeline desc").format(len(dated), len(members), _listing(dated, lang)),
            "chart-timeline",
            lang,
        ),
        tuple(offices),
        timeline_chart(
            offices,
            as_of,
            word(lang, "offices title"),
            word(lang, "offices desc").format(
                _listing(offices, lang) or word(lang, "no dates"), as_of_text
            ),
            "chart-offices",
            lang,
        ),
        as_of,
    )
