"""What the running app knows: settings, the store of the current build and its manifest.

Kept in `app.extensions["eurocities_kg"]`, never in module globals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask, current_app

from ..queries import ExampleQuery, example_queries
from ..query_pool import InlineRunner, QueryRunner, StoreSpec, open_pool
from ..release import current_release, release_manifest
from ..settings import Settings
from ..store import EmbeddedStore, Store, open_store
from .cache import ResponseCache

KEY = "eurocities_kg"


@dataclass(frozen=True)
class AppState:
    settings: Settings
    store: Store
    manifest: Mapping[str, Any]
    release: Path | None
    examples: tuple[ExampleQuery, ...]
    # responses of this build, serialized (web/cache.py); compare=False: a cache is no state
    cache: ResponseCache = field(default_factory=ResponseCache, compare=False)
    # where the endpoint's queries run: killable processes under the time limit (query_pool.py);
    # None runs them on `store` in the request's thread, without a limit (a state built by hand)
    queries: QueryRunner | None = field(default=None, compare=False)

    @property
    def runner(self) -> QueryRunner:
        return self.queries or InlineRunner(self.store)

    @property
    def built_at(self) -> datetime:
        return datetime.fromisoformat(self.manifest["builtAt"])

    @property
    def version(self) -> str:
        return str(self.manifest["version"])


def load_state(settings: Settings) -> AppState:
    """The state over the current build; the store is the build's own, or the one
    `settings.store` names (store.STORE_KINDS) — the manifest and the dumps are the build's."""
    build_dir = settings.project.build_dir
    # `current` is resolved once: a build swapped in meanwhile must not give this worker one
    # release's store and another's manifest.
    release = current_release(build_dir)
    store = (
        EmbeddedStore.open(release / "store")
        if settings.store is None
        else open_store(
            settings.store, build_dir, gsp=settings.store_gsp, timeout=settings.store_timeout
        )
    )
    spec = (
        StoreSpec(path=str(release / "store"))
        if settings.store is None
        else StoreSpec(url=settings.store, gsp=settings.store_gsp, timeout=settings.store_timeout)
    )
    return AppState(
        settings=settings,
        store=store,
        manifest=release_manifest(release),
        release=release,
        examples=tuple(example_queries(settings.project.queries_dir)),
        cache=ResponseCache(settings.result_cache_entries, settings.result_cache_bytes),
        # no time limit (0): the queries run in the worker itself, as on a private deployment
        queries=open_pool(
            spec, settings.query_processes, settings.query_timeout, settings.query_memory_mb
        )
        if settings.query_timeout > 0
        else None,
    )


def install(app: Flask, state: AppState) -> None:
    app.extensions[KEY] = state


def state() -> AppState:
    found: AppState = current_app.extensions[KEY]
    return found
