"""The structure diagram: an organisation, its forums and their working groups (grouped by the period
each was observed in), as server-side SVG read from the graph. Every box is a link to its page.

Two layouts of the same diagram: `wide` (forums in three columns) for desktops and `narrow` (one
column) for phones; the stylesheet shows the one that fits.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pyoxigraph as ox
from markupsafe import Markup

from ..describe import iri_ref
from ..store import Store
from . import svg
from .facts import Facts, iri, period_of
from .graphdata import Named, named, quads, when

STRUCTURE = """
SELECT ?s ?p ?o ?g WHERE {
  { BIND(%(r)s AS ?s) VALUES ?p { rdfs:label foaf:name org:hasUnit } }
  UNION { %(r)s org:hasUnit ?s . ?s a ec:Forum }
  UNION { %(r)s org:hasUnit ?forum . ?forum a ec:Forum .
          ?forum org:hasUnit|^org:unitOf ?s . ?s a ec:WorkingGroup }
  UNION { %(r)s org:hasUnit ?forum . ?forum a ec:Forum .
          ?forum (org:hasUnit|^org:unitOf)? ?unit . ?unit dcterms:temporal ?period .
          ?period (time:hasBeginning|time:hasEnd)? ?s }
  GRAPH ?g { ?s ?p ?o }
}"""

WORDS = {
    "en": {
        "title": "Structure of {}: forums and working groups",
        "desc": "{} has {} forums with {} working groups. ",
        "forum": "{}: {} working groups",
        "observed": "observed {}",
        "no period": "period not stated",
        "also": "also in {}",
        "groups": "{} working groups",
        "summary": "{} forums, {} working groups",
    },
    "de": {
        "title": "Aufbau von {}: Foren und Arbeitsgruppen",
        "desc": "{} hat {} Foren mit {} Arbeitsgruppen. ",
        "forum": "{}: {} Arbeitsgruppen",
        "observed": "beobachtet {}",
        "no period": "Zeitraum nicht angegeben",
        "also": "auch in {}",
        "groups": "{} Arbeitsgruppen",
        "summary": "{} Foren, {} Arbeitsgruppen",
    },
}


def word(lang: str, key: str) -> str:
    return WORDS.get(lang, WORDS["en"])[key]


@dataclass(frozen=True)
class Group:
    """Working groups observed in one period."""

    period: str
    units: tuple[tuple[Named, tuple[Named, ...]], ...]  # each with the other forums it belongs to


@dataclass(frozen=True)
class Forum:
    forum: Named
    groups: tuple[Group, ...]

    @property
    def size(self) -> int:
        return sum(len(g.units) for g in self.groups)


@dataclass(frozen=True)
class Structure:
    organisation: Named
    forums: tuple[Forum, ...]

    @property
    def size(self) -> int:
        return len({unit.iri for f in self.forums for g in f.groups for unit, _ in g.units})


def _named_nodes(facts: Facts, terms: Sequence[object]) -> list[ox.NamedNode]:
    found = [t for t in terms if isinstance(t, ox.NamedNode)]
    return sorted(set(found), key=lambda n: facts.label(n).lower())


def _working_groups(facts: Facts, forum: ox.NamedNode) -> list[ox.NamedNode]:
    listed = facts.objects(forum, iri("org:hasUnit"))
    pointing = [s for s in facts.subjects() if forum in facts.objects(s, iri("org:unitOf"))]
    units = _named_nodes(facts, [*listed, *pointing])
    return [u for u in units if facts.has_type(u, "ec:WorkingGroup")]


def _groups(
    facts: Facts, forum: ox.NamedNode, forums_of: dict[ox.NamedNode, list[ox.NamedNode]]
) -> tuple[Group, ...]:
    by_period: dict[str, list[tuple[Named, tuple[Named, ...]]]] = {}
    starts: dict[str, date] = {}
    for unit in _working_groups(facts, forum):
        others = tuple(named(facts, f) for f in forums_of[unit] if f != forum)
        period = period_of(facts, unit)
        by_period.setdefault(period, []).append((named(facts, unit), others))
        starts[period] = min(starts.get(period, date.max), _start(facts, unit))
    ordered = sorted(by_period, key=lambda p: (p == "", starts[p], p))
    return tuple(Group(period, tuple(by_period[period])) for period in ordered)


def _start(facts: Facts, unit: ox.NamedNode) -> date:
    """The first day of the period a unit was observed in (date.max when none is stated)."""
    period = facts.first(unit, iri("dcterms:temporal"))
    if not isinstance(period, (ox.NamedNode, ox.BlankNode)):
        return date.max
    for edge in ("time:hasBeginning", "time:hasEnd"):
        found = when(facts, facts.first(period, iri(edge)))
        if found:
            return found.first
    return date.max


def structure(store: Store, organisation: str, base: str, lang: str) -> Structure | None:
    """The forums of the organisation with their working groups; None when it has no forums."""
    facts = Facts(quads(store, STRUCTURE % {"r": iri_ref(organisation)}), base, lang)
    node = ox.NamedNode(organisation)
    forums = [
        f
        for f in _named_nodes(facts, facts.objects(node, iri("org:hasUnit")))
        if facts.has_type(f, "ec:Forum")
    ]
    if not forums:
        return None
    forums_of: dict[ox.NamedNode, list[ox.NamedNode]] = {}
    for forum in forums:
        for unit in _working_groups(facts, forum):
            forums_of.setdefault(unit, []).append(forum)
    return Structure(
        named(facts, node),
        tuple(Forum(named(facts, f), _groups(facts, f, forums_of)) for f in forums),
    )


# --- layout ------------------------------------------------------------------------------------------

MARGIN = 4.0
GAP = 18.0
PAD = 9.0
INDENT = 18.0
NETWORK_FONT = 18.0
FORUM_FONT = 16.0
UNIT_FONT = 14.0
NOTE_FONT = 13.0


@dataclass(frozen=True)
class Layout:
    name: str
    width: float
    columns: int

    @property
    def column_width(self) -> float:
        return (self.width - 2 * MARGIN - (self.columns - 1) * GAP) / self.columns


WIDE = Layout("wide", 960.0, 3)
NARROW = Layout("narrow", 380.0, 1)


def _box_height(line_count: int, font_size: float) -> float:
    return line_count * font_size * 1.25 + 2 * PAD - font_size * 0.25


def _boxed_link(
    parent: ET.Element,
    thing: Named,
    box: svg.Box,
    texts: list[str],
    font_size: float,
    css_class: str,
    notes: list[str] | None = None,
) -> None:
    anchor = svg.link(parent, thing.href, css_class, thing.lang)
    svg.add(
        anchor,
        "rect",
        {"x": box.x, "y": box.y, "width": box.width, "height": box.height, "rx": 5},
    )
    svg.lines(anchor, texts, box.x + PAD, box.y + PAD + font_size * 0.8, font_size, "d-label")
    if notes:
        top = box.y + PAD + font_size * 0.8 + len(texts) * font_size * 1.25
        svg.lines(anchor, notes, box.x + PAD, top, NOTE_FONT, "d-note")


def _unit_box(
    parent: ET.Element | None,
    unit: Named,
    others: tuple[Named, ...],
    x: float,
    y: float,
    width: float,
    lang: str,
) -> float:
    """Draws a working group's box (when `parent` is given); returns its height."""
    texts = svg.wrap(unit.text, width - 2 * PAD, UNIT_FONT)
    notes = (
        svg.wrap(
            word(lang, "also").format(", ".join(o.text for o in others)), width - 2 * PAD, NOTE_FONT
        )
        if others
        else []
    )
    height = _box_height(len(texts), UNIT_FONT) + len(notes) * NOTE_FONT * 1.25
    if parent is not None:
        _boxed_link(parent, unit, svg.Box(x, y, width, height), texts, UNIT_FONT, "d-unit", notes)
    return height


