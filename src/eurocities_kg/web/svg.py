"""A small builder for inline SVG, server-side: elements are built with ElementTree, so every label
and attribute value is XML-escaped on output; nothing from the graph is ever pasted into markup.

Styling is by class (the stylesheet colours the shapes, light and dark), never by `style` attributes,
which the site's Content-Security-Policy forbids.
"""

from __future__ import annotations

import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

# The mean advance of a character of the site's sans-serif, in ems: generous (DejaVu Sans, Chromium's
# default on Debian, is wide), so that wrapped text stays inside its box.
CHAR_WIDTH = 0.6

Attrs = dict[str, str | float | int | None]


def number(value: float) -> str:
    """A coordinate with at most one decimal, without a trailing `.0`."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _attribute(value: str | float | int) -> str:
    return value if isinstance(value, str) else number(float(value))


def element(
    tag: str,
    attrs: Attrs | None = None,
    children: Iterable[ET.Element] = (),
    text: str | None = None,
) -> ET.Element:
    """An element with its attributes (None values are left out), children and text."""
    node = ET.Element(tag, {k: _attribute(v) for k, v in (attrs or {}).items() if v is not None})
    node.text = text
    node.extend(children)
    return node


def add(
    parent: ET.Element, tag: str, attrs: Attrs | None = None, text: str | None = None
) -> ET.Element:
    child = element(tag, attrs, text=text)
    parent.append(child)
    return child


def markup(node: ET.Element) -> Markup:
    """The element as markup for a template (escaped by ElementTree, so safe to insert)."""
    return Markup(ET.tostring(node, encoding="unicode", short_empty_elements=True))  # noqa: S704


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        return not (
            self.right + gap <= other.x
            or other.right + gap <= self.x
            or self.bottom + gap <= other.y
            or other.bottom + gap <= self.y
        )

    def inside(self, other: Box) -> bool:
        return (
            self.x >= other.x
            and self.y >= other.y
            and self.right <= other.right
            and self.bottom <= other.bottom
        )


def text_width(text: str, font_size: float) -> float:
    return len(text) * font_size * CHAR_WIDTH


def wrap(text: str, width: float, font_size: float) -> list[str]:
    """The text in lines that fit `width` (estimated from the character count)."""
    chars = max(8, int(width / (font_size * CHAR_WIDTH)))
    return textwrap.wrap(text, chars, break_long_words=True) or [""]


def document(
    ident: str,
    title: str,
    desc: str,
    width: float,
    height: float,
    css_class: str,
    role: str = "img",
    lang: str | None = None,
) -> ET.Element:
    """An `<svg>` scaled by its viewBox, named by its `<title>` and described by its `<desc>`.

    `role="img"` for a picture; `role="group"` when it holds links, which an image's children
    would hide from assistive technology (they are presentational in an `img`)."""
    root = element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {number(width)} {number(height)}",
            "width": width,
            "height": height,
            "class": css_class,
            "role": role,
            "aria-labelledby": f"{ident}-title",
            "aria-describedby": f"{ident}-desc",
            "lang": lang,
        },
    )
    add(root, "title", {"id": f"{ident}-title"}, title)
    add(root, "desc", {"id": f"{ident}-desc"}, desc)
    return root


def link(
    parent: ET.Element, href: str | None, css_class: str, lang: str | None = None
) -> ET.Element:
    """An SVG `<a>`: a keyboard-reachable link whose name is the text inside it (no link without
    `href`: an IRI that is no web address)."""
    return add(parent, "a", {"href": href, "class": css_class, "lang": lang})


def lines(
    parent: ET.Element,
    texts: Sequence[str],
    x: float,
    y: float,
    font_size: float,
    css_class: str,
    anchor: str | None = None,
    lang: str | None = None,
) -> ET.Element:
    """A `<text>` of one or more lines (tspans), the first baseline at `y`."""
    node = add(
        parent,
        "text",
        {
            "x": x,
            "y": y,
            "font-size": font_size,
            "class": css_class,
            "text-anchor": anchor,
            "lang": lang,
        },
    )
    line_height = font_size * 1.25
    for index, text in enumerate(texts):
        add(node, "tspan", {"x": x, "dy": 0 if index == 0 else line_height}, text)
    return node
