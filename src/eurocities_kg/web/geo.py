"""The map of member cities: each city with coordinates in the graph placed on an outline of Europe,
as server-side SVG; each city a link to its page. Where cities crowd (the Rhine-Ruhr), an inset shows
them enlarged.

Coordinates are read from the store, stated either way the enrichment may state them:
`schema:geo [ schema:latitude …; schema:longitude … ]` or W3C WGS84 `geo:lat` / `geo:long`.
The outline is Natural Earth's 1:110m countries (public domain), shipped in `static/maps/` with a note
of its source; the projection is a spherical Lambert azimuthal equal-area centred on 52°N 10°E (as
ETRS89-LAEA), in pure Python.
"""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from markupsafe import Markup

from ..describe import iri_ref
from ..namespaces import SCHEMA
from ..store import Store
from . import svg
from .facts import Facts
from .graphdata import Named, named, quads

OUTLINE = Path(__file__).parent / "static" / "maps" / "europe-110m.geojson"
GEO = "http://www.w3.org/2003/01/geo/wgs84_pos#"
GEO_LAT, GEO_LONG = ox.NamedNode(GEO + "lat"), ox.NamedNode(GEO + "long")
SCHEMA_GEO = ox.NamedNode(SCHEMA.geo)
SCHEMA_LAT, SCHEMA_LONG = ox.NamedNode(SCHEMA.latitude), ox.NamedNode(SCHEMA.longitude)

CITIES = f"""
SELECT ?s ?p ?o ?g WHERE {{
  ?m a org:Membership ; org:organization %(r)s ; org:member ?city . ?city a schema:City .
  FILTER NOT EXISTS {{ ?m org:role ?role }}
  ?city schema:geo? ?s .
  VALUES ?p {{ rdf:type rdfs:label foaf:name schema:geo schema:latitude schema:longitude
              <{GEO_LAT.value}> <{GEO_LONG.value}> }}
  GRAPH ?g {{ ?s ?p ?o }}
}}"""

CENTRE = (52.0, 10.0)  # latitude, longitude of the projection's centre
HOME = (
    -10.5,
    35.0,
    31.0,
    61.0,
)  # west, south, east, north: the frame shown when all cities fit in it
LIMITS = (-30.0, 30.0, 50.0, 75.0)  # the outline's extent: the frame never grows beyond it
WIDTH = 560.0
DOT = 4.0
FONT = 14.0
CROWDED = 16.0  # cities closer than this (px) are shown in the inset
INSET = (216.0, 176.0)
SIDES = (
    "right",
    "left",
    "above",
    "below",
    "above right",
    "below right",
    "above left",
    "below left",
    "far above",
    "far below",
)
BOLD = 1.25  # labels are bold: wider than the estimate for regular text
MAX_ZOOM = 24.0

WORDS = {
    "en": {
        "title": "Map of the member cities of {}",
        "desc": "{} of {} member cities placed by their coordinates on an outline of Europe: {}.",
        "none": "No member city has coordinates in the graph yet.",
        "missing": " Without coordinates: {}.",
        "inset": "Enlarged: {}",
    },
    "de": {
        "title": "Karte der Mitgliedsstädte von {}",
        "desc": "{} von {} Mitgliedsstädten nach ihren Koordinaten auf einem Umriss Europas: {}.",
        "none": "Noch keine Mitgliedsstadt hat Koordinaten im Graphen.",
        "missing": " Ohne Koordinaten: {}.",
        "inset": "Vergrößert: {}",
    },
}


def word(lang: str, key: str) -> str:
    return WORDS.get(lang, WORDS["en"])[key]


@dataclass(frozen=True)
class Point:
    lat: float
    long: float


@dataclass(frozen=True)
class Place:
    city: Named
    point: Point | None
    lat_text: str = ""
    long_text: str = ""


# --- reading the coordinates -------------------------------------------------------------------------


def _degrees(term: object, limit: float) -> float | None:
    if not isinstance(term, ox.Literal):
        return None
    try:
        value = float(term.value)
    except ValueError:
        return None
    return value if math.isfinite(value) and -limit <= value <= limit else None


def _point(
    facts: Facts, node: ox.NamedNode | ox.BlankNode, lat: ox.NamedNode, long: ox.NamedNode
) -> Point | None:
    for lat_term in sorted(facts.objects(node, lat), key=str):
        for long_term in sorted(facts.objects(node, long), key=str):
            found = _degrees(lat_term, 90.0), _degrees(long_term, 180.0)
            if found[0] is not None and found[1] is not None:
                return Point(found[0], found[1])
    return None


