"""What changed from one build to the next, so that a harvester fetches only the news.

Each build compares its canonical N-Quads dump with the previous build's, line by line (blank nodes
are named canonically, so a line is a quad), and writes the difference into its release:

    releases/<new>/changes/<previous>-<new>.added.nq     quads in <new> but not in <previous>
    releases/<new>/changes/<previous>-<new>.removed.nq   quads in <previous> but not in <new>

Applying a difference to the previous build (delete the removed quads, insert the added ones) gives
the new build. The summary goes into the manifest (`changes`) and, with the two files, into the
durable feed `build/changes/`, which outlives the pruning of old releases.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

log = logging.getLogger(__name__)

CHANGES = "changes"
KINDS = ("added", "removed")


def data_modified_at(manifest: Mapping[str, Any]) -> str:
    """When the data of a build last changed (a build of unchanged data keeps the earlier time)."""
    return str(manifest.get("dataModifiedAt") or manifest["builtAt"])


def record(
    release: Path, dump: Path, manifest: Mapping[str, Any], previous: Path | None
) -> dict[str, Any]:
    """Write the difference of `dump` (the new release's N-Quads) from the same dump of the
    `previous` release into `release/changes/`; return the manifest fields that summarise it."""
    summary: dict[str, Any] = {
        "buildId": manifest["buildId"],
        "version": manifest["version"],
        "builtAt": manifest["builtAt"],
        "triples": manifest["triples"],
        "quads": manifest["quads"],
        "previousBuildId": None,
        "previousVersion": None,
        "added": manifest["quads"],  # the first build adds everything: take the full dump
        "removed": 0,
        "graphs": [],
        "files": [],
    }
    old = read_manifest(previous)
    old_dump = previous / "dumps" / dump.name if previous else None
    if old is None or old_dump is None or not old_dump.is_file():
        return {"dataModifiedAt": manifest["builtAt"], "changes": summary}
    new_lines, old_lines = _lines(dump), _lines(old_dump)
    added, removed = sorted(new_lines - old_lines), sorted(old_lines - new_lines)
    plus, minus = _per_graph(added), _per_graph(removed)
    name = f"{old['buildId']}-{manifest['buildId']}"
    (release / CHANGES).mkdir(exist_ok=True)
    summary |= {
        "previousBuildId": old["buildId"],
        "previousVersion": old["version"],
        "added": len(added),
        "removed": len(removed),
        "graphs": [
            {"graph": g, "added": plus[g], "removed": minus[g]} for g in sorted(plus | minus)
        ],
        "files": [
            _write(release / CHANGES / f"{name}.{kind}.nq", kind, lines)
            for kind, lines in zip(KINDS, (added, removed), strict=True)
        ],
    }
    unchanged = old.get("contentHash") == manifest["contentHash"]
    return {
        "dataModifiedAt": data_modified_at(old) if unchanged else manifest["builtAt"],
        "changes": summary,
    }


def _lines(path: Path) -> set[str]:
    return set(path.read_text(encoding="utf-8").splitlines()) - {""}


def _per_graph(lines: list[str]) -> Counter[str]:
    quads = ox.parse("\n".join(lines).encode(), format=ox.RdfFormat.N_QUADS)
    return Counter(
        q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else "" for q in quads
    )


def _write(path: Path, kind: str, lines: list[str]) -> dict[str, Any]:
    data = "".join(line + "\n" for line in lines).encode()
    path.write_bytes(data)
    return {
        "kind": kind,
        "file": path.name,
        "quads": len(lines),
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def read_manifest(release: Path | None) -> Mapping[str, Any] | None:
    """A release's manifest; None when there is none or it is unreadable (a corrupt release
    has no changes to publish)."""
    path = release / "manifest.json" if release else None
    if path is None or not path.is_file():
        return None
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None


def feed_dir(build_dir: Path) -> Path:
    return build_dir / CHANGES


def publish(build_dir: Path) -> None:
    """Copy every kept release's difference files and summary into the durable feed, where they
    outlive the pruning of releases. Idempotent (an interrupted copy is completed by the next
    build); each file is written aside and renamed, the summary last, so the feed never names a
    missing file."""
    target = feed_dir(build_dir)
    for release in sorted((build_dir / "releases").glob("*")):
        summary = (read_manifest(release) or {}).get("changes")
        if not summary or (target / f"{summary['buildId']}.json").is_file():
            continue
        try:
            target.mkdir(parents=True, exist_ok=True)
            for entry in summary["files"]:
                data = (release / CHANGES / entry["file"]).read_bytes()
                _write_aside(target / entry["file"], data)
            _write_aside(target / f"{summary['buildId']}.json", json.dumps(summary).encode())
        except OSError as error:  # the build is already current; the next build completes this
            log.warning("could not copy the changes of %s to %s: %s", release.name, target, error)


def _write_aside(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def feed(build_dir: Path, current: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """Every build's summary, newest first: the durable feed plus the current build's own (in case
    the build was interrupted before it copied the summary)."""
    entries: dict[str, dict[str, Any]] = {}
    directory = feed_dir(build_dir)
    for path in directory.glob("*.json") if directory.is_dir() else ():
        summary = json.loads(path.read_text(encoding="utf-8"))
        entries[summary["buildId"]] = summary
    if current and current.get("changes"):
        entries[current["buildId"]] = dict(current["changes"])
    return [entries[key] for key in sorted(entries, reverse=True)]


@dataclass(frozen=True)
class ChangeFile:
    path: Path
    sha256: str
    built_at: str  # when the build that wrote it ran


def find_file(
    build_dir: Path, release: Path | None, current: Mapping[str, Any], name: str
) -> ChangeFile | None:
    """A difference file the feed names; None for any other name, so that nothing outside the
    feed's directories is ever served."""
    for summary in feed(build_dir, current):
        for entry in summary["files"]:
            if entry["file"] != name:
                continue
            for directory in (feed_dir(build_dir), release / CHANGES if release else None):
                if directory is not None and (directory / name).is_file():
                    return ChangeFile(directory / name, entry["sha256"], summary["builtAt"])
    return None
