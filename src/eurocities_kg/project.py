"""Where a project's ontology/, data/, queries/ and build directory are.

A project is a directory holding `ontology/` and `data/`. Where the working directory holds none,
the copy shipped inside the package is used, with its build in the user's cache directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ProjectNotFound

PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Project:
    root: Path
    build_dir: Path

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def ontology_file(self) -> Path:
        return self.ontology_dir / "eurocities.ttl"

    @property
    def shapes_file(self) -> Path:
        return self.ontology_dir / "shapes.ttl"


def is_project(path: Path) -> bool:
    return (path / "ontology").is_dir() and (path / "data").is_dir()


def shipped_project_root() -> Path | None:
    """The copy in the wheel, or the source checkout this package runs from (editable install)."""
    for candidate in (PACKAGE_DIR / "_project", PACKAGE_DIR.parents[1]):
        if is_project(candidate):
            return candidate
    return None


def user_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "eurocities-kg"


def find_project(root: Path | None = None, build_dir: Path | None = None) -> Project:
    """Resolve the project: an explicit root must be a project; otherwise the working directory
    or the shipped copy."""
    if root is not None:
        root = root.resolve()
        if not is_project(root):
            raise ProjectNotFound(
                f"{root} is not a project: it needs ontology/ and data/ directories"
            )
        return Project(root, (build_dir or root / "build").resolve())
    cwd = Path.cwd()
    if is_project(cwd):
        return Project(cwd, (build_dir or cwd / "build").resolve())
    shipped = shipped_project_root()
    if shipped is None:
        raise ProjectNotFound(
            f"{cwd} holds no ontology/ and data/, and the package ships no copy; pass --project DIR"
        )
    # The wheel's copy is read-only: its build goes to the user's cache. A checkout builds in place.
    default_build = user_cache_dir() / "build" if shipped.name == "_project" else shipped / "build"
    return Project(shipped, (build_dir or default_build).resolve())