def coordinates(facts: Facts, city: ox.NamedNode) -> Point | None:
    """The city's coordinates: schema:geo's latitude and longitude, else geo:lat and geo:long."""
    for geo in sorted(facts.objects(city, SCHEMA_GEO), key=str):
        if isinstance(geo, (ox.NamedNode, ox.BlankNode)) and (
            found := _point(facts, geo, SCHEMA_LAT, SCHEMA_LONG)
        ):
            return found
    return _point(facts, city, GEO_LAT, GEO_LONG)


def _degree_text(value: float, positive: str, negative: str, lang: str) -> str:
    text = f"{abs(value):.4f}°\u00a0{positive if value >= 0 else negative}"
    return text.replace(".", ",") if lang == "de" else text


def places(store: Store, organisation: str, base: str, lang: str) -> list[Place]:
    """The member cities of the organisation, by name, each with its coordinates or None."""
    facts = Facts(quads(store, CITIES % {"r": iri_ref(organisation)}), base, lang)
    cities = [
        s
        for s in facts.subjects()
        if isinstance(s, ox.NamedNode) and facts.has_type(s, "schema:City")
    ]
    found = []
    for city in sorted(cities, key=lambda c: facts.label(c).lower()):
        point = coordinates(facts, city)
        east = "O" if lang == "de" else "E"
        texts = (
            (_degree_text(point.lat, "N", "S", lang), _degree_text(point.long, east, "W", lang))
            if point
            else ("", "")
        )
        found.append(Place(named(facts, city), point, *texts))
    return found


# --- projection and outline --------------------------------------------------------------------------


def project(lat: float, long: float) -> tuple[float, float]:
    """Lambert azimuthal equal-area on the unit sphere, y growing northwards."""
    phi, lam = math.radians(lat), math.radians(long - CENTRE[1])
    phi0 = math.radians(CENTRE[0])
    k = math.sqrt(
        2 / (1 + math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(lam))
    )
    return (
        k * math.cos(phi) * math.sin(lam),
        k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(lam)),
    )


@dataclass(frozen=True)
class Frame:
    """The part of the projected plane the map shows, and its scale to pixels."""

    west: float
    south: float
    east: float
    north: float

    @property
    def scale(self) -> float:
        return WIDTH / (self.east - self.west)

    @property
    def height(self) -> float:
        return (self.north - self.south) * self.scale

    def pixel(self, lat: float, long: float) -> tuple[float, float]:
        x, y = project(lat, long)
        return (x - self.west) * self.scale, (self.north - y) * self.scale


def _edge_points(
    west: float, south: float, east: float, north: float
) -> Iterable[tuple[float, float]]:
    steps = 12
    for i in range(steps + 1):
        long = west + (east - west) * i / steps
        lat = south + (north - south) * i / steps
        yield from ((south, long), (north, long), (lat, west), (lat, east))


def frame_for(points: Sequence[Point]) -> Frame:
    """The home frame of Europe, grown to show every city (with a margin), within the outline."""
    west, south, east, north = HOME
    if points:
        west = max(LIMITS[0], min(west, *(p.long - 2 for p in points)))
        east = min(LIMITS[2], max(east, *(p.long + 2 for p in points)))
        south = max(LIMITS[1], min(south, *(p.lat - 1.5 for p in points)))
        north = min(LIMITS[3], max(north, *(p.lat + 1.5 for p in points)))
    projected = [project(lat, long) for lat, long in _edge_points(west, south, east, north)]
    xs, ys = [p[0] for p in projected], [p[1] for p in projected]
    return Frame(min(xs), min(ys), max(xs), max(ys))


@lru_cache(maxsize=1)
def outline() -> tuple[tuple[tuple[tuple[float, float], ...], ...], ...]:
    """The countries as rings of (latitude, longitude), read once from the shipped GeoJSON."""
    data = json.loads(OUTLINE.read_text(encoding="utf-8"))
    countries = []
    for feature in data["features"]:
        rings = tuple(
            tuple((lat, long) for long, lat in ring)
            for polygon in feature["geometry"]["coordinates"]
            for ring in polygon
        )
        countries.append(rings)
    return tuple(countries)


XY = tuple[float, float]


