"""The archive of record: one SQLite file holding every article and its original bytes.

The store is the truth. Each committed article gets a growing `seq`, so a derived
index can tell what it has not seen yet. Originals are kept verbatim (zlib-compressed),
so a better cleaner can re-extract them later.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from archive.article import Article, article_id, sha256_hex

DB_NAME = "archive.db"
LOCK_TIMEOUT = 30.0  # seconds to wait for another archive process before giving up

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    sha256 TEXT NOT NULL UNIQUE REFERENCES originals(sha256),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    author TEXT, published TEXT, site TEXT, url TEXT, lang TEXT,
    origin TEXT,
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS originals (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    compression TEXT NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_added ON articles(added_at);
"""
COLUMNS = "seq, id, sha256, title, body, author, published, site, url, lang, origin, added_at"


class StoreError(Exception):
    """The archive cannot be opened or used; the message says why, for the user."""


class Store:
    """The archive of record in `home/archive.db`."""

    def __init__(self, connection: sqlite3.Connection, path: Path):
        self.db = connection
        self.path = path

    @classmethod
    def open(cls, home: Path, create: bool = False) -> Store:
        """Open the archive in `home`; with `create`, make the home and the file if needed."""
        path = Path(home) / DB_NAME
        if not path.exists() and not create:
            raise StoreError(f"no archive in {home}: run `archive add` first")
        try:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, timeout=LOCK_TIMEOUT, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute("PRAGMA foreign_keys=ON")
            if create:
                connection.executescript(SCHEMA)
            connection.execute("SELECT count(*) FROM articles").fetchone()
        except sqlite3.DatabaseError as error:
            raise StoreError(_explain(error, path)) from None
        except OSError as error:
            raise StoreError(f"cannot open the archive {path}: {error.strerror}") from None
        return cls(connection, path)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def has_original(self, sha256: str) -> str | None:
        """The id of the article kept from these exact bytes, if any."""
        row = self.db.execute("SELECT id FROM articles WHERE sha256 = ?", (sha256,)).fetchone()
        return row[0] if row else None

    def add_many(self, items: list[tuple[Article, bytes]]) -> list[Article]:
        """Commit articles with their original bytes in one transaction; return those added
        (the same bytes already archived are skipped)."""
        added = []
        now = datetime.now(UTC).isoformat(timespec="seconds")
        try:
            self.db.execute("BEGIN IMMEDIATE")
            for article, original in items:
                sha = sha256_hex(original)
                if self.has_original(sha):
                    continue
                article.sha256, article.id = sha, article_id(sha)
                article.added_at = article.added_at or now
                self.db.execute(
                    "INSERT OR IGNORE INTO originals VALUES (?, ?, 'zlib', ?)",
                    (sha, len(original), zlib.compress(original, 6)),
                )
                self.db.execute(
                    f"INSERT INTO articles ({COLUMNS}) VALUES (NULL,?,?,?,?,?,?,?,?,?,?,?)",
                    (article.id, sha, article.title, json.dumps(article.body, ensure_ascii=False),
                     article.author, article.published, article.site, article.url, article.lang,
                     article.origin, article.added_at),
                )
                added.append(article)
            self.db.execute("COMMIT")
        except sqlite3.DatabaseError as error:
            if self.db.in_transaction:
                self.db.execute("ROLLBACK")
            raise StoreError(_explain(error, self.path)) from None
        return added

    def get(self, article_id: str) -> Article | None:
        """The article with this id, or with this unique id prefix."""
        rows = self._query(
            f"SELECT {COLUMNS} FROM articles WHERE id LIKE ? ORDER BY seq LIMIT 2",
            (article_id.lower().replace("%", "").replace("_", "") + "%",),
        )
        return rows[0] if len(rows) == 1 else None

    def get_many(self, ids: list[str]) -> dict[str, Article]:
        """Articles by exact id, for turning search hits into records."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._query(f"SELECT {COLUMNS} FROM articles WHERE id IN ({marks})", tuple(ids))
        return {a.id: a for a in rows}

    def list(self, limit: int | None = None) -> list[Article]:
        """Articles, the most recently added first."""
        sql = f"SELECT {COLUMNS} FROM articles ORDER BY added_at DESC, seq DESC"
        return self._query(sql + (" LIMIT ?" if limit else ""), (limit,) if limit else ())

    def since(self, seq: int, batch: int = 500) -> Iterator[tuple[int, Article]]:
        """Articles committed after `seq`, in commit order, as (seq, article)."""
        while True:
            rows = self.db.execute(
                f"SELECT {COLUMNS} FROM articles WHERE seq > ? ORDER BY seq LIMIT ?", (seq, batch)
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield row[0], _article(row)
            seq = rows[-1][0]

    def last_seq(self) -> int:
        """The seq of the newest committed article (0 for an empty archive)."""
        return self.db.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0]

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def original(self, article_id: str) -> bytes | None:
        """The exact bytes the article was extracted from."""
        row = self.db.execute(
            "SELECT o.compression, o.data FROM originals o JOIN articles a ON a.sha256 = o.sha256"
            " WHERE a.id = ?", (article_id,)
        ).fetchone()
        if row is None:
            return None
        return zlib.decompress(row[1]) if row[0] == "zlib" else bytes(row[1])

    def _query(self, sql: str, params: tuple) -> list[Article]:
        try:
            return [_article(row) for row in self.db.execute(sql, params).fetchall()]
        except sqlite3.DatabaseError as error:
            raise StoreError(_explain(error, self.path)) from None


def _article(row: tuple) -> Article:
    (_, id_, sha, title, body, author, published, site, url, lang, origin, added_at) = row
    return Article(
        id=id_, sha256=sha, title=title, body=json.loads(body), author=author,
        published=published, site=site, url=url, lang=lang, origin=origin, added_at=added_at,
    )


def _explain(error: sqlite3.DatabaseError, path: Path) -> str:
    message = str(error)
    if "locked" in message or "busy" in message:
        return f"the archive {path} is busy in another archive process; try again when it is done"
    if "not a database" in message or "malformed" in message:
        return f"the archive {path} is damaged ({message}); restore it from a backup"
    if "readonly" in message or "read-only" in message:
        return f"the archive {path} is read-only ({message})"
    if "disk" in message and "full" in message:
        return f"the disk holding {path} is full; nothing more was committed"
    return f"the archive {path} failed: {message}"
