"""A damaged archive.db, one page at a time: `check` never says ok where SQLite's own
check finds damage, and no command answers with more than one line or an internal error."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from tests.conftest import FIXTURES, SEEDS

PAGE = 4096


def sqlite_says(path) -> tuple[bool, bool]:
    """(quick_check found damage, integrity_check found damage), asked of SQLite directly."""
    found = []
    for check in ("quick_check", "integrity_check"):
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            rows = [row[0] for row in db.execute(f"PRAGMA {check}")]
            db.close()
            found.append(rows != ["ok"])
        except sqlite3.DatabaseError:
            found.append(True)
    return found[0], found[1]


@pytest.fixture
def pristine(run, home, tmp_path):
    assert run("add", str(SEEDS), str(FIXTURES / "articles")).exit_code == 0
    db = sqlite3.connect(home / "archive.db")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    copy = tmp_path / "pristine.db"
    shutil.copy(home / "archive.db", copy)
    return copy


def test_check_never_says_ok_on_a_page_sqlite_finds_damaged(run, home, pristine):
    pages = pristine.stat().st_size // PAGE
    caught = missed = 0
    for page in range(1, pages):  # page 0 holds the header: that is "not a database"
        data = bytearray(pristine.read_bytes())
        data[page * PAGE + 8:page * PAGE + 600] = b"\xa5" * 592
        (home / "archive.db").write_bytes(bytes(data))
        for leftover in home.glob("archive.db-*"):
            leftover.unlink()
        quick, integrity = sqlite_says(home / "archive.db")
        for args, damaged in ((["check"], quick), (["check", "--full"], integrity)):
            result = run(*args)
            if damaged:
                caught += result.exit_code == 1
                missed += result.exit_code == 0
            assert "internal error" not in result.output and "Traceback" not in result.output
            assert len(result.stderr.strip().splitlines()) <= 1
        for args in (["stats"], ["list"], ["export", str(home.parent / "out.jsonl")],
                     ["search", "Irak"]):
            result = run(*args)
            assert "internal error" not in result.output and "Traceback" not in result.output
            assert len(result.stderr.strip().splitlines()) <= 1, (page, args, result.stderr)
    assert missed == 0 and caught > 0
