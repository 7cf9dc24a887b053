"""The CLI's contract: help for every command, exit code 2 on bad usage, the package is clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ENTENTE = [sys.executable, "-m", "entente"]
COMMANDS = ["build", "serve", "query", "reason", "validate", "eval", "bench"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ENTENTE, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_top_level_help_lists_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in COMMANDS:
        assert command in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0, result.stderr
    assert "--" in result.stdout  # documents its options


@pytest.mark.parametrize(
    "args",
    [
        ["no-such-command"],
        [],
        ["build", "--no-such-flag"],
        ["serve", "--port", "not-a-number"],
        ["serve", "--max-rows", "0"],
        ["query", "--format", "pdf", "SELECT * {}"],
        ["validate", "--store", "var/store", "--data", "x.ttl"],
        ["reason", "--store", "var/store", "--data", "x.ttl"],
        ["push", "--store", "var/store", "--data", "x.nq"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.strip(), "a usage error says what is wrong on stderr"


def test_bad_environment_value_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENTENTE_MAX_ROWS", "lots")
    result = run("validate", "--data", "nothing.ttl")
    assert result.returncode == 2
    assert "ENTENTE_MAX_ROWS" in result.stderr or "max_rows" in result.stderr


@pytest.mark.parametrize("name", ["graph", "server", "ontology", "queries"])
def test_generic_top_level_names_are_not_installed(name: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", f"import {name}"], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode != 0
    assert "ModuleNotFoundError" in result.stderr


def test_entente_subpackages_import(tmp_path: Path) -> None:
    code = "import entente.graph, entente.server, entente.ontology, entente.queries"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
