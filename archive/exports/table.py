"""A CSV table, one row an article: for spreadsheets, pandas, R and datasette."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from archive.article import Article

COLUMNS = ("id", "title", "author", "published", "site", "url", "lang", "origin", "sha256",
           "added_at", "updated_at", "version", "characters", "tags", "note", "text")


def write_csv(articles: Iterable[Article], out: TextIO) -> int:
    """A header, then a row per article; `text` is its paragraphs separated by a blank
    line (quoted, as RFC 4180 allows line breaks inside a field)."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    written = 0
    for article in articles:
        writer.writerow(row(article))
        written += 1
    return written


def row(article: Article) -> list:
    text = "\n\n".join(article.body)
    values = {"characters": len(article.title) + sum(len(p) for p in article.body), "text": text,
              "tags": ", ".join(article.tags), "note": article.note or ""}
    return [values[name] if name in values else _cell(getattr(article, name)) for name in COLUMNS]


def _cell(value) -> object:
    return "" if value is None else value
