"""CSL-JSON, the citation format of Zotero, Mendeley, pandoc and citeproc: one item of
type article-newspaper an article, with its site as the newspaper, its byline as
authors, its publication and archiving dates, its URL and language."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import TextIO

from archive.article import Article

_AUTHORS = re.compile(r"\s*[,;&]\s*|\s+(?:et|and)\s+", re.IGNORECASE)
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
ABSTRACT_CHARS = 1000


def write_csl(articles: Iterable[Article], out: TextIO) -> int:
    """A JSON array written an item at a time."""
    written = 0
    out.write("[")
    for article in articles:
        out.write(("\n" if not written else ",\n") + json.dumps(item(article), ensure_ascii=False))
        written += 1
    out.write("\n]\n")
    return written


def item(article: Article) -> dict:
    """One CSL item; fields the article lacks are left out (CSL has no null)."""
    found = {
        "id": article.id,
        "type": "article-newspaper",
        "title": article.title,
        "container-title": article.site,
        "author": authors(article.author),
        "issued": date(article.published),
        "accessed": date(article.added_at),
        "URL": article.url,
        "language": article.lang,
        "abstract": article.body[0][:ABSTRACT_CHARS] if article.body else None,
        "keyword": ", ".join(article.tags) or None,
        "note": f"archive id {article.id}, sha256 {article.sha256}" if article.sha256 else None,
    }
    return {name: value for name, value in found.items() if value}


def authors(byline: str | None) -> list[dict] | None:
    """A byline's names, each as a literal name: splitting "Jean de La Fontaine" into a
    family and a given name would be a guess."""
    if not byline:
        return None
    names = [name.strip() for name in _AUTHORS.split(byline) if name.strip()]
    return [{"literal": name} for name in names] or None


def date(value: str | None) -> dict | None:
    """An ISO date as CSL's date-parts ([[2020, 1, 5]], [[2020, 1]] or [[2020]])."""
    match = _DATE.match(value or "")
    if not match:
        return None
    return {"date-parts": [[int(part) for part in match.groups() if part is not None]]}