def _forum_block(
    parent: ET.Element | None, forum: Forum, x: float, y: float, width: float, lang: str
) -> float:
    """Draws a forum with its working groups by period (when `parent` is given); returns the height."""
    texts = svg.wrap(forum.forum.text, width - 2 * PAD, FORUM_FONT)
    notes = [word(lang, "groups").format(forum.size)]
    head = _box_height(len(texts), FORUM_FONT) + NOTE_FONT * 1.25
    if parent is not None:
        _boxed_link(
            parent, forum.forum, svg.Box(x, y, width, head), texts, FORUM_FONT, "d-forum", notes
        )
    top = y + head
    ticks: list[float] = []
    for group in forum.groups:
        top += 8 + NOTE_FONT
        if parent is not None:
            period = (
                word(lang, "observed").format(group.period)
                if group.period
                else word(lang, "no period")
            )
            svg.lines(parent, [period], x + INDENT, top, NOTE_FONT, "d-period")
        top += 6
        for unit, others in group.units:
            height = _unit_box(parent, unit, others, x + INDENT, top, width - INDENT, lang)
            ticks.append(top + min(height / 2, 16))
            top += height + 6
    if parent is not None and ticks:
        spine = x + INDENT / 2
        svg.add(
            parent,
            "path",
            {"d": _spine_path(spine, y + head, ticks, INDENT / 2), "class": "d-line"},
        )
    return top - y


