"""Netscape bookmark files, the format every browser exports and imports, and Wallabag,
Linkding, Karakeep and Shaarli take: one link an article (those without a URL cannot be
bookmarks), its title, when it was archived, and its opening as the description."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from html import escape
from typing import TextIO

from archive.article import Article

HEADER = """<!DOCTYPE NETSCAPE-Bookmark-file-1>
<!-- This is an automatically generated file.
     It will be read and overwritten.
     DO NOT EDIT! -->
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks</H1>
<DL><p>
"""
DESCRIPTION_CHARS = 500


def write_bookmarks(articles: Iterable[Article], out: TextIO) -> int:
    out.write(HEADER)
    written = 0
    for article in articles:
        if not article.url:
            continue
        out.write(entry(article))
        written += 1
    out.write("</DL><p>\n")
    return written


def entry(article: Article) -> str:
    stamps = "".join(f' {name}="{_epoch(value)}"' for name, value in
                     (("ADD_DATE", article.added_at), ("LAST_MODIFIED", article.updated_at))
                     if _epoch(value) is not None)
    if article.tags:  # the attribute browsers, Linkding and Wallabag read; add --bookmarks too
        stamps += f' TAGS="{escape(",".join(article.tags), quote=True)}"'
    line = (f'    <DT><A HREF="{escape(article.url or "", quote=True)}"{stamps}>'
            f"{escape(_one_line(article.title))}</A>\n")
    opening = _one_line(article.body[0]) if article.body else ""
    if opening:
        cut = opening[:DESCRIPTION_CHARS]
        line += f"    <DD>{escape(cut + ('…' if len(opening) > len(cut) else ''))}\n"
    return line


def _epoch(value: str | None) -> int | None:
    if not value:
        return None
    try:
        return int(datetime.fromisoformat(value).timestamp())
    except ValueError:
        return None


def _one_line(text: str) -> str:
    return " ".join(text.split())
