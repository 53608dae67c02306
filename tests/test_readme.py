"""The README tells the truth: its quick start is what CI runs, and every command is documented."""

from __future__ import annotations

import re

from eurocities_kg.cli import main
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def code_lines() -> list[str]:
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", README, flags=re.MULTILINE | re.DOTALL)
    return [line.strip() for block in blocks for line in block.splitlines() if line.strip()]


def test_quick_start_test_command_is_run_verbatim_by_ci() -> None:
    [test_command] = [line for line in code_lines() if "pytest" in line][:1]
    assert test_command in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_quick_start_runs_the_server() -> None:
    assert "pip install -e . && eurocities-kg serve" in code_lines()


def test_every_command_is_documented() -> None:
    for name in main.commands:
        assert f"eurocities-kg {name}" in README, name


def test_every_option_of_every_command_is_documented() -> None:
    for name, command in main.commands.items():
        for parameter in command.params:
            for option in getattr(parameter, "opts", []):
                if option.startswith("--") and option != "--help":
                    assert option in README, f"{name} {option}"