def _clip_edge(ring: list[XY], axis: int, limit: float, keep_above: bool) -> list[XY]:
    """One step of Sutherland–Hodgman: the ring cut by the line `coordinate[axis] == limit`."""

    def inside(point: XY) -> bool:
        return point[axis] >= limit if keep_above else point[axis] <= limit

    def cross(p: XY, q: XY) -> XY:
        t = (limit - p[axis]) / (q[axis] - p[axis])
        return (limit, p[1] + (q[1] - p[1]) * t) if axis == 0 else (p[0] + (q[0] - p[0]) * t, limit)

    kept: list[XY] = []
    for index, current in enumerate(ring):
        previous = ring[index - 1]
        if inside(current):
            if not inside(previous):
                kept.append(cross(previous, current))
            kept.append(current)
        elif inside(previous):
            kept.append(cross(previous, current))
    return kept


def _clip(ring: list[XY], box: svg.Box) -> list[XY]:
    """The ring cut to the box (a polygon stays closed along the box's edges)."""
    for axis, limit, keep_above in (
        (0, box.x, True),
        (0, box.right, False),
        (1, box.y, True),
        (1, box.bottom, False),
    ):
        ring = _clip_edge(ring, axis, limit, keep_above)
        if not ring:
            break
    return ring


def _ring_path(ring: Sequence[tuple[float, float]]) -> str:
    """A closed ring as a path, relative steps of a tenth of a pixel, tiny steps dropped."""
    tenths = [(round(x * 10), round(y * 10)) for x, y in ring]
    steps: list[str] = []
    last = tenths[0]
    for point in tenths[1:]:
        dx, dy = point[0] - last[0], point[1] - last[1]
        if abs(dx) + abs(dy) >= 6:
            steps.append(f"{svg.number(dx / 10)} {svg.number(dy / 10)}")
            last = point
    if len(steps) < 2:
        return ""
    start = f"M{svg.number(tenths[0][0] / 10)} {svg.number(tenths[0][1] / 10)}"
    return start + "l" + " ".join(steps).replace(" -", "-") + "z"


@lru_cache(maxsize=8)
def land_path(frame: Frame) -> str:
    """Every country of the outline inside the frame, as one path."""
    box = svg.Box(-4, -4, WIDTH + 8, frame.height + 8)
    parts = []
    for rings in outline():
        for ring in rings:
            clipped = _clip([frame.pixel(lat, long) for lat, long in ring], box)
            if len(clipped) >= 3:
                parts.append(_ring_path(clipped))
    return "".join(parts)


# --- the picture -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Dot:
    place: Place
    x: float
    y: float


def _crowded(dots: Sequence[Dot]) -> list[Dot]:
    """The largest group of cities that lie too close together to be labelled at this scale."""
    close = {
        i
        for i, a in enumerate(dots)
        for j, b in enumerate(dots)
        if i != j and math.dist((a.x, a.y), (b.x, b.y)) < CROWDED
    }
    groups: list[set[int]] = []
    for index in sorted(close):
        joined = [
            g
            for g in groups
            if any(
                math.dist((dots[index].x, dots[index].y), (dots[k].x, dots[k].y)) < 2 * CROWDED
                for k in g
            )
        ]
        merged = {index}.union(*joined)
        groups = [g for g in groups if g not in joined] + [merged]
    best = max(groups, key=len, default=set())
    return [dots[i] for i in sorted(best)] if len(best) >= 3 else []


def _label_box(x: float, y: float, text: str, side: str) -> tuple[svg.Box, float, float, str]:
    """Where a label goes on one side of a dot: its box, its anchor point and text-anchor."""
    width, gap = svg.text_width(text, FONT) * BOLD, DOT + 3
    positions = {
        "right": (x + gap, y + FONT * 0.35, "start", x + gap),
        "left": (x - gap, y + FONT * 0.35, "end", x - gap - width),
        "above": (x, y - gap, "middle", x - width / 2),
        "below": (x, y + gap + FONT * 0.8, "middle", x - width / 2),
        "above right": (x + 2, y - gap + 1, "start", x + 2),
        "below right": (x + 2, y + gap + FONT * 0.8 - 1, "start", x + 2),
        "above left": (x - 2, y - gap + 1, "end", x - 2 - width),
        "below left": (x - 2, y + gap + FONT * 0.8 - 1, "end", x - 2 - width),
        "far above": (x, y - gap - FONT, "middle", x - width / 2),
        "far below": (x, y + gap + FONT * 1.8, "middle", x - width / 2),
    }
    tx, ty, anchor, left = positions[side]
    return svg.Box(left, ty - FONT * 0.8, width, FONT), tx, ty, anchor


def _dot_box(dot: Dot) -> svg.Box:
    return svg.Box(dot.x - DOT, dot.y - DOT, 2 * DOT, 2 * DOT)


