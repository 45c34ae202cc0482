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

    def to_json(self) -> dict:
        """The `archive show --json` shape: every field, unknown ones as null."""
        data = asdict(self)
        return {key: data[key] for key in JSON_FIELDS}

    @property
    def text(self) -> str:
        """The body as one string, paragraphs separated by newlines."""
        return "\n".join(self.body)


def brief_json(article: Article) -> dict:
    """One entry of `archive list --json`."""
    return {"id": article.id, "title": article.title, "site": article.site,
            "published": article.published, "added_at": article.added_at,
            "origin": article.origin}


JSON_FIELDS = (
    "id", "title", "body", "author", "published", "site", "url", "lang",
    "origin", "sha256", "added_at",
)
