from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eurocities_kg.project import Project, find_project

TESTS = Path(__file__).parent
REPO = TESTS.parent
TINY = TESTS / "data" / "tiny-project"


@pytest.fixture
def tiny_project(tmp_path: Path) -> Project:
    """A fresh copy of the tiny fixture project, with its build directory inside it."""
    root = tmp_path / "project"
    shutil.copytree(TINY, root)
    return find_project(root)


@pytest.fixture(scope="session")
def real_build(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The real project of this repository, built once per session into a temporary directory."""
    from eurocities_kg.build import build

    project = find_project(REPO, tmp_path_factory.mktemp("real-build"))
    build(project)
    return project