Label = tuple[svg.Box, float, float, str]  # its box, anchor point and text-anchor
SEARCH_BUDGET = 20_000  # steps of the search for a placement without overlaps


def _free_options(
    dot: Dot, dots: Sequence[Dot], bounds: svg.Box, blocked: Sequence[svg.Box]
) -> list[Label]:
    """The sides of a dot where its label stays inside the bounds and covers no dot or blocked box."""
    fixed = [*blocked, *(_dot_box(d) for d in dots if d is not dot)]
    options = [_label_box(dot.x, dot.y, dot.place.city.text, side) for side in SIDES]
    return [
        o for o in options if o[0].inside(bounds) and not any(o[0].overlaps(t, 1) for t in fixed)
    ]


def _search(options: list[list[Label]]) -> list[Label] | None:
    """A side for every label such that no two labels overlap (depth first, within a budget)."""
    chosen: list[Label] = []
    steps = 0

    def extend(index: int) -> bool:
        nonlocal steps
        if index == len(options):
            return True
        for option in options[index]:
            steps += 1
            if steps > SEARCH_BUDGET:
                return False
            if not any(option[0].overlaps(c[0], 1) for c in chosen):
                chosen.append(option)
                if extend(index + 1):
                    return True
                chosen.pop()
        return False

    return chosen if extend(0) else None


def _greedy(dots: Sequence[Dot], bounds: svg.Box, blocked: Sequence[svg.Box]) -> list[Label]:
    """Each label on the side that hits the fewest dots, labels and blocked boxes so far."""
    labels: list[Label] = []
    for dot in dots:
        taken = [
            *blocked,
            *(label[0] for label in labels),
            *(_dot_box(d) for d in dots if d is not dot),
        ]
        options = [_label_box(dot.x, dot.y, dot.place.city.text, side) for side in SIDES]
        inside = [o for o in options if o[0].inside(bounds)] or options
        labels.append(min(inside, key=lambda o: sum(1 for t in taken if o[0].overlaps(t, 1))))
    return labels


def _place_labels(
    dots: Sequence[Dot], bounds: svg.Box, blocked: Sequence[svg.Box]
) -> list[tuple[Dot, float, float, str]]:
    """A label beside every dot, overlapping no other label, dot or blocked box where that can be
    found; else as few overlaps as a greedy placement gives."""
    ordered = sorted(dots, key=lambda d: (d.x, d.y))
    found = _search([_free_options(d, ordered, bounds, blocked) for d in ordered])
    labels = found or _greedy(ordered, bounds, blocked)
    return [(dot, tx, ty, anchor) for dot, (_, tx, ty, anchor) in zip(ordered, labels, strict=True)]


def _city(parent: ET.Element, dot: Dot, tx: float, ty: float, anchor: str) -> None:
    city = dot.place.city
    link = svg.link(parent, city.href, "m-city", city.lang)
    svg.add(link, "circle", {"cx": dot.x, "cy": dot.y, "r": DOT})
    svg.lines(link, [city.text], tx, ty, FONT, "m-label", None if anchor == "start" else anchor)


def _inset_box(dots: Sequence[Dot], region: svg.Box, height: float) -> svg.Box:
    """A corner of the map for the inset that covers no city and not the region it enlarges."""
    width, tall = INSET
    corners = (
        svg.Box(4, 4, width, tall),
        svg.Box(WIDTH - width - 4, 4, width, tall),
        svg.Box(4, height - tall - 4, width, tall),
        svg.Box(WIDTH - width - 4, height - tall - 4, width, tall),
    )
    for corner in corners:
        if not corner.overlaps(region, 4) and not any(
            corner.overlaps(_dot_box(d), 2) for d in dots
        ):
            return corner
    return corners[0]


def _corners(box: svg.Box) -> list[tuple[float, float]]:
    return [(x, y) for x in (box.x, box.right) for y in (box.y, box.bottom)]


def _leader(region: svg.Box, inset: svg.Box) -> str:
    """A line from the enlarged region to the nearest corner of the inset."""
    pairs = [(a, b) for a in _corners(region) for b in _corners(inset)]
    a, b = min(pairs, key=lambda pair: math.dist(*pair))
    n = svg.number
    return f"M{n(a[0])} {n(a[1])}L{n(b[0])} {n(b[1])}"


