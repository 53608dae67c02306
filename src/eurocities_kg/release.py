"""Reading a build: the current release of a build directory and its manifest, and checking that a
build can be served (before a server starts on it or reloads it)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import BuildCorrupt, BuildNotFound

MANIFEST = "manifest.json"
MANIFEST_KEYS = ("buildId", "version", "builtAt", "triples", "graphs", "dumps")


def current_release(build_dir: Path) -> Path:
    link = build_dir / "current"
    if link.is_symlink() and not link.exists():
        raise BuildCorrupt(
            f"{link} points to {link.readlink()}, which is missing: run `eurocities-kg build` again"
        )
    if not link.exists():
        raise BuildNotFound(f"no build in {build_dir}: run `eurocities-kg build` first")
    release = link.resolve()
    for part in (MANIFEST, "store"):
        if not (release / part).exists():
            raise BuildCorrupt(
                f"the build in {release} lacks {part}: run `eurocities-kg build` again"
            )
    return release


def read_manifest(build_dir: Path) -> Mapping[str, Any]:
    return release_manifest(current_release(build_dir))


def release_manifest(release: Path) -> Mapping[str, Any]:
    """The manifest of one release (a resolved release directory, not the `current` link)."""
    path = release / MANIFEST
    try:
        manifest: Mapping[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BuildCorrupt(f"{path} cannot be read: {error}") from None
    if not isinstance(manifest, dict):
        raise BuildCorrupt(f"{path} is not a JSON object: run `eurocities-kg build` again")
    missing = [key for key in MANIFEST_KEYS if key not in manifest]
    if missing:
        raise BuildCorrupt(f"{path} lacks {', '.join(missing)}: run `eurocities-kg build` again")
    return manifest


def check_build(build_dir: Path) -> Mapping[str, Any]:
    """The manifest of the current build, once its store opens and every dump it lists is there;
    BuildNotFound or BuildCorrupt (with a one-line reason) otherwise."""
    manifest = read_manifest(build_dir)
    release = current_release(build_dir)
    _check_store(release / "store")
    for name in _listed_files(manifest):
        if not (release / name).is_file():
            raise BuildCorrupt(
                f"the build in {release} lacks {name}: run `eurocities-kg build` again"
            )
    return manifest


def _listed_files(manifest: Mapping[str, Any]) -> list[str]:
    """The files the manifest lists (the dumps, and the shapes of builds that keep them),
    relative to the release."""
    try:
        files = [f"dumps/{dump['file']}" for dump in manifest["dumps"]]
        if "shapes" in manifest:
            files.append(str(manifest["shapes"]["file"]))
    except (TypeError, KeyError):
        raise BuildCorrupt("the manifest's list of files is unreadable: build again") from None
    return files


def _check_store(path: Path) -> None:
    """Open the store read-only and read one quad (the handle is closed again)."""
    try:
        store = ox.Store.read_only(str(path))
        next(iter(store.quads_for_pattern(None, None, None, None)), None)
        del store
    except (OSError, RuntimeError, ValueError) as error:
        reason = " ".join(str(error).split())
        raise BuildCorrupt(f"the store in {path} cannot be opened: {reason}") from None
