"""Kill -9 in the middle of `archive add`, and two adds at once: nothing lost, nothing twice.

The real console script runs as a subprocess; kills happen after N articles are
reported (so at chosen moments, without sleeps), then the same add runs again.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli

SCRIPT = Path(sys.executable).parent / "archive"
LETTERS = "bcdfghjklmnpqrstvwxz"


def unique_word(number: int) -> str:
    """A made-up word per article ("qbcd…"), which no other article contains."""
    word = "q"
    for _ in range(4):
        number, digit = divmod(number, len(LETTERS))
        word += LETTERS[digit]
    return word + "ux"


def make_pages(folder: Path, count: int, start: int = 0) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    words = []
    for number in range(start, start + count):
        word = unique_word(number)
        words.append(word)
        (folder / f"page-{number:04d}.txt").write_text(
            f"Dépêche numéro {number} sur le mot {word}\n\n"
            f"Le conseil communal a examiné le dossier {word} lors de sa séance de lundi soir, "
            f"en présence de nombreux habitants venus exprimer leurs inquiétudes.\n\n"
            f"La décision finale sur le projet numéro {number} est attendue pour le mois prochain, "
            "selon le bourgmestre, qui promet une consultation publique.\n",
            encoding="utf-8",
        )
    return words


def run_cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ARCHIVE_HOME": str(home)}
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=600)


def add_and_kill_after(home: Path, folder: Path, reported: int) -> int:
    """Start `archive add`, SIGKILL it once `reported` articles were printed; return how
    many were reported."""
    env = {**os.environ, "ARCHIVE_HOME": str(home), "ARCHIVE_BATCH_SIZE": "20"}
    process = subprocess.Popen([str(SCRIPT), "add", str(folder)], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, env=env)
    seen = 0
    for line in process.stdout:
        if line.startswith("added"):
            seen += 1
            if seen >= reported:
                process.send_signal(signal.SIGKILL)
                break
    process.wait(timeout=120)
    process.stdout.close()
    return seen


def assert_every_article_present_once(home: Path, words: list[str]) -> None:
    runner = CliRunner()
    listed = json.loads(runner.invoke(cli, ["--home", str(home), "list", "--json"]).stdout)
    assert len(listed) == len(words)
    assert len({item["id"] for item in listed}) == len(words)
    checked = runner.invoke(cli, ["--home", str(home), "check", "--json"])
    report = json.loads(checked.stdout)
    assert report["ok"], report
    assert report["indexed"] == len(words)
    for word in words:
        found = json.loads(runner.invoke(cli, ["--home", str(home), "search", word, "--json"]).stdout)
        assert found["total"] == 1, word


@pytest.mark.parametrize("kill_after", [1, 70, 250, 390])
def test_kill_9_during_add_then_the_same_add_loses_and_duplicates_nothing(tmp_path, kill_after):
    folder = tmp_path / "pages"
    words = make_pages(folder, 400)
    home = tmp_path / "home"
    reported = add_and_kill_after(home, folder, kill_after)
    assert reported == kill_after
    again = run_cli(home, "add", str(folder))
    assert again.returncode == 0, again.stderr
    assert "Traceback" not in again.stderr
    summary = again.stdout.strip().splitlines()[-1]
    added, already = int(summary.split()[0]), int(summary.split(", ")[1].split()[0])
    assert added + already == 400
    assert already >= kill_after  # everything reported before the kill was kept
    assert_every_article_present_once(home, words)


def test_two_adds_at_once_with_searches_meanwhile(tmp_path):
    home = tmp_path / "home"
    first, second = tmp_path / "first", tmp_path / "second"
    words = make_pages(first, 150) + make_pages(second, 150, start=150)
    assert run_cli(home, "add", str(first / "page-0000.txt")).returncode == 0  # the archive exists
    env = {**os.environ, "ARCHIVE_HOME": str(home), "ARCHIVE_BATCH_SIZE": "10"}
    adds = [subprocess.Popen([str(SCRIPT), "add", str(folder)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env) for folder in (first, second)]
    search_errors: list[str] = []
    searches = 0

    def search_meanwhile() -> None:
        nonlocal searches
        while any(p.poll() is None for p in adds):
            result = run_cli(home, "search", words[0], "--json")
            searches += 1
            if result.returncode != 0 or json.loads(result.stdout)["total"] != 1:
                search_errors.append(result.stderr)

    searcher = threading.Thread(target=search_meanwhile)
    searcher.start()
    outputs = [p.communicate(timeout=600) for p in adds]
    searcher.join()
    for process, (_out, err) in zip(adds, outputs, strict=True):
        assert process.returncode == 0, err
        assert "locked" not in err and "Traceback" not in err
    assert search_errors == []
    assert searches >= 1
    assert_every_article_present_once(home, words)