def _inset(
    root: ET.Element,
    ident: str,
    dots: Sequence[Dot],
    crowded: Sequence[Dot],
    height: float,
    lang: str,
) -> svg.Box:
    """The crowded cities enlarged in a corner; returns the inset's box (labels elsewhere avoid it)."""
    xs, ys = [d.x for d in crowded], [d.y for d in crowded]
    spread_x, spread_y = max(max(xs) - min(xs), 2.0), max(max(ys) - min(ys), 2.0)
    zoom = min(MAX_ZOOM, INSET[0] * 0.6 / spread_x, INSET[1] * 0.6 / spread_y)
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    width, tall = INSET[0] / zoom, INSET[1] / zoom
    region = svg.Box(cx - width / 2, cy - tall / 2, width, tall)
    box = _inset_box(dots, region, height)
    group = svg.add(root, "g", {"class": "m-inset"})
    svg.add(group, "path", {"d": _leader(region, box), "class": "m-frame"})
    svg.add(
        group,
        "rect",
        {
            "x": region.x,
            "y": region.y,
            "width": region.width,
            "height": region.height,
            "class": "m-region",
        },
    )
    svg.add(
        group,
        "rect",
        {"x": box.x, "y": box.y, "width": box.width, "height": box.height, "class": "m-sea"},
    )
    view = svg.add(
        group,
        "svg",
        {
            "x": box.x,
            "y": box.y,
            "width": box.width,
            "height": box.height,
            "viewBox": f"{svg.number(region.x)} {svg.number(region.y)} {svg.number(region.width)} {svg.number(region.height)}",
            "aria-hidden": "true",
        },
    )
    svg.add(view, "use", {"href": f"#{ident}-land", "class": "m-land"})
    svg.add(
        group,
        "rect",
        {"x": box.x, "y": box.y, "width": box.width, "height": box.height, "class": "m-frame"},
    )
    names = ", ".join(d.place.city.text for d in crowded)
    svg.add(group, "title", text=word(lang, "inset").format(names))
    enlarged = [
        Dot(d.place, box.x + (d.x - region.x) * zoom, box.y + (d.y - region.y) * zoom)
        for d in crowded
    ]
    for dot, tx, ty, anchor in _place_labels(
        enlarged, svg.Box(box.x + 2, box.y + 2, box.width - 4, box.height - 4), ()
    ):
        _city(group, dot, tx, ty, anchor)
    return box


def _description(found: Sequence[Place], lang: str) -> str:
    shown = [p.city.text for p in found if p.point]
    missing = [p.city.text for p in found if not p.point]
    text = (
        word(lang, "desc").format(len(shown), len(found), ", ".join(shown))
        if shown
        else word(lang, "none")
    )
    return text + (word(lang, "missing").format(", ".join(missing)) if missing else "")


def render(found: Sequence[Place], organisation: str, lang: str, ident: str = "map") -> Markup:
    points = [p.point for p in found if p.point]
    frame = frame_for(points)
    height = frame.height
    title = word(lang, "title").format(organisation)
    root = svg.document(ident, title, _description(found, lang), WIDTH, height, "map", "group")
    defs = svg.add(root, "defs")
    svg.add(
        defs,
        "path",
        {"id": f"{ident}-land", "d": land_path(frame), "vector-effect": "non-scaling-stroke"},
    )
    svg.add(root, "rect", {"x": 0, "y": 0, "width": WIDTH, "height": height, "class": "m-sea"})
    svg.add(root, "use", {"href": f"#{ident}-land", "class": "m-land"})
    dots = [Dot(p, *frame.pixel(p.point.lat, p.point.long)) for p in found if p.point]
    crowded = _crowded(dots)
    blocked = [_inset(root, ident, dots, crowded, height, lang)] if crowded else []
    for dot in crowded:
        svg.add(
            root,
            "circle",
            {"cx": dot.x, "cy": dot.y, "r": DOT - 1.5, "class": "m-dot", "aria-hidden": "true"},
        )
    single = [d for d in dots if d not in crowded]
    bounds = svg.Box(2, 2, WIDTH - 4, height - 4)
    for dot, tx, ty, anchor in _place_labels(single, bounds, blocked):
        _city(root, dot, tx, ty, anchor)
    return svg.markup(root)


@dataclass(frozen=True)
class CityMap:
    places: tuple[Place, ...]
    svg: Markup

    @property
    def located(self) -> tuple[Place, ...]:
        return tuple(p for p in self.places if p.point)

    @property
    def unlocated(self) -> tuple[Place, ...]:
        return tuple(p for p in self.places if not p.point)


def city_map(store: Store, organisation: str, name: str, base: str, lang: str) -> CityMap | None:
    """The map of the organisation's member cities (`name` is the organisation's, for the title)."""
    found = places(store, organisation, base, lang)
    if not found:
        return None
    return CityMap(tuple(found), render(found, name, lang))