def _spine_path(x: float, top: float, ticks: list[float], reach: float) -> str:
    n = svg.number
    parts = [f"M{n(x)} {n(top)}V{n(ticks[-1])}"]
    parts += [f"M{n(x)} {n(t)}h{n(reach)}" for t in ticks]
    return "".join(parts)


def _network_box(parent: ET.Element | None, found: Structure, width: float, lang: str) -> float:
    texts = svg.wrap(found.organisation.text, width - 2 * PAD, NETWORK_FONT)
    notes = [word(lang, "summary").format(len(found.forums), found.size)]
    height = _box_height(len(texts), NETWORK_FONT) + NOTE_FONT * 1.25
    if parent is not None:
        box = svg.Box(MARGIN, MARGIN, width, height)
        _boxed_link(parent, found.organisation, box, texts, NETWORK_FONT, "d-network", notes)
    return height


def _description(found: Structure, lang: str) -> str:
    intro = word(lang, "desc").format(found.organisation.text, len(found.forums), found.size)
    forums = "; ".join(word(lang, "forum").format(f.forum.text, f.size) for f in found.forums)
    return intro + forums + "."


def render(found: Structure, layout: Layout, lang: str, ident: str) -> Markup:
    """The diagram in one layout; `ident` makes its ids unique in the page."""
    inner = layout.width - 2 * MARGIN
    top = MARGIN + _network_box(None, found, inner, lang) + GAP
    rows = [
        found.forums[i : i + layout.columns] for i in range(0, len(found.forums), layout.columns)
    ]
    heights = [
        max(_forum_block(None, f, 0, 0, layout.column_width, lang) for f in row) for row in rows
    ]
    height = top + sum(heights) + GAP * (len(rows) - 1) + MARGIN
    title = word(lang, "title").format(found.organisation.text)
    root = svg.document(
        ident,
        title,
        _description(found, lang),
        layout.width,
        height,
        f"diagram {layout.name}",
        "group",
    )
    svg.add(root, "path", {"d": _bus_path(found, layout, top), "class": "d-line"})
    _network_box(root, found, inner, lang)
    for row, row_height in zip(rows, heights, strict=True):
        for column, forum in enumerate(row):
            x = MARGIN + column * (layout.column_width + GAP)
            _forum_block(root, forum, x, top, layout.column_width, lang)
        top += row_height + GAP
    return svg.markup(root)


def _bus_path(found: Structure, layout: Layout, top: float) -> str:
    """A line from the organisation down to the first row of forums."""
    n = svg.number
    bus = top - GAP / 2
    count = min(layout.columns, len(found.forums))
    centres = [
        MARGIN + c * (layout.column_width + GAP) + layout.column_width / 2 for c in range(count)
    ]
    parts = [f"M{n(layout.width / 2)} {n(bus - GAP / 2)}V{n(bus)}"]
    if len(centres) > 1:
        parts.append(f"M{n(centres[0])} {n(bus)}H{n(centres[-1])}")
    parts += [f"M{n(c)} {n(bus)}V{n(top)}" for c in centres]
    return "".join(parts)


@dataclass(frozen=True)
class Diagram:
    structure: Structure
    wide: Markup
    narrow: Markup


def diagram(store: Store, organisation: str, base: str, lang: str) -> Diagram | None:
    found = structure(store, organisation, base, lang)
    if found is None:
        return None
    return Diagram(
        found,
        render(found, WIDE, lang, "structure-wide"),
        render(found, NARROW, lang, "structure-narrow"),
    )
