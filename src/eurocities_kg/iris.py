"""Canonical IRIs and the paths this publisher serves them under, mapped term by term."""

from __future__ import annotations

import re
import unicodedata

KIND_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def slugify(name: str) -> str:
    """The README's slug rule: lower case, diacritics folded (ü → u, é → e, ß → ss), every run of
    other characters → "-"."""
    folded = unicodedata.normalize("NFKD", name.replace("ß", "ss"))
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def local_path(iri: str, base: str) -> str | None:
    """`{base}id/city/bochum` → `/id/city/bochum`; None for an IRI outside the base."""
    if not iri.startswith(base) or len(iri) == len(base):
        return None
    return "/" + iri[len(base) :]


def thing_iri(kind: str, slug: str, base: str) -> str:
    return f"{base}id/{kind}/{slug}"


def doc_path(kind: str, slug: str, extension: str | None = None) -> str:
    return f"/doc/{kind}/{slug}" + (f".{extension}" if extension else "")


def is_valid_name(part: str) -> bool:
    return bool(KIND_SLUG.match(part))
