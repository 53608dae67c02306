"""The difference each build records from the previous one, and the durable feed of differences."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyoxigraph as ox
import pytest

from eurocities_kg import build as build_module
from eurocities_kg import changes
from eurocities_kg.build import build
from eurocities_kg.errors import ValidationFailed
from eurocities_kg.namespaces import GRAPH_BASE
from eurocities_kg.project import Project
from eurocities_kg.release import current_release

CITIES = GRAPH_BASE + "cities"
KOELN_EN = '<https://w3id.org/eurocities-kg/id/city/koeln> <http://www.w3.org/2000/01/rdf-schema#label> "Cologne"@en'


def ticking_clock(start: datetime = datetime(2026, 1, 1, tzinfo=UTC)):
    """A clock one minute later on every call, so that build IDs and times differ."""
    calls = iter(range(1000))
    return lambda: start + timedelta(minutes=next(calls))


def nquads(release: Path) -> set[str]:
    return set((release / "dumps" / "eurocities-kg.nq").read_text().splitlines()) - {""}


def change_data(project: Project) -> None:
    """Add Köln's English label (one quad) and drop Bochum's (one quad)."""
    path = project.data_dir / "cities.ttl"
    text = path.read_text()
    text = text.replace('rdfs:label "Köln"@de .', 'rdfs:label "Köln"@de, "Cologne"@en .')
    text = text.replace('rdfs:label "Bochum"@de, "Bochum"@en .', 'rdfs:label "Bochum"@de .')
    path.write_text(text)


@pytest.fixture
def two_builds(tiny_project: Project) -> tuple[Project, dict, dict]:
    clock = ticking_clock()
    first = build(tiny_project, clock=clock)
    change_data(tiny_project)
    second = build(tiny_project, clock=clock)
    return tiny_project, first, second


def test_first_build_records_everything_added_and_no_files(tiny_project: Project) -> None:
    manifest = build(tiny_project)
    summary = manifest["changes"]
    assert summary["previousBuildId"] is None
    assert summary["added"] == manifest["quads"] == 14
    assert summary["removed"] == 0
    assert summary["files"] == []
    assert manifest["dataModifiedAt"] == manifest["builtAt"]


def test_a_data_change_is_recorded_as_added_and_removed_quads(two_builds) -> None:
    project, first, second = two_builds
    summary = second["changes"]
    assert summary["previousBuildId"] == first["buildId"]
    assert summary["previousVersion"] == first["version"]
    assert (summary["added"], summary["removed"]) == (1, 1)
    assert summary["graphs"] == [{"graph": CITIES, "added": 1, "removed": 1}]
    release = current_release(project.build_dir)
    name = f"{first['buildId']}-{second['buildId']}"
    added = (release / "changes" / f"{name}.added.nq").read_text()
    removed = (release / "changes" / f"{name}.removed.nq").read_text()
    assert added == f"{KOELN_EN} <{CITIES}> .\n"
    assert '"Bochum"@en' in removed
    assert removed.endswith(f"<{CITIES}> .\n")
    assert [f["kind"] for f in summary["files"]] == ["added", "removed"]
    assert summary["files"][0]["quads"] == 1


def test_applying_the_difference_to_the_previous_dump_gives_the_new_dump(two_builds) -> None:
    project, first, second = two_builds
    old_release = project.build_dir / "releases" / first["buildId"]
    new_release = project.build_dir / "releases" / second["buildId"]
    name = f"{first['buildId']}-{second['buildId']}"
    diff = new_release / "changes"
    applied = nquads(old_release) - set(
        (diff / f"{name}.removed.nq").read_text().splitlines()
    ) | set((diff / f"{name}.added.nq").read_text().splitlines())
    assert applied == nquads(new_release)
    assert applied != nquads(old_release)
    # the files are valid N-Quads
    parsed = list(ox.parse(path=diff / f"{name}.added.nq", format=ox.RdfFormat.N_QUADS))
    assert [q.graph_name.value for q in parsed] == [CITIES]


def test_the_data_time_stays_when_a_build_changes_nothing(tiny_project: Project) -> None:
    clock = ticking_clock()
    first = build(tiny_project, clock=clock)
    same = build(tiny_project, clock=clock)
    assert same["builtAt"] != first["builtAt"]
    assert same["dataModifiedAt"] == first["builtAt"]
    assert (same["changes"]["added"], same["changes"]["removed"]) == (0, 0)
    assert [f["bytes"] for f in same["changes"]["files"]] == [0, 0]
    change_data(tiny_project)
    changed = build(tiny_project, clock=clock)
    assert changed["dataModifiedAt"] == changed["builtAt"]


def test_the_feed_outlives_pruned_releases(tiny_project: Project) -> None:
    clock = ticking_clock()
    ids = []
    for _ in range(build_module.KEEP_RELEASES + 2):
        ids.append(build(tiny_project, clock=clock)["buildId"])
    releases = {p.name for p in (tiny_project.build_dir / "releases").iterdir()}
    assert ids[0] not in releases  # pruned
    feed = changes.feed(tiny_project.build_dir)
    assert [entry["buildId"] for entry in feed] == ids[::-1]
    oldest_diff = feed[-2]["files"][0]["file"]
    assert oldest_diff == f"{ids[0]}-{ids[1]}.added.nq"
    assert (changes.feed_dir(tiny_project.build_dir) / oldest_diff).is_file()


def test_a_refused_build_adds_nothing_to_the_feed(tiny_project: Project) -> None:
    build(tiny_project)
    before = sorted(p.name for p in changes.feed_dir(tiny_project.build_dir).iterdir())
    path = tiny_project.data_dir / "cities.ttl"
    path.write_text(path.read_text().replace('"Köln"@de', '"Köln"@fr'))
    with pytest.raises(ValidationFailed):
        build(tiny_project)
    assert sorted(p.name for p in changes.feed_dir(tiny_project.build_dir).iterdir()) == before


def test_publish_completes_an_interrupted_copy(two_builds) -> None:
    project, _first, second = two_builds
    feed_dir = changes.feed_dir(project.build_dir)
    summary_file = feed_dir / f"{second['buildId']}.json"
    summary_file.unlink()
    for entry in second["changes"]["files"]:
        (feed_dir / entry["file"]).unlink()
    assert second["buildId"] not in [e["buildId"] for e in changes.feed(project.build_dir)]
    changes.publish(project.build_dir)
    assert json.loads(summary_file.read_text()) == second["changes"]
    assert all((feed_dir / e["file"]).is_file() for e in second["changes"]["files"])


def test_find_file_serves_only_files_the_feed_names(two_builds) -> None:
    project, first, second = two_builds
    release = current_release(project.build_dir)
    name = f"{first['buildId']}-{second['buildId']}.added.nq"
    found = changes.find_file(project.build_dir, release, second, name)
    assert found is not None
    assert found.path.read_bytes().decode().startswith(KOELN_EN)
    assert found.built_at == second["builtAt"]
    for other in ("../manifest.json", f"{second['buildId']}.json", "x.added.nq"):
        assert changes.find_file(project.build_dir, release, second, other) is None


def test_the_current_release_stands_in_for_a_missing_feed(two_builds) -> None:
    project, first, second = two_builds
    shutil.rmtree(changes.feed_dir(project.build_dir))
    release = current_release(project.build_dir)
    assert [e["buildId"] for e in changes.feed(project.build_dir, second)] == [second["buildId"]]
    name = f"{first['buildId']}-{second['buildId']}.removed.nq"
    found = changes.find_file(project.build_dir, release, second, name)
    assert found is not None
    assert found.path.parent == release / "changes"
