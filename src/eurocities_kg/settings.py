"""The publisher's settings: one frozen object, built in one place (defaults < environment < flags)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any

from .namespaces import CANONICAL_BASE
from .project import Project, find_project

ENV_PREFIX = "EUROCITIES_KG_"


@dataclass(frozen=True)
class Settings:
    project: Project
    base: str = CANONICAL_BASE  # the canonical base of the IRIs in the store
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 2
    page_size: int = 100  # incoming links shown per page of a resource document
    contact_email: str = "eurocities-kg@example.org"
    # dct:publisher of the catalogue: who runs this service and grants the licence (K-36)
    publisher_name: str = "eurocities-kg project"
    # dcatde:contributorID: only an ID GovData assigned (http://dcat-ap.de/def/contributors/…)
    contributor_id: str | None = None
    cache_seconds: int = 300
    extra: dict[str, Any] = field(default_factory=dict)

    def with_overrides(self, **overrides: Any) -> Settings:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def _from_environment() -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, cast in (
        ("BASE", str),
        ("HOST", str),
        ("PORT", int),
        ("WORKERS", int),
        ("PAGE_SIZE", int),
        ("CONTACT_EMAIL", str),
        ("PUBLISHER_NAME", str),
        ("CONTRIBUTOR_ID", str),
        ("CACHE_SECONDS", int),
    ):
        raw = os.environ.get(ENV_PREFIX + name)
        if raw:
            values[name.lower()] = cast(raw)
    return values


def load_settings(project: Project | None = None, **flags: Any) -> Settings:
    settings = Settings(project or find_project()).with_overrides(**_from_environment())
    settings = settings.with_overrides(**flags)
    if not settings.base.endswith("/"):
        settings = replace(settings, base=settings.base + "/")
    return settings
