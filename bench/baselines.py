"""The two yardsticks of issue 6, built in process on the same texts as ours:
plain Whoosh (StandardAnalyzer, title and body stored, default writer) and SQLite FTS5
(unicode61 remove_diacritics 2), each with its own top-10-with-snippets search.
"""

from __future__ import annotations

import re
import sqlite3
import time
from pathlib import Path

from newscorpus import BenchArticle

FTS5_TOKENIZE = "unicode61 remove_diacritics 2"
_WORD = re.compile(r"\w+")


def folder_bytes(path: Path) -> int:
    """The size on disk of a file, or of every file under a folder."""
    if path.is_file():
        return path.stat().st_size
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def build_plain_whoosh(articles: list[BenchArticle], folder: Path) -> float:
    """Index the articles with Whoosh's defaults in `folder`; returns the seconds taken."""
    from whoosh import index
    from whoosh.analysis import StandardAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    schema = Schema(key=ID(stored=True, unique=True),
                    title=TEXT(analyzer=StandardAnalyzer(), stored=True),
                    body=TEXT(analyzer=StandardAnalyzer(), stored=True))
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    ix = index.create_in(folder, schema)
    writer = ix.writer()
    for article in articles:
        writer.add_document(key=article.key, title=article.title, body=article.body)
    writer.commit()
    ix.close()
    return time.perf_counter() - started


def build_fts5(articles: list[BenchArticle], path: Path) -> float:
    """Index the articles in an FTS5 table in the SQLite file `path`; returns the seconds."""
    if path.exists():
        path.unlink()
    started = time.perf_counter()
    db = sqlite3.connect(path)
    db.execute(f"CREATE VIRTUAL TABLE docs USING fts5(key UNINDEXED, title, body, "
               f"tokenize='{FTS5_TOKENIZE}')")
    with db:
        db.executemany("INSERT INTO docs(key, title, body) VALUES (?, ?, ?)",
                       ((a.key, a.title, a.body) for a in articles))
    db.close()
    return time.perf_counter() - started


class PlainWhooshSearch:
    """A warm plain-Whoosh searcher: title and body, all words required, top 10 with the
    highlighter's fragments of the stored body."""

    def __init__(self, folder: Path):
        from whoosh import index
        from whoosh.qparser import MultifieldParser

        self.index = index.open_dir(folder)
        self.searcher = self.index.searcher()
        self.parser = MultifieldParser(["title", "body"], self.index.schema)

    def search(self, text: str, limit: int = 10) -> tuple[int, list[tuple[str, str]]]:
        """(total hits, [(key, snippet)]) for the query."""
        results = self.searcher.search(self.parser.parse(text), limit=limit, terms=True)
        return len(results), [(hit["key"], hit.highlights("body")) for hit in results]

    def close(self) -> None:
        self.searcher.close()
        self.index.close()


class Fts5Search:
    """FTS5 MATCH ranked by bm25, top 10 with snippet() of the body."""

    def __init__(self, path: Path):
        self.db = sqlite3.connect(path)

    def search(self, text: str, limit: int = 10) -> tuple[int, list[tuple[str, str]]]:
        """(total hits, [(key, snippet)]) for the query (counting the hits is a second
        statement, as a results page with a total needs)."""
        match = fts5_match(text)
        rows = self.db.execute(
            "SELECT key, snippet(docs, 2, '[', ']', '…', 16) FROM docs WHERE docs MATCH ? "
            "ORDER BY rank LIMIT ?", (match, limit)).fetchall()
        total = self.db.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (match,)).fetchone()[0]
        return total, rows

    def close(self) -> None:
        self.db.close()


def fts5_match(text: str) -> str:
    """Our query syntax (words, "phrases") as an FTS5 MATCH: every word and phrase quoted,
    all required."""
    parts = []
    for phrase, word in re.findall(r'"([^"]*)"|(\S+)', text):
        words = _WORD.findall(phrase or word)
        if words:
            parts.append('"' + " ".join(words) + '"')
    return " ".join(parts) or '""'
