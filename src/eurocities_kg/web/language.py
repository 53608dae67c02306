"""The visitor's language: `?lang=` overrides `Accept-Language`; German and English are offered."""

from __future__ import annotations

from flask import request

LANGUAGES = ("en", "de")
DEFAULT_LANGUAGE = "en"


def visitor_language() -> str:
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        return asked
    return (
        request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE) or DEFAULT_LANGUAGE
    )


def other_language(lang: str) -> str:
    return "de" if lang == "en" else "en"
