"""The SVG builder and the structure diagram: escaping, text, accessible names, links, layouts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from eurocities_kg.web import svg
from eurocities_kg.web.diagram import NARROW, WIDE, diagram, render, structure
from tests.visual_fixture import BASE, EVIL, NETWORK, store

NS = {"s": "http://www.w3.org/2000/svg"}


def parse(markup: str) -> ET.Element:
    return ET.fromstring(markup)


def test_labels_and_attributes_are_escaped() -> None:
    root = svg.document("x", EVIL, 'a "quoted" <desc> & more', 10, 10, "c")
    svg.add(root, "a", {"href": '/x?a=1&b="2"'}, text=EVIL)
    markup = str(svg.markup(root))
    assert "<script>" not in markup
    assert "&lt;script&gt;" in markup
    assert "&amp; Co" in markup
    parsed = parse(markup)
    assert parsed.find("s:title", NS).text == EVIL  # type: ignore[union-attr]
    assert parsed.find("s:a", NS).get("href") == '/x?a=1&b="2"'  # type: ignore[union-attr]


def test_document_is_named_and_described() -> None:
    root = parse(str(svg.markup(svg.document("chart", "T", "D", 420, 100.25, "chart"))))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-title"
    assert root.get("aria-describedby") == "chart-desc"
    assert root.get("viewBox") == "0 0 420 100.2"
    assert root.find("s:title", NS).get("id") == "chart-title"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("value", "text"), [(1.0, "1"), (2.25, "2.2"), (-0.04, "-0"), (12.36, "12.4")]
)
def test_numbers_are_short(value: float, text: str) -> None:
    assert svg.number(value) == text


def test_wrap_keeps_lines_inside_the_width() -> None:
    text = "Cultural services and culture for inclusive cities"
    lines = svg.wrap(text, 200, 14)
    assert len(lines) > 1
    assert " ".join(lines) == text
    assert all(svg.text_width(line, 14) <= 200 for line in lines)


def test_boxes_overlap_and_contain() -> None:
    a, b = svg.Box(0, 0, 10, 10), svg.Box(9, 9, 5, 5)
    assert a.overlaps(b)
    assert not a.overlaps(svg.Box(11, 0, 5, 5))
    assert svg.Box(1, 1, 2, 2).inside(a)
    assert not b.inside(a)


def test_no_style_attributes_which_the_csp_forbids() -> None:
    found = diagram(store(), NETWORK, BASE, "en")
    assert found is not None
    for markup in (found.wide, found.narrow):
        assert " style=" not in str(markup)


def test_structure_reads_forums_and_working_groups_by_period() -> None:
    found = structure(store(), NETWORK, BASE, "de")
    assert found is not None
    assert found.organisation.text == "Das Netz"
    assert [f.forum.text for f in found.forums] == ["Forum Kultur", "Forum Mobilität"]
    culture = found.forums[0]
    assert [g.period for g in culture.groups] == ["etwa 2020", ""]  # dated first, undated last
    assert [u.text for u, _ in culture.groups[0].units] == ["Art in public spaces"]
    # listed by the forum (org:hasUnit) or pointing to it (org:unitOf); in both forums, and said so
    creative = [
        (u, others)
        for g in culture.groups
        for u, others in g.units
        if u.text == "Creative industries"
    ]
    assert [o.text for o in creative[0][1]] == ["Forum Mobilität"]
    assert found.size == 3
    # English-only labels on a German page carry their language
    assert culture.groups[0].units[0][0].lang == "en"


def test_every_box_is_a_link_to_its_page() -> None:
    found = structure(store(), NETWORK, BASE, "en")
    assert found is not None
    root = parse(str(render(found, WIDE, "en", "s")))
    hrefs = [a.get("href") for a in root.iter("{http://www.w3.org/2000/svg}a")]
    assert hrefs[0] == "/id/network/net"
    assert "/id/forum/culture" in hrefs
    assert "/id/working-group/safety" in hrefs
    assert len(hrefs) == 1 + 2 + 4  # the network, two forums, four boxes (one group in two forums)
    for link in root.iter("{http://www.w3.org/2000/svg}a"):
        assert "".join(link.itertext()).strip()  # every link has a name
    assert root.get("role") == "group"  # an img would hide the links from assistive technology


def test_layouts_wide_and_narrow() -> None:
    found = structure(store(), NETWORK, BASE, "en")
    assert found is not None
    wide = parse(str(render(found, WIDE, "en", "w")))
    narrow = parse(str(render(found, NARROW, "en", "n")))
    assert wide.get("class") == "diagram wide"
    assert narrow.get("class") == "diagram narrow"
    assert wide.get("viewBox", "").startswith("0 0 960 ")
    assert narrow.get("viewBox", "").startswith("0 0 380 ")
    # one column on phones: the narrow diagram is taller than wide
    assert float(narrow.get("height", 0)) > float(wide.get("height", 0)) * 1.2
    assert wide.find("s:title", NS).get("id") == "w-title"  # type: ignore[union-attr]
    desc = narrow.find("s:desc", NS).text or ""  # type: ignore[union-attr]
    assert "2 forums with 3 working groups" in desc


def test_no_diagram_without_forums() -> None:
    assert diagram(store(), BASE + "id/city/alpha", BASE, "en") is None


def test_svg_ids_are_unique_on_the_page(client) -> None:
    html = client.get("/?lang=en").get_data(as_text=True)
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert 'aria-labelledby="structure-wide-title"' in html
