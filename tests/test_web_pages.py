"""The index page through the Flask test client."""

from __future__ import annotations

import re

from eurocities_kg.describe import forum_sizes
from eurocities_kg.namespaces import CANONICAL_BASE
from eurocities_kg.project import Project
from eurocities_kg.store import EmbeddedStore
from eurocities_kg.web.pages import human_size

from .test_web_resources import assert_valid_html, html

NETWORK = CANONICAL_BASE + "id/network/eurocities"


def test_the_index_is_valid_html_in_english_by_default(client) -> None:
    page = html(client, "/")
    assert_valid_html(page)
    assert '<html lang="en">' in page
    assert "<h1>Eurocities knowledge graph</h1>" in page
    assert (
        "The largest European network of (large) cities." in page
    )  # the network's own description


def test_the_index_speaks_german_when_asked(client) -> None:
    page = html(client, "/", **{"Accept-Language": "de"})
    assert '<html lang="de">' in page
    assert "<h1>Eurocities-Wissensgraph</h1>" in page
    assert "Das größte europäische (Groß-)Städtenetzwerk." in page
    assert "<h1>Eurocities knowledge graph</h1>" in html(
        client, "/?lang=en", **{"Accept-Language": "de"}
    )


def test_the_index_links_the_network_and_its_forums_with_working_group_counts(
    client, real_build: Project
) -> None:
    page = html(client, "/")
    assert '<a class="big-link" href="/id/network/eurocities">Eurocities</a>' in page
    sizes = forum_sizes(EmbeddedStore.from_build(real_build.build_dir), NETWORK)
    culture = sizes[CANONICAL_BASE + "id/forum/culture"]
    assert re.search(
        rf">Culture Forum</a> <span class=\"muted\">— {culture} working groups</span>", page
    )
    assert page.count("working groups</span>") + page.count("working group</span>") == len(sizes)


def test_the_index_lists_the_members_with_since_when(client) -> None:
    page = html(client, "/")
    members = page[page.index("members-heading") : page.index("query-heading")]
    bochum = members[members.index(">Bochum<") :]
    assert "since March 2021" in bochum[: bochum.index("</tr>")]
    florence = members[members.index(">Florence<") :]
    assert '<span class="badge">inferred</span>' in florence[: florence.index("</tr>")]


def test_the_index_links_the_endpoint_and_every_example_query(client, app) -> None:
    page = html(client, "/")
    assert 'href="/sparql?lang=en"' in page
    examples = app.extensions["eurocities_kg"].examples
    assert examples
    for example in examples:
        assert f'href="/sparql?example={example.name}&amp;lang=en"' in page


def test_the_index_links_every_dump_with_its_size(client, app) -> None:
    page = html(client, "/")
    dumps = app.extensions["eurocities_kg"].manifest["dumps"]
    assert dumps
    for dump in dumps:
        assert f'<a href="/download/{dump["file"]}" download>{dump["file"]}</a>' in page
        assert human_size(dump["bytes"], "en") in page


def test_the_index_shows_the_licence_and_the_counts(client, app) -> None:
    page = html(client, "/")
    manifest = app.extensions["eurocities_kg"].manifest
    assert (
        'href="https://creativecommons.org/licenses/by/4.0/" rel="license">Creative Commons' in page
    )
    assert f"<dd>{manifest['triples']}</dd>" in page
    assert f"<dd>{len(manifest['graphs'])}</dd>" in page


def test_the_language_switch_keeps_the_page(client) -> None:
    page = html(client, "/doc/city/bochum")
    assert re.search(
        r'<a class="language" hreflang="de" lang="de"\s+href="/doc/city/bochum\?lang=de">Deutsch</a>',
        page,
    )
    index = html(client, "/?lang=de")
    assert re.search(r'hreflang="en" lang="en"\s+href="/\?lang=en">English</a>', index)


def test_human_sizes() -> None:
    assert human_size(999, "en") == "999 B"
    assert human_size(142_725, "en") == "142.7 kB"
    assert human_size(2_500_000, "de") == "2,5 MB"
