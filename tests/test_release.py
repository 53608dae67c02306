"""Reading a build: one release resolved once, corrupt stores reported as such."""

from __future__ import annotations

import pytest

from eurocities_kg.build import build
from eurocities_kg.errors import BuildCorrupt
from eurocities_kg.project import Project
from eurocities_kg.release import check_build, current_release, release_manifest
from eurocities_kg.store import EmbeddedStore


def test_a_release_manifest_is_read_from_the_release_itself(tiny_project: Project) -> None:
    first = build(tiny_project)
    release = current_release(tiny_project.build_dir)
    build(tiny_project)  # a newer build is swapped in
    assert release_manifest(release)["buildId"] == first["buildId"]


def test_a_store_directory_holding_garbage_is_a_corrupt_build(tiny_project: Project) -> None:
    build(tiny_project)
    store = current_release(tiny_project.build_dir) / "store"
    for path in store.iterdir():
        if path.is_file():
            path.write_bytes(b"garbage")
    with pytest.raises(BuildCorrupt, match="cannot be opened"):
        EmbeddedStore.open(store)


def test_a_release_without_the_shapes_its_manifest_lists_is_a_corrupt_build(
    tiny_project: Project,
) -> None:
    build(tiny_project)
    assert check_build(tiny_project.build_dir)["shapes"]["file"] == "shapes.ttl"
    (current_release(tiny_project.build_dir) / "shapes.ttl").unlink()
    with pytest.raises(BuildCorrupt, match=r"lacks shapes\.ttl"):
        check_build(tiny_project.build_dir)
