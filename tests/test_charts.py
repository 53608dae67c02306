"""The charts: members per country counted beside the figures sources report, the membership
timeline with the precision of each date, office holders over time; and the /charts page."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from eurocities_kg.web import charts
from eurocities_kg.web.graphdata import _span, year_fraction
from tests.visual_fixture import BASE, EVIL, NETWORK, store

SVG = "{http://www.w3.org/2000/svg}"
AS_OF = date(2026, 11, 24)


def test_dates_become_spans_of_their_precision() -> None:
    assert _span("2021-03-05") == (date(2021, 3, 5), date(2021, 3, 5))
    assert _span("2021-03") == (date(2021, 3, 1), date(2021, 3, 31))
    assert _span("2020-02") == (date(2020, 2, 1), date(2020, 2, 29))
    assert _span("1986") == (date(1986, 1, 1), date(1986, 12, 31))
    assert _span("mid-1990s") is None
    assert _span("2021-13") is None
    assert year_fraction(date(2020, 1, 1)) == 2020.0


def test_members_per_country_counted_beside_reported() -> None:
    rows = charts.country_rows(store(), NETWORK, BASE, "en")
    germany, unstated, countries = rows
    assert germany.title == "Germany"
    assert germany.counted == 2
    assert [c.text for c in germany.cities] == ["Alpha", "Beta"]
    assert [(r.value, r.date) for r in germany.reported] == [(20, "2019")]
    assert germany.reported[0].sources[0].label == "Main source"
    assert unstated.title == "country not stated"
    assert unstated.counted == 2
    assert countries.counted == 1
    assert [r.value for r in countries.reported] == [38]


def test_countries_chart_has_a_title_a_description_and_bars() -> None:
    rows = charts.country_rows(store(), NETWORK, BASE, "de")
    root = ET.fromstring(str(charts.countries_chart(rows, "de")))
    assert root.get("role") == "img"
    title, desc = root.find(SVG + "title"), root.find(SVG + "desc")
    assert title is not None
    assert title.text
    assert title.text.startswith("Mitgliedsstädte je Land")
    assert desc is not None
    assert "Deutschland 2" in (desc.text or "")
    assert "berichtet" in (desc.text or "")
    assert len(root.findall(f"{SVG}rect[@class='c-counted']")) == 3
    assert len(root.findall(f"{SVG}rect[@class='c-reported']")) == 2


def test_membership_timeline_by_start_with_precision() -> None:
    found = charts.member_spans(charts.spans(store(), NETWORK, BASE, "en"))
    assert [s.who.text for s in found] == ["Beta", EVIL, "Alpha", "Gamma"]
    beta = found[0]
    assert beta.start is not None
    assert beta.start.precision == "year"
    assert beta.start.inferred
    assert found[1].start is not None
    assert found[1].start.precision == "day"
    assert found[2].start is not None
    assert found[2].start.precision == "month"
    assert found[3].start is None  # undated: listed, not drawn
    svg_text = str(charts.timeline_chart([s for s in found if s.start], AS_OF, "T", "D", "t", "en"))
    assert "<script>" not in svg_text
    root = ET.fromstring(svg_text)
    assert len(root.findall(f"{SVG}rect[@class='c-span']")) == 3
    assert root.findall(f"{SVG}rect[@class='c-inferred']")  # Beta's 1986 is inferred
    assert "as of 24 Nov 2026" in "".join(root.itertext())


def test_office_holders_with_open_and_unknown_ends() -> None:
    found = charts.office_spans(charts.spans(store(), NETWORK, BASE, "en"))
    assert [(s.who.text, s.role.text if s.role else "") for s in found] == [
        ("Ann", "president"),
        ("Bob", "vice-president"),
    ]
    ann, bob = found
    assert ann.end is not None
    assert ann.end.inferred
    assert ann.end.precision == "month"
    assert bob.start is None
    assert bob.end is not None
    root = ET.fromstring(str(charts.timeline_chart(found, AS_OF, "T", "D", "o", "en")))
    assert root.findall(f"{SVG}rect[@class='c-unknown']")  # Bob's start is not stated
    text = "".join(root.itertext())
    assert "start not stated" in text
    assert "Ann — president" in text


def test_axis_covers_every_date_and_the_as_of_day() -> None:
    found = charts.member_spans(charts.spans(store(), NETWORK, BASE, "en"))
    axis = charts.axis_for([s for s in found if s.start], AS_OF)
    assert axis.start <= 1986
    assert axis.end > year_fraction(AS_OF)
    assert all(axis.start <= t <= axis.end for t in axis.ticks())
    assert 2 <= len(axis.ticks()) <= 9


def test_charts_page_in_both_languages(client) -> None:
    english = client.get("/charts?lang=en").get_data(as_text=True)
    assert english.count("<svg") == 3
    assert english.count("<title id=") == 3
    assert "Members per country" in english
    assert "Office holders over time" in english
    german = client.get("/charts?lang=de").get_data(as_text=True)
    assert '<html lang="de">' in german
    assert "Mitglieder je Land" in german
    assert "Amtsinhaber im Zeitverlauf" in german
    index = client.get("/?lang=en").get_data(as_text=True)
    assert 'href="/charts?lang=en"' in index
