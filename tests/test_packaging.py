"""The wheel carries the project (ontology, data, queries): an installed package works from any
directory, building into the user's cache."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        timeout=300,
    )
    [built] = out.glob("eurocities_kg-*.whl")
    return built


def test_wheel_ships_ontology_data_and_queries(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "eurocities_kg/_project/ontology/eurocities.ttl" in names
    assert "eurocities_kg/_project/ontology/shapes.ttl" in names
    assert "eurocities_kg/_project/data/bochum-eurocities-page.ttl" in names
    assert "eurocities_kg/_project/data/links/wikidata.ttl" in names
    assert any(n.startswith("eurocities_kg/_project/queries/") and n.endswith(".rq") for n in names)
    assert "eurocities_kg/web/templates/base.html" in names


def test_installed_package_validates_and_builds_from_anywhere(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
        check=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("EUROCITIES_KG_PROJECT", None)
    result = subprocess.run(
        [str(venv / "bin" / "eurocities-kg"), "build"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "cache" / "eurocities-kg" / "build" / "current" / "manifest.json").is_file()
    assert "0 violations" in result.stdout
