"""News feeds (RSS 0.9x to 2.0, RSS 1.0 and Atom): what a feed lists, read with feedparser,
and which of its items `archive add --feed` still has to fetch.

feedparser reads the feeds found in the wild that a strict XML parser refuses (an
unescaped `&`, a wrong encoding), resolves relative links against the feed's address and
parses the dates of every feed dialect; we add French day names ("Lun, 06 Jan 2020").
"""

from __future__ import annotations

import calendar
import dataclasses
import email.utils
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from archive.dates import parse_iso
from archive.sources import Source

if TYPE_CHECKING:
    from archive.fetch import Fetcher

FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
               "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1")
RETRIES = 3  # reads of a feed during which an item whose page failed is fetched again
_WEEKDAY = re.compile(r"^\s*[^\W\d]+\.?,?\s+(?=\d)")


class FeedError(Exception):
    """Bytes that are not a feed we can read; the message says why, for the user."""


@dataclass
class FeedItem:
    """One entry of a feed: its key (the guid or id, else the link), link, title, date."""

    key: str
    link: str
    title: str | None = None
    published: str | None = None  # ISO 8601: the article's date when its page has none
    updated: str | None = None  # as the feed writes it: a new value says the item changed


@dataclass
class Feed:
    """What a feed said when it was read: its title, its site's link, its items in order."""

    url: str
    title: str | None = None
    link: str | None = None
    items: list[FeedItem] = field(default_factory=list)


def parse_feed(data: bytes, url: str, charset: str | None = None) -> Feed:
    """The items of a feed's bytes, each once (a repeated key keeps its first entry);
    FeedError for bytes that are no RSS or Atom feed."""
    import feedparser

    headers = {"content-location": url}
    if charset:
        headers["content-type"] = f"application/xml; charset={charset}"
    parsed = feedparser.parse(io.BytesIO(data), response_headers=headers, sanitize_html=False,
                              resolve_relative_uris=False)
    if not parsed.get("version"):
        error = parsed.get("bozo_exception")
        raise FeedError("not an RSS or Atom feed" + (f" ({_first_line(error)})" if error else ""))
    feed = Feed(url, title=_text(parsed.feed.get("title")), link=_http(parsed.feed.get("link")))
    seen: set[str] = set()
    for entry in parsed.entries:
        link = _http(entry.get("link"))
        if link is None:
            continue  # an entry without a web page (a note, a podcast-only episode)
        key = str(entry.get("id") or link)[:2000]
        if key in seen:
            continue
        seen.add(key)
        published = (_date(entry, "published") or _date(entry, "updated")
                     or _date(entry, "created"))
        feed.items.append(FeedItem(key, link, _text(entry.get("title")), published,
                                   _text(dict.get(entry, "updated") or dict.get(entry, "published"))))
    return feed


def _date(entry, name: str) -> str | None:
    """An entry's date as ISO 8601, keeping the feed's time zone where it gives one."""
    raw = dict.get(entry, name)  # not entry.get: feedparser would answer `published` for `updated`
    if not raw:
        return None
    found = parse_iso(raw) if re.match(r"\s*\d{4}-\d{2}-\d{2}", raw) else None
    if found is None:
        try:
            moment = email.utils.parsedate_to_datetime(_WEEKDAY.sub("", raw))
        except (TypeError, ValueError, IndexError):
            moment = None
        if moment is not None:
            found = moment.isoformat()
    if found is None and dict.get(entry, f"{name}_parsed"):
        stamp = calendar.timegm(entry[f"{name}_parsed"])
        found = datetime.fromtimestamp(stamp, UTC).isoformat()
    return found


def _http(value) -> str | None:
    text = str(value or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else None


def _text(value) -> str | None:
    text = " ".join(str(value or "").split())
    return text[:1000] or None


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [error.__class__.__name__])[0][:200]


@dataclass
class SeenItem:
    """What the archive remembers of a feed's item from earlier reads."""

    link: str
    updated: str | None
    article_id: str | None
    tries: int


@dataclass
class ItemResult:
    """What one read did with an item: fetched (then the article it gave, whether that
    added it, or that it failed) or not, being known and unchanged."""

    item: FeedItem
    fetched: bool = False
    article_id: str | None = None
    added: bool = False


@dataclass
class FeedRecord:
    """A feed added with `add --feed`, for `archive feeds`: when it was last read, what
    that read found and added, what it added in all, and the last failure since."""

    url: str
    title: str | None
    link: str | None
    added_at: str
    read_at: str | None
    items: int
    last_added: int
    added: int
    failed_at: str | None = None
    error: str | None = None

    def to_json(self) -> dict:
        return {"url": self.url, "title": self.title, "link": self.link, "added_at": self.added_at,
                "read_at": self.read_at, "items": self.items, "last_added": self.last_added,
                "added": self.added, "failed_at": self.failed_at, "error": self.error}


def to_fetch(feed: Feed, seen: dict[str, SeenItem], refresh: bool = False) -> list[tuple[FeedItem, bool]]:
    """The items a read must fetch, each with whether its page may have changed (then it
    is fetched even though its URL is archived): new items, items whose page failed
    fewer than RETRIES times, and items whose date or link the feed changed."""
    wanted = []
    for item in feed.items:
        known = seen.get(item.key)
        if known is None:
            wanted.append((item, refresh))
        elif known.article_id is None:
            if known.tries < RETRIES:
                wanted.append((item, refresh))
        elif refresh or known.link != item.link or (item.updated or None) != (known.updated or None):
            wanted.append((item, True))
    return wanted


@dataclass
class FeedRead:
    """One read of a feed by `add --feed`: how many items it lists and how many of them
    are fetched (new, changed, or failed before)."""

    url: str
    title: str | None
    items: int
    fetched: int

    def to_json(self) -> dict:
        return {"url": self.url, "title": self.title, "items": self.items, "fetched": self.fetched}


def read_feeds(urls: list[str], fetcher: Fetcher) -> Iterator[tuple[str, Feed | None, str | None]]:
    """(url, feed, None) for each feed fetched and parsed, (url, None, why) for each that
    could not be: fetched a few at a time with the fetcher's deadline, redirect rules
    and size cap, whatever content type the server declares."""
    reader = dataclasses.replace(fetcher, types=None, accept=FEED_ACCEPT)
    sources = [Source(origin=url, fetch=url) for url in urls]
    for url, source in zip(urls, reader.fetch_sources(sources), strict=True):
        if source.error:
            yield url, None, source.error
            continue
        try:
            yield url, parse_feed(source.data or b"", source.url or url, source.charset), None
        except FeedError as error:
            yield url, None, str(error)
