"""The publisher's settings: one frozen object, built in one place (defaults < environment < flags)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import SPARQLWrapper

from . import __version__
from .namespaces import CANONICAL_BASE
from .project import Project, find_project

ENV_PREFIX = "EUROCITIES_KG_"
WIKIDATA_ENDPOINT = "https://query.wikidata.org/sparql"


def _words(raw: str) -> tuple[str, ...]:
    """A list in one environment variable: separated by spaces or commas."""
    return tuple(raw.replace(",", " ").split())


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
    # Wikidata (issue 4): only `link`, `enrich`, `export quickstatements` and `diff` use the network
    wikidata_endpoint: str = WIKIDATA_ENDPOINT
    wikidata_timeout: float = 60.0  # seconds for one request (the query service stops at 60 s)
    wikidata_retries: int = 4  # further attempts after a 429 or 5xx answer
    wikidata_backoff: float = 2.0  # seconds before the first retry, doubled for each further one
    wikidata_max_wait: float = 120.0  # cap on any wait, Retry-After included
    # SERVICE targets a query to /sparql may call; anything else is refused (400) before connecting
    service_allow_list: tuple[str, ...] = (WIKIDATA_ENDPOINT,)
    # The store (issue 5): None is the current build's embedded store; a URL names a SPARQL 1.1
    # service (store.STORE_KINDS), `store_gsp` its Graph Store endpoint where the URL cannot tell
    store: str | None = None
    store_gsp: str | None = None
    store_timeout: float = 60.0  # seconds for one request to a remote store
    # SPARQL results and documents kept per worker, serialized, for the build in service
    result_cache_entries: int = 2048
    result_cache_bytes: int = 64 * 1024 * 1024
    # SERVICE to loopback/private addresses stays refused even when allow-listed, unless this is set
    # (for a stand-in endpoint in tests or a private deployment).
    service_allow_private: bool = False
    # The SPARQL endpoint's limits (issue 6): a query runs in a worker process that is killed when
    # it exceeds `query_timeout` seconds or `query_memory_mb` (503); a result beyond `result_limit`
    # rows or triples is cut, and says so; `query_processes` such processes per web worker (one per
    # request thread)
    query_timeout: float = 10.0
    result_limit: int = 10_000
    query_processes: int = 4
    query_memory_mb: int = 2048  # data memory of one query process; 0 for no limit
    # seconds a client may take to send a request, head and body, from its first byte; else 408
    request_body_timeout: float = 10.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def wikidata_user_agent(self) -> str:
        """Wikimedia's User-Agent policy: client/version (contact) library/version."""
        return (
            f"eurocities-kg/{__version__} ({CANONICAL_BASE}; {self.contact_email}) "
            f"SPARQLWrapper/{SPARQLWrapper.__version__}"
        )

    def with_overrides(self, **overrides: Any) -> Settings:
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})


def _from_environment() -> dict[str, Any]:
    values: dict[str, Any] = {}
    cast: Callable[[str], Any]
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
        ("WIKIDATA_ENDPOINT", str),
        ("WIKIDATA_TIMEOUT", float),
        ("WIKIDATA_RETRIES", int),
        ("WIKIDATA_BACKOFF", float),
        ("SERVICE_ALLOW_LIST", _words),
        ("STORE", str),
        ("STORE_GSP", str),
        ("STORE_TIMEOUT", float),
        ("RESULT_CACHE_ENTRIES", int),
        ("RESULT_CACHE_BYTES", int),
        ("SERVICE_ALLOW_PRIVATE", _flag),
        ("QUERY_TIMEOUT", float),
        ("RESULT_LIMIT", int),
        ("QUERY_PROCESSES", int),
        ("QUERY_MEMORY_MB", int),
        ("REQUEST_BODY_TIMEOUT", float),
    ):
        raw = os.environ.get(ENV_PREFIX + name)
        if raw:
            values[name.lower()] = cast(raw)
    return values


def _flag(raw: str) -> bool:
    return raw.strip().lower() in ("1", "true", "yes", "on")


def load_settings(project: Project | None = None, **flags: Any) -> Settings:
    settings = Settings(project or find_project()).with_overrides(**_from_environment())
    settings = settings.with_overrides(**flags)
    if not settings.base.endswith("/"):
        settings = replace(settings, base=settings.base + "/")
    return settings
