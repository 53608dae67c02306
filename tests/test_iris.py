"""The slug rule of the README, in one place (`iris.slugify`) for the generator, the Wikidata
enrichment, the suggestions of unknown resources and the tests of the real data."""

from __future__ import annotations

import pytest

from eurocities_kg.iris import is_valid_name, slugify


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Bochum", "bochum"),
        ("Köln", "koln"),
        ("Frankfurt am Main", "frankfurt-am-main"),
        ("Straße, Düsseldorf!", "strasse-dusseldorf"),
        ("Économie & Développement", "economie-developpement"),
        ("Dario Nardella", "dario-nardella"),
        ("annual report 2016–2017", "annual-report-2016-2017"),  # an en dash is another character
        ("Wrocław", "wroc-aw"),  # ł has no decomposition: another character, not a diacritic
        ("  --Forum--  ", "forum"),
        ("", ""),
    ],
)
def test_slugify_follows_the_slug_rule(name: str, slug: str) -> None:
    assert slugify(name) == slug


def test_a_slug_is_a_valid_path_segment() -> None:
    for name in ("Köln", "Sankt Pölten", "Île-de-France", "ŁÓDŹ 2024", "İstanbul"):
        assert is_valid_name(slugify(name)), name
