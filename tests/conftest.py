"""Shared fixtures: a fresh archive home, the seed article, a CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_192eed5866ea1362.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_home(monkeypatch, tmp_path_factory):
    """No test may touch the user's real archive: ARCHIVE_HOME points at a temp folder."""
    monkeypatch.setenv("ARCHIVE_HOME", str(tmp_path_factory.mktemp("default-home")))
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def run(home: Path):
    """Invoke the real CLI on `home`; returns click's Result (stdout and stderr apart)."""
    runner = CliRunner()

    def invoke(*args: str, input: bytes | str | None = None):
        return runner.invoke(cli, ["--home", str(home), *args], input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def seeded(run):
    """An archive holding the seed article; returns its id."""
    result = run("add", str(SEEDS))
    assert result.exit_code == 0, result.output
    return json.loads(run("list", "--json").stdout)[0]["id"]
