"""An archive made by release 0.1.0 (schema 5, tests/fixtures/archives/) opens in this
version: upgraded once, in one transaction, with every article, version, original, group
and search answer as that release showed them, and `check` verifying every original."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from archive import migrations
from archive.store import Store
from tests.conftest import FIXTURES, run_without_override

RELEASE = FIXTURES / "archives" / "release-0.1.0.db"
SEEN = json.loads((FIXTURES / "archives" / "release-0.1.0.json").read_text())


@pytest.fixture
def old_home(home):
    home.mkdir(parents=True)
    shutil.copy(RELEASE, home / "archive.db")
    return home


def cli_json(run, *args):
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_an_archive_of_the_first_release_shows_everything_as_that_release_did(run, old_home):
    assert cli_json(run, "list") == SEEN["list"]
    for article_id, shown in SEEN["show"].items():
        assert cli_json(run, "show", article_id) == shown
        assert cli_json(run, "show", article_id, "--versions") == SEEN["versions"][article_id]
    assert cli_json(run, "list", "--duplicates") == SEEN["duplicates"]
    stats = cli_json(run, "stats")
    assert {key: stats[key] for key in SEEN["stats"]} == SEEN["stats"]
    for query, ids in SEEN["search"].items():
        assert {hit["id"] for hit in cli_json(run, "search", query)["hits"]} == set(ids)


def test_the_upgrade_keeps_every_original_intact_and_the_text_compressed(run, old_home):
    report = cli_json(run, "check")
    assert report["ok"] and report["damaged_originals"] == [] and report["articles"] == 30
    db = sqlite3.connect(old_home / "archive.db")
    assert db.execute("PRAGMA user_version").fetchone()[0] == migrations.SCHEMA_VERSION
    assert db.execute("SELECT count(*) FROM articles WHERE typeof(body) != 'blob'").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM originals").fetchone()[0] == 32
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


def test_an_upgrade_that_fails_halfway_leaves_the_archive_as_it_was(old_home, monkeypatch):
    def fail_halfway(db):
        original(db)
        raise sqlite3.OperationalError("disk I/O error")  # as a failing disk or a kill would

    original = migrations._to_version_7
    monkeypatch.setattr(migrations, "_to_version_7", fail_halfway)
    with pytest.raises(Exception, match="disk"):
        Store.open(old_home)
    db = sqlite3.connect(old_home / "archive.db")
    assert db.execute("PRAGMA user_version").fetchone()[0] == 5
    assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == 30
    db.close()
    monkeypatch.undo()
    with Store.open(old_home) as store:
        assert store.count() == 30 and store.damaged_originals() == []


def test_a_read_only_copy_of_an_old_archive_says_it_needs_upgrading(old_home):
    old_home.chmod(0o555)
    try:
        result = run_without_override(old_home, "list")
    finally:
        old_home.chmod(0o755)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "older format" in line and "write access" in line


def test_an_upgraded_archive_takes_tags_and_notes_and_lists_its_changed_articles(run, old_home):
    first = SEEN["list"][0]["id"]
    assert run("tag", first, "Archives 2020").exit_code == 0
    assert run("note", first, "venu de la première version").exit_code == 0
    assert cli_json(run, "tags") == [{"tag": "Archives 2020", "articles": 1}]
    assert {hit["id"] for hit in cli_json(run, "search", 'tag:"archives 2020"')["hits"]} == {first}
    kept_twice = [article_id for article_id, versions in SEEN["versions"].items()
                  if len(versions["versions"]) > 1]
    assert [a["id"] for a in cli_json(run, "list", "--changed")] == kept_twice
    [change] = cli_json(run, "diff", kept_twice[0])["changes"]
    assert (change["op"], change["paragraph"]) == ("replace", 1)
