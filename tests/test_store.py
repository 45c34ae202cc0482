"""The archive of record: a real SQLite file that keeps articles and exact originals."""

from __future__ import annotations

import sqlite3

import pytest

from archive.article import Article, sha256_hex
from archive.store import Store, StoreError


def article(title: str = "Un titre", body: tuple[str, ...] = ("Un paragraphe.",)) -> Article:
    return Article(title=title, body=list(body), origin="page.html")


def test_added_article_keeps_its_fields_and_exact_original(tmp_path):
    original = b"<html>\xe9t\xe9 \x00 binary-ish bytes</html>"
    with Store.open(tmp_path, create=True) as store:
        [added] = store.add_many([(article(body=("Premier.", "Deuxième.")), original)])
        assert added.id == sha256_hex(original)[:12]
        again = store.get(added.id)
        assert again.body == ["Premier.", "Deuxième."]
        assert again.sha256 == sha256_hex(original)
        assert again.added_at
        assert store.original(added.id) == original


def test_the_same_bytes_twice_are_kept_once(tmp_path):
    with Store.open(tmp_path, create=True) as store:
        assert len(store.add_many([(article(), b"same")])) == 1
        assert store.add_many([(article("Autre"), b"same")]) == []
        assert store.count() == 1


def test_the_database_is_a_wal_sqlite_file_in_the_home(tmp_path):
    Store.open(tmp_path, create=True).close()
    connection = sqlite3.connect(tmp_path / "archive.db")
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_an_id_prefix_finds_the_article(tmp_path):
    with Store.open(tmp_path, create=True) as store:
        [added] = store.add_many([(article(), b"prefix")])
        assert store.get(added.id[:6]).id == added.id
        assert store.get("zzzz") is None


def test_list_shows_the_most_recently_added_first(tmp_path):
    with Store.open(tmp_path, create=True) as store:
        store.add_many([(article("Ancien"), b"1")])
        store.add_many([(article("Récent"), b"2")])
        assert [a.title for a in store.list()] == ["Récent", "Ancien"]


def test_since_returns_what_was_committed_after_a_seq(tmp_path):
    with Store.open(tmp_path, create=True) as store:
        store.add_many([(article("A"), b"a"), (article("B"), b"b")])
        first = store.last_seq()
        store.add_many([(article("C"), b"c")])
        assert [a.title for _, a in store.since(first)] == ["C"]


def test_opening_a_missing_archive_says_to_add_first(tmp_path):
    with pytest.raises(StoreError, match="run `archive add` first"):
        Store.open(tmp_path / "nowhere")


def test_a_damaged_database_file_is_reported_not_crashed(tmp_path):
    (tmp_path / "archive.db").write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="damaged"):
        Store.open(tmp_path)
