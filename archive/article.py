"""The Article record: what the archive keeps of one saved page."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

ID_LENGTH = 12


def sha256_hex(data: bytes) -> str:
    """The sha256 of the original bytes, as lowercase hex."""
    return hashlib.sha256(data).hexdigest()


def article_id(sha256: str) -> str:
    """A short, stable article id: the first 12 hex digits of the original's sha256."""
    return sha256[:ID_LENGTH]


@dataclass
class Article:
    """One article: its clean text and metadata, and where its original came from."""

    title: str
    body: list[str]
    author: str | None = None
    published: str | None = None
    site: str | None = None
    url: str | None = None
    lang: str | None = None
    origin: str | None = None
    sha256: str | None = None
    added_at: str | None = None
    id: str = ""  # given by the store when the article is kept
    version: int | None = None
    updated_at: str | None = None
    group: str | None = None  # the near-duplicate group (same story kept more than once)
    signature: bytes | None = field(default=None, repr=False)  # MinHash, when computed early
    tags: list[str] = field(default_factory=list)  # the user's, by article (archive/tags.py)
    note: str | None = None

    def to_json(self) -> dict:
        """The `archive show --json` shape: every field, unknown ones as null; the tags
        and the note only when the article has them."""
        data = asdict(self)
        shown = {key: data[key] for key in JSON_FIELDS}
        return {**shown, **labels_json(self)}

    @property
    def text(self) -> str:
        """The body as one string, paragraphs separated by newlines."""
        return "\n".join(self.body)


def brief_json(article: Article) -> dict:
    """One entry of `archive list --json` (with its tags when it has some)."""
    brief: dict = {"id": article.id, "title": article.title, "site": article.site,
                   "published": article.published, "added_at": article.added_at,
                   "origin": article.origin}
    if article.tags:
        brief["tags"] = list(article.tags)
    return brief


def labels_json(article: Article) -> dict:
    """The article's tags and note, each only when it has one."""
    labels: dict = {}
    if article.tags:
        labels["tags"] = list(article.tags)
    if article.note:
        labels["note"] = article.note
    return labels


JSON_FIELDS = (
    "id", "title", "body", "author", "published", "site", "url", "lang",
    "origin", "sha256", "added_at",
)
