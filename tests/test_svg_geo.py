"""The map: coordinates read either way they may be stated, the projection, the shipped outline and its
licence note, clipping, the inset for crowded cities, links and escaping."""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET

from eurocities_kg.web import geo, svg
from eurocities_kg.web.graphdata import Named
from tests.visual_fixture import BASE, EVIL, NETWORK, store

SVG = "{http://www.w3.org/2000/svg}"


def test_coordinates_schema_geo_and_wgs84_and_none() -> None:
    found = {p.city.text: p for p in geo.places(store(), NETWORK, BASE, "en")}
    assert found["Alpha"].point == geo.Point(51.48, 7.22)  # schema:geo [ latitude, longitude ]
    assert found["Beta"].point == geo.Point(43.77, 11.25)  # geo:lat / geo:long
    assert found["Gamma"].point is None
    assert found["Alpha"].lat_text == "51.4800°\u00a0N"
    german = {p.city.text: p for p in geo.places(store(), NETWORK, BASE, "de")}
    assert german["Alfa"].long_text == "7,2200°\u00a0O"


def test_out_of_range_coordinates_are_not_used() -> None:
    import pyoxigraph as ox

    from eurocities_kg.web.facts import Facts

    city = ox.NamedNode(BASE + "id/city/x")
    graph = ox.NamedNode(BASE + "graph/g")
    quads = [
        ox.Quad(city, geo.GEO_LAT, ox.Literal("95.0"), graph),
        ox.Quad(city, geo.GEO_LONG, ox.Literal("7"), graph),
    ]
    assert geo.coordinates(Facts(quads, BASE, "en"), city) is None


def test_projection_is_centred_and_north_up() -> None:
    assert geo.project(52.0, 10.0) == (0.0, 0.0)
    x, y = geo.project(60.0, 10.0)
    assert abs(x) < 1e-12
    assert y > 0
    west, _ = geo.project(52.0, 0.0)
    assert west < 0
    # equal-area: a degree of longitude is shorter in the north
    assert (
        geo.project(60, 11)[0] - geo.project(60, 10)[0]
        < geo.project(40, 11)[0] - geo.project(40, 10)[0]
    )


def test_the_outline_ships_with_its_source_and_licence() -> None:
    data = json.loads(geo.OUTLINE.read_text(encoding="utf-8"))
    names = {f["properties"]["name"] for f in data["features"]}
    assert {"Germany", "France", "Italy", "Spain", "Poland", "United Kingdom"} <= names
    note = (geo.OUTLINE.parent / "README.md").read_text(encoding="utf-8")
    assert "Natural Earth" in note
    assert "public domain" in note
    assert "geopandas" in note


def test_clipping_keeps_a_ring_inside_the_box() -> None:
    ring = [(-10.0, 5.0), (5.0, -10.0), (20.0, 5.0), (5.0, 20.0)]
    clipped = geo._clip(ring, svg.Box(0, 0, 10, 10))
    assert clipped
    assert all(0 <= x <= 10 and 0 <= y <= 10 for x, y in clipped)


def test_frame_grows_to_show_every_city_within_the_outline() -> None:
    home = geo.frame_for([])
    far = geo.frame_for([geo.Point(64.1, -21.9)])  # Reykjavík
    assert far.west < home.west
    assert far.north > home.north
    x, y = far.pixel(64.1, -21.9)
    assert 0 <= x <= geo.WIDTH
    assert 0 <= y <= far.height


def named(text: str) -> Named:
    return Named(BASE + "id/city/" + text.lower(), "/id/city/" + text.lower(), text, None)


def places(points: dict[str, tuple[float, float]]) -> list[geo.Place]:
    return [geo.Place(named(name), geo.Point(*p)) for name, p in points.items()]


RUHR = {
    "Bochum": (51.483333, 7.216667),
    "Essen": (51.450833, 7.013056),
    "Dortmund": (51.513889, 7.465278),
    "Hagen": (51.359444, 7.475),
    "Dusseldorf": (51.231144, 6.772381),
    "Berlin": (52.516667, 13.383333),
    "Florence": (43.771389, 11.254167),
}


def test_crowded_cities_get_an_inset_and_every_city_is_one_link() -> None:
    root = ET.fromstring(str(geo.render(places(RUHR), "Net", "en")))
    links = {a.get("href"): a for a in root.iter(SVG + "a")}
    assert set(links) == {f"/id/city/{name.lower()}" for name in RUHR}
    inset = root.find(f"{SVG}g[@class='m-inset']")
    assert inset is not None
    in_inset = {a.get("href") for a in inset.iter(SVG + "a")}
    assert in_inset == {
        "/id/city/bochum",
        "/id/city/essen",
        "/id/city/dortmund",
        "/id/city/hagen",
        "/id/city/dusseldorf",
    }
    assert root.get("role") == "group"
    assert root.get("aria-labelledby") == "map-title"


def labels(root: ET.Element) -> list[svg.Box]:
    boxes = []
    for text in root.iter(SVG + "text"):
        x, y = float(text.get("x", 0)), float(text.get("y", 0))
        width = svg.text_width("".join(text.itertext()), geo.FONT) * geo.BOLD
        anchor = text.get("text-anchor")
        left = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
        boxes.append(svg.Box(left, y - geo.FONT * 0.8, width, geo.FONT))
    return boxes


def test_labels_do_not_overlap() -> None:
    root = ET.fromstring(str(geo.render(places(RUHR), "Net", "en")))
    boxes = labels(root)
    assert len(boxes) == len(RUHR)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)


def test_escaped_labels_and_a_text_description() -> None:
    found = geo.places(store(), NETWORK, BASE, "en")
    markup = str(geo.render(found, "The <Net>", "en"))
    assert "<script>" not in markup
    assert "The &lt;Net&gt;" in markup
    root = ET.fromstring(markup)
    assert EVIL in "".join(t.text or "" for t in root.iter(SVG + "tspan"))
    desc = root.find(SVG + "desc")
    assert desc is not None
    assert desc.text is not None
    assert "3 of 4 member cities" in desc.text
    assert "Without coordinates: Gamma" in desc.text


def test_a_map_without_coordinates_still_draws_europe() -> None:
    found = [geo.Place(named("Nowhere"), None)]
    root = ET.fromstring(str(geo.render(found, "Net", "de")))
    land = root.find(f"{SVG}defs/{SVG}path")
    assert land is not None
    assert len(land.get("d", "")) > 1000
    assert not list(root.iter(SVG + "a"))
    assert "Noch keine Mitgliedsstadt hat Koordinaten" in (root.find(SVG + "desc").text or "")  # type: ignore[union-attr]


def test_distances_on_the_map_follow_the_ground() -> None:
    frame = geo.frame_for([])
    bochum, essen, florence = (
        frame.pixel(*p) for p in (RUHR["Bochum"], RUHR["Essen"], RUHR["Florence"])
    )
    assert math.dist(bochum, essen) < 6 < math.dist(bochum, florence)


def test_index_and_network_page_show_the_map_with_its_table(client) -> None:
    for path in ("/?lang=en", "/doc/network/eurocities?lang=de"):
        html = client.get(path).get_data(as_text=True)
        assert '<svg xmlns="http://www.w3.org/2000/svg"' in html
        assert 'aria-labelledby="map-title"' in html
        assert '<table class="coordinates">' in html
        rows = html.split('<table class="coordinates">')[1].split("</table>")[0].count("<tr>")
        members = re.search(r'id="members-heading">[^<]*<span class="count">(\d+)<', html)
        assert members is not None
        # the header and every member city (all members are cities), with or without coordinates
        assert rows == 1 + int(members.group(1))
