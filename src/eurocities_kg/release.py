"""Reading a build: the current release of a build directory and its manifest."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import BuildCorrupt, BuildNotFound

MANIFEST = "manifest.json"


def current_release(build_dir: Path) -> Path:
    link = build_dir / "current"
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
    path = current_release(build_dir) / MANIFEST
    try:
        manifest: Mapping[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BuildCorrupt(f"{path} cannot be read: {error}") from None
    return manifest
