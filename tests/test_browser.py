"""What people do, in a real browser (headless Debian Chromium driven by Playwright) against the real
server: open the index, follow links to a city, its membership, the network and a forum (through the
structure diagram), run an example query and read the result table, switch the language, use the
keyboard — with a screenshot of each page in `test-artefacts/` and axe-core on each page."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser_support import (
    SCREENSHOT,
    axe_script,
    describe_violations,
    launch,
    run_axe,
    screenshot,
    site,
)

pytestmark = pytest.mark.e2e

FOCUS_STROKE = "rgb(196, 62, 0)"  # --focus in the light scheme


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch()


@pytest.fixture(scope="module")
def base_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    return site(request.config, tmp_path_factory)


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_script()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    try:
        yield context.new_page()
    finally:
        context.close()


def visit(page: Any, axe: str, name: str) -> None:
    """The page as people see it: a screenshot for the artefacts, and no axe-core violation."""
    page.wait_for_load_state()
    screenshot(page, name)
    violations = run_axe(page, axe)
    assert not violations, f"{page.url}:\n{describe_violations(violations)}"


def test_index_to_city_membership_network_and_forum(page: Any, axe: str, base_url: str) -> None:
    page.goto(base_url)
    assert page.locator("h1").inner_text() == "Eurocities knowledge graph"
    assert page.locator("svg.diagram.wide").is_visible()
    assert page.locator("svg.map a.m-city").count() == 13
    visit(page, axe, "01-index")

    page.locator("table.statements").get_by_role("link", name="Bochum", exact=True).click()
    assert page.url.endswith("/doc/city/bochum")
    assert page.locator("h1").inner_text().startswith("Bochum")
    visit(page, axe, "02-city-bochum")

    page.locator(
        "section[aria-labelledby=memberships-heading] a[href='/id/membership/bochum']"
    ).click()
    assert page.url.endswith("/doc/membership/bochum")
    assert "March 2021" in page.locator("main").inner_text()
    visit(page, axe, "03-membership-bochum")

    page.locator("table.facts a[href='/id/network/eurocities']").first.click()
    assert page.url.endswith("/doc/network/eurocities")
    visit(page, axe, "04-network")

    page.locator("svg.diagram.wide a[href='/id/forum/mobility']").click()
    assert page.url.endswith("/doc/forum/mobility")
    assert page.locator("h1").inner_text().startswith("Mobility Forum")
    visit(page, axe, "05-forum-mobility")


def test_the_readme_screenshot_of_the_network_page(page: Any, base_url: str) -> None:
    """The network page at desktop width; with EUROCITIES_KG_UPDATE_SCREENSHOT=1 it replaces the
    README's picture (`src/eurocities_kg/web/static/screenshots/network.png`)."""
    page.set_viewport_size({"width": 1280, "height": 1100})
    page.goto(base_url + "doc/network/eurocities?lang=en")
    assert page.locator("svg.diagram.wide a").count() > 30
    if os.environ.get("EUROCITIES_KG_UPDATE_SCREENSHOT"):
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.is_file()
    assert SCREENSHOT.stat().st_size > 10_000


def test_example_query_runs_and_shows_a_result_table(page: Any, axe: str, base_url: str) -> None:
    page.goto(base_url + "sparql?lang=en")
    visit(page, axe, "06-sparql")
    example = page.locator("nav.examples a").first
    title = example.inner_text()
    example.click()
    query = page.locator("textarea#query").input_value()
    assert "SELECT" in query.upper(), title
    page.get_by_role("button", name="Run query").click()
    page.wait_for_selector("section.results table")
    rows = page.locator("section.results table tbody tr")
    assert rows.count() > 0
    headers = page.locator("section.results table thead th").all_inner_texts()
    first = rows.first.locator("td").all_inner_texts()
    assert len(first) == len(headers)
    assert any(cell.strip() for cell in first)
    visit(page, axe, "07-sparql-result")


def test_switching_the_language(page: Any, axe: str, base_url: str) -> None:
    page.goto(base_url + "doc/network/eurocities?lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    page.locator("header.site a.language").click()
    assert page.locator("html").get_attribute("lang") == "de"
    assert page.locator("#units-heading, #memberships-heading, #members-heading").first.is_visible()
    assert "Foren und Arbeitsgruppen" in page.locator("main").inner_text()
    # the working groups have English names only: marked as English on the German page
    assert page.locator("svg.diagram.wide a.d-unit[lang=en]").count() > 0
    visit(page, axe, "08-network-de")
    page.goto(base_url + "charts?lang=de")
    assert page.locator("h1").inner_text() == "Diagramme"
    assert page.locator("svg.chart").count() == 3
    visit(page, axe, "09-charts-de")


def test_keyboard_skip_link_and_visible_focus_in_the_diagram(page: Any, base_url: str) -> None:
    page.goto(base_url + "?lang=en")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    assert page.evaluate("() => document.activeElement.className") == "skip"
    box = skip.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["y"] >= 0
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    for _ in range(200):  # onwards through the page in document order, to the diagram's boxes
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('svg.diagram')"):
            break
    else:
        pytest.fail("the diagram's links cannot be reached with the keyboard")
    stroke = page.evaluate(
        "() => getComputedStyle(document.activeElement.querySelector('rect')).stroke"
    )
    assert stroke == FOCUS_STROKE
    screenshot(page, "10-keyboard-focus")


def test_phone_width_shows_the_narrow_diagram(browser: Any, axe: str, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(base_url + "?lang=de")
        assert page.locator("svg.diagram.narrow").is_visible()
        assert not page.locator("svg.diagram.wide").is_visible()
        no_overflow = "() => document.documentElement.scrollWidth <= window.innerWidth"
        assert page.evaluate(no_overflow)
        visit(page, axe, "11-index-phone")
        page.goto(base_url + "charts?lang=en")
        assert page.evaluate(no_overflow)
        visit(page, axe, "12-charts-phone")
    finally:
        context.close()
