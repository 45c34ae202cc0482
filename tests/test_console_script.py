"""The installed `archive` console script, run as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEEDS

SCRIPT = Path(sys.executable).parent / "archive"


@pytest.fixture
def archive(tmp_path):
    assert SCRIPT.exists(), f"the console script is not installed next to {sys.executable}"
    env = {**os.environ, "ARCHIVE_HOME": str(tmp_path / "home")}

    def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([str(SCRIPT), *args], input=stdin, capture_output=True, env=env,
                              timeout=120)

    return run


def test_installed_script_adds_the_seeds_and_finds_soleimani(archive):
    added = archive("add", str(SEEDS))
    assert added.returncode == 0, added.stderr
    found = archive("search", "Soleimani")
    assert found.returncode == 0
    out = found.stdout.decode()
    assert "Mort de Soleimani: la coalition internationale antidjihadiste" in out
    assert "**Soleimani**" in out
    hits = json.loads(archive("search", "Soleimani", "--json").stdout)["hits"]
    assert len(hits) == 1


def test_installed_script_reports_bad_input_without_a_traceback(archive, tmp_path):
    bad = tmp_path / "binary.html"
    bad.write_bytes(b"\x00\xff" * 5000)
    result = archive("add", str(bad), str(SEEDS))
    assert result.returncode == 1
    errors = result.stderr.decode().strip().splitlines()
    assert errors == [f"archive: {bad}: not an article page: it is a binary file"]
    assert b"Traceback" not in result.stderr


def test_installed_script_help_and_usage_exit_codes(archive):
    assert archive("--help").returncode == 0
    assert archive("search").returncode == 2
    assert archive("no-such-command").returncode == 2
