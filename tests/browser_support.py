"""Shared by the browser tests: Debian's Chromium driven by Playwright (never a downloaded browser),
axe-core from the npm registry, and one real server (`eurocities-kg serve`) per test session over
the project's data plus a small graph of city coordinates (the values of
`shared/reference/facts.md`), so that the map has cities on it whatever the enrichment holds.

`.ci/run` installs Chromium and axe-core; on a developer's machine without them these tests are
skipped, in CI (`CI` set) they fail instead, so that they can never pass by not running.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from eurocities_kg.project import find_project
from tests.conftest import REPO, running_server

CHROMIUM = Path(os.environ.get("EUROCITIES_KG_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_PLACES = (
    REPO / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js",  # where .ci/run puts it
    REPO / "node_modules" / "axe-core" / "axe.min.js",
)
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ARTEFACTS = REPO / "test-artefacts"
SCREENSHOT = REPO / "src" / "eurocities_kg" / "web" / "static" / "screenshots" / "network.png"

CITY = "https://w3id.org/eurocities-kg/id/city/"
COORDINATES = {  # latitude, longitude (WGS84), as Wikidata held them in September 2024
    "bochum": (51.483333, 7.216667),
    "essen": (51.450833, 7.013056),
    "dortmund": (51.513889, 7.465278),
    "hagen": (51.359444, 7.475),
    "berlin": (52.516667, 13.383333),
    "cologne": (50.942222, 6.957778),
    "hamburg": (53.55, 10.0),
    "munich": (48.1375, 11.575),
    "frankfurt-am-main": (50.110556, 8.682222),
    "stuttgart": (48.7775, 9.18),
    "dusseldorf": (51.231144, 6.772381),
    "leipzig": (51.34, 12.375),
    "florence": (43.771389, 11.254167),
}


def coordinates_turtle() -> str:
    """The fixture graph: each city's `schema:geo` with latitude and longitude, and the graph's source."""
    lines = [
        "@prefix schema: <https://schema.org/> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "@prefix prov: <http://www.w3.org/ns/prov#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "<https://w3id.org/eurocities-kg/graph/links-test-coordinates> a prov:Entity ;",
        "  prov:wasDerivedFrom <https://w3id.org/eurocities-kg/id/source/wikidata> ;",
        '  dcterms:modified "2026-11-24"^^xsd:date ;',
        '  rdfs:label "Koordinaten (Testdaten)"@de , "Coordinates (test fixture)"@en .',
    ]
    for slug, (lat, long) in COORDINATES.items():
        lines.append(
            f"<{CITY}{slug}> schema:geo [ a schema:GeoCoordinates ; "
            f'schema:latitude "{lat}"^^xsd:decimal ; schema:longitude "{long}"^^xsd:decimal ] .'
        )
    return "\n".join(lines) + "\n"


def require(found: bool, what: str) -> None:
    """Skip on a developer's machine without the tool; fail in CI, where .ci/run installs it."""
    if found:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing: .ci/run installs it", pytrace=False)
    pytest.skip(f"{what} is missing (.ci/run installs it)")


def axe_script() -> str:
    found = [p for p in AXE_PLACES if p.is_file()]
    override = os.environ.get("EUROCITIES_KG_AXE")
    if override:
        found.insert(0, Path(override))
    require(bool(found), "axe-core (npm install --prefix .venv/node axe-core@4)")
    return found[0].read_text(encoding="utf-8")


_SITE: dict[str, str] = {}


def site(config: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The base URL of a real server over the project plus the coordinates fixture, started once per
    session and stopped when the session ends."""
    if "url" not in _SITE:
        from eurocities_kg.build import build

        root = tmp_path_factory.mktemp("browser-site") / "project"
        for part in ("ontology", "data", "queries"):
            shutil.copytree(REPO / part, root / part)
        (root / "data" / "links" / "test-coordinates.ttl").write_text(
            coordinates_turtle(), encoding="utf-8"
        )
        project = find_project(root)
        build(project)
        stack = ExitStack()
        _SITE["url"] = stack.enter_context(running_server(project))
        config.add_cleanup(stack.close)
    return _SITE["url"]


def launch() -> Iterator[Any]:
    """A headless Debian Chromium (no browser download), for one test module."""
    require(CHROMIUM.is_file(), f"Chromium ({CHROMIUM}; apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright for Python (pip install -e '.[test]')")
        raise
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def screenshot(page: Any, name: str) -> Path:
    """A screenshot of the whole page as a test artefact (`test-artefacts/`, not committed)."""
    ARTEFACTS.mkdir(exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def run_axe(page: Any, script: str) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A and AA violations on the page. The script is evaluated through the
    DevTools protocol, which the page's Content-Security-Policy (no inline script) does not govern."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(script)
    violations: list[dict[str, Any]] = page.evaluate(
        """async (tags) => {
          const result = await axe.run(document, {
            runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
          return result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({ target: n.target.join(' '), html: n.html.slice(0, 200),
                                       summary: n.failureSummary })) }));
        }""",
        WCAG_21_AA,
    )
    return violations


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines += [
            f"    {n['target']}: {n['html']}\n      {n['summary']}" for n in violation["nodes"]
        ]
    return "\n".join(lines)
