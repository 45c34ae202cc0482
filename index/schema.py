"""What is indexed for an article, whichever engine indexes it.

Titles and bodies are indexed but not stored: the archive of record has them, and
snippets are cut from it. `words` is the spelling vocabulary did-you-mean draws from
(the title and body as written: folded, unstemmed). `site_name` and `month` are the
facet columns (the site as written, and the publication month as YYYYMM). `url` holds
the words of the article's URL in order (`url:` matches a run of them) and `domains` its
host and parent domains (`site:lemonde.fr`). `tags` holds the keys of the user's tags,
each one whole term (`tag:benalla` matches a whole tag name, archive/tags.py), and `note`
the user's note, analysed as the title and body are (`note:`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import unquote

from unidecode import unidecode

from archive.article import Article
from archive.tags import tag_key
from archive.urls import domains

SEARCH_FIELDS = ("title", "body")
FRENCH_FIELDS = (*SEARCH_FIELDS, "note")  # the fields analysed by the French chain
FILTER_FIELDS = ("title", "author", "site", "published", "url", "domains", "tags", "note")
MAX_URL_WORDS = 64
VOCABULARY_FIELD = "words"
# Bodies past this many characters are indexed and highlighted up to it: one pasted
# 50 MB page must not cost every later search (the original is kept whole).
MAX_INDEXED_CHARS = 200_000


@dataclass
class IndexedDocument:
    """The fields of one article as the engines index them."""

    id: str
    title: str
    body: str
    author: str
    site: str
    published: datetime | None
    site_name: str | None
    month: int | None
    url: list[str] = field(default_factory=list)  # url_words(article.url)
    domains: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # tag keys (archive/tags.tag_key)
    note: str = ""

    @property
    def words(self) -> str:
        return self.title + "\n" + self.body


def derived_key(article: Article) -> str:
    """What an indexed document of the article is made from besides its text (which its
    original's sha256 names): its tag keys and note. A document derived in an ingest
    worker serves only an article of the same key."""
    return "\x00".join([article.sha256 or "", "\x1f".join(sorted({tag_key(t) for t in article.tags})),
                         article.note or ""])


def document(article: Article) -> IndexedDocument:
    """The indexed fields of a stored article."""
    published = publication_date(article.published)
    return IndexedDocument(
        id=article.id,
        title=article.title,
        body=indexed_body(article.body),
        author=article.author or "",
        site=article.site or "",
        published=published,
        site_name=article.site or None,
        month=published.year * 100 + published.month if published else None,
        url=url_words(article.url),
        domains=domains(article.url),
        tags=sorted({tag_key(name) for name in article.tags}),
        note=article.note or "",
    )


def url_words(url: str | None) -> list[str]:
    """The words of a URL after its scheme, lowercase and unaccented, in order:
    "https://www.lemonde.fr/international/" → www, lemonde, fr, international."""
    if not url:
        return []
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", unquote(url.strip()).lower())
    return re.findall(r"[a-z0-9]+", unidecode(text))[:MAX_URL_WORDS]


def indexed_body(paragraphs: list[str]) -> str:
    """The body as one text, cut after MAX_INDEXED_CHARS."""
    return "\n".join(indexed_paragraphs(paragraphs))


def indexed_paragraphs(paragraphs: list[str]) -> list[str]:
    """The paragraphs that are indexed and highlighted: the first MAX_INDEXED_CHARS."""
    kept, room = [], MAX_INDEXED_CHARS
    for paragraph in paragraphs:
        if room <= 0:
            break
        kept.append(paragraph[:room])
        room -= len(paragraph) + 1
    return kept


def publication_date(value: str | None) -> datetime | None:
    """The article's date as a naive datetime (the time zone dropped, as every engine
    compares dates), or None when missing or unreadable."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=None)
