"""Every kind of page passes axe-core at WCAG 2.1 A and AA with no violations, in German and English,
in the light and the dark colour scheme, run in headless Chromium against the real server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser_support import axe_script, describe_violations, launch, run_axe, site

pytestmark = pytest.mark.e2e

PAGES = [
    "/",
    "/charts",
    "/sparql",
    "/sparql?example=01-members-since",
    "/doc/network/eurocities",
    "/doc/city/bochum",
    "/doc/city/florence",
    "/doc/membership/bochum",
    "/doc/forum/mobility",
    "/doc/working-group/culture-skills-creativity-and-work",
    "/doc/person/dario-nardella",
    "/doc/office/dario-nardella-president-2020",
    "/doc/country/de",
    "/download/",
    "/def",
    "/validation-report",
    "/changes",
    "/graph/bochum-eurocities-page",
    "/doc/city/atlantis",  # the 404 page for people
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launch()


@pytest.fixture(scope="module")
def base_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    return site(request.config, tmp_path_factory)


@pytest.fixture(scope="module")
def axe() -> str:
    return axe_script()


def check(browser: Any, axe: str, url: str, scheme: str = "light") -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        response = page.goto(url)
        assert response is not None
        violations = run_axe(page, axe)
        assert not violations, f"{url} ({scheme}):\n{describe_violations(violations)}"
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_wcag_21_aa_violations(
    browser: Any, axe: str, base_url: str, path: str, lang: str
) -> None:
    separator = "&" if "?" in path else "?"
    check(browser, axe, f"{base_url.rstrip('/')}{path}{separator}lang={lang}")


@pytest.mark.parametrize("path", ["/", "/charts", "/doc/network/eurocities", "/sparql"])
def test_dark_colour_scheme_has_no_violations(
    browser: Any, axe: str, base_url: str, path: str
) -> None:
    check(browser, axe, f"{base_url.rstrip('/')}{path}", scheme="dark")


def test_phone_width_has_no_violations(browser: Any, axe: str, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(base_url + "?lang=de")
        violations = run_axe(page, axe)
        assert not violations, describe_violations(violations)
    finally:
        context.close()


def test_axe_really_runs_and_finds_a_planted_violation(
    browser: Any, axe: str, base_url: str
) -> None:
    """A check that the checks work: an image without a text alternative is reported."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base_url)
        page.evaluate(
            "() => { const img = document.createElement('img'); img.src = '/static/none.png';"
            " document.querySelector('main').append(img); }"
        )
        assert "image-alt" in {v["id"] for v in run_axe(page, axe)}
    finally:
        context.close()
