"""The archive of record: a real SQLite file that keeps articles and exact originals."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from archive.article import Article, sha256_hex
from archive.store import IdError, Store, StoreError


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
        assert store.get("ffff") is None
        with pytest.raises(IdError, match="not an article id"):
            store.get(added.id[:6] + "zz")


def test_list_shows_the_most_recently_added_first(tmp_path):
    with Store.open(tmp_path, create=True) as store:
        store.add_many([(article("Ancien"), b"1")])
        store.add_many([(article("Récent"), b"2")])
        assert [a.title for a in store.recent()] == ["Récent", "Ancien"]


def test_changes_since_lists_each_changed_article_once_with_removals_as_none(tmp_path):
    with Store.open(tmp_path, create=True) as store:
        [a, b] = store.add_many([(article("A"), b"a"), (article("B"), b"b")])
        first = store.last_seq()
        [c] = store.add_many([(article("C"), b"c")])
        store.remove(a.id)
        changes = [(changed, found.title if found else None)
                   for _, changed, found in store.changes_since(first)]
        assert changes == [(c.id, "C"), (a.id, None)]
        assert list(store.changes_since(store.last_seq())) == []


def page(title: str, url: str) -> Article:
    return Article(title=title, body=[f"{title}, le texte."], url=url, origin=url)


def test_the_same_article_under_another_url_form_becomes_a_new_version(tmp_path):
    with Store.open(tmp_path, create=True) as store:
        [first] = store.store_pages([(page("Avant", "http://www.lesoir.be/a/1/"), b"v1")])
        [second] = store.store_pages(
            [(page("Après", "https://lesoir.be/a/1?utm_source=x#top"), b"v2")])
        assert (first.status, second.status) == ("added", "updated")
        assert second.article.id == first.article.id
        assert store.count() == 1
        assert store.get(first.article.id).title == "Après"
        versions = store.versions(first.article.id)
        assert [(v.number, v.title) for v in versions] == [(1, "Avant"), (2, "Après")]
        assert store.original(first.article.id, 1) == b"v1"
        assert store.original(first.article.id) == b"v2"


def test_removing_keeps_originals_and_readding_brings_the_article_back(tmp_path):
    with Store.open(tmp_path, create=True) as store:
        [kept] = store.add_many([(article("Gardé"), b"page")])
        assert store.remove(kept.id)
        assert store.get(kept.id) is None and store.count() == 0
        assert store.original_bytes(kept.sha256) == b"page"
        [back] = store.store_pages([(article("Gardé"), b"page")])
        assert back.status == "added" and back.article.id == kept.id
        assert [v.number for v in store.versions(kept.id)] == [1, 2]


def test_purge_deletes_versions_and_originals(tmp_path):
    with Store.open(tmp_path, create=True) as store:
        [gone] = store.add_many([(article("Effacé"), b"secret")])
        assert store.remove(gone.id, purge=True)
        assert store.original_bytes(gone.sha256) is None
        assert store.versions(gone.id) == []
        assert not store.remove(gone.id)


def test_opening_a_missing_archive_says_to_add_first(tmp_path):
    with pytest.raises(StoreError, match="run `archive add` first"):
        Store.open(tmp_path / "nowhere")


def test_a_damaged_database_file_is_reported_not_crashed(tmp_path):
    (tmp_path / "archive.db").write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="damaged"):
        Store.open(tmp_path)


def test_an_archive_from_schema_4_is_upgraded_without_losing_text(tmp_path):
    import shutil

    shutil.copy(Path(__file__).parent / "fixtures" / "archives" / "release-0.1.0.db",
                tmp_path / "archive.db")  # schema 5, made by release 0.1.0
    db = sqlite3.connect(tmp_path / "archive.db", isolation_level=None)
    db.executescript(  # the versions table as schema 4 had it: the current text kept twice
        "ALTER TABLE versions RENAME TO v5; CREATE TABLE versions (article_id TEXT NOT NULL, "
        "version INTEGER NOT NULL, sha256 TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL, "
        "author TEXT, published TEXT, site TEXT, url TEXT, lang TEXT, origin TEXT, "
        "added_at TEXT NOT NULL, PRIMARY KEY (article_id, version)); "
        "INSERT INTO versions SELECT v.article_id, v.version, v.sha256, v.title, "
        "coalesce(v.body, a.body), v.author, v.published, v.site, v.url, v.lang, v.origin, "
        "v.added_at FROM v5 v JOIN articles a ON a.id = v.article_id; DROP TABLE v5; "
        "PRAGMA user_version = 4;")
    [(article_id,)] = db.execute("SELECT article_id FROM versions GROUP BY article_id "
                                 "HAVING count(*) = 2").fetchall()
    db.close()
    with Store.open(tmp_path) as store:
        texts = [v.body[0] for v in store.version_articles(article_id)]
        assert [t.endswith("rédaction après vérification des chiffres.") for t in texts] == [True] * 2
        assert [v.body for v in store.version_articles(article_id)][0] != \
            [v.body for v in store.version_articles(article_id)][1]
        current = store.db.execute("SELECT count(*) FROM versions WHERE body IS NULL").fetchone()[0]
        assert current == 30  # the current version of each live article keeps no copy of its text
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == 7
