"""Browser bookmark exports: the Netscape bookmark HTML of Firefox, Chrome and Safari."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bs4 import BeautifulSoup


@dataclass
class Bookmark:
    url: str
    title: str | None
    added: str | None  # ISO 8601, from ADD_DATE


def parse_bookmarks(html: str) -> list[Bookmark]:
    """Every http(s) link of a bookmark export, with its title and the date it was added."""
    marks = []
    for link in BeautifulSoup(html, "html.parser").find_all("a", href=True):
        url = str(link["href"]).strip()
        if not url.lower().startswith(("http://", "https://")):
            continue  # javascript: bookmarklets, place: queries, feeds
        added = None
        stamp = str(link.get("add_date") or "")
        if stamp.isdigit():
            seconds = int(stamp)
            seconds = seconds // 1_000_000 if seconds > 10**12 else seconds  # some export microseconds
            try:
                added = datetime.fromtimestamp(seconds, UTC).isoformat()
            except (OverflowError, OSError, ValueError):
                added = None
        marks.append(Bookmark(url, link.get_text(" ", strip=True) or None, added))
    return marks
