"""Archived text made safe to show: marks as pieces of text (never markup), links only
for http(s) URLs, and a page's own language only when it is a well-formed tag."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_LANG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


def pieces(text: str, spans: list[tuple[int, int]] | list[list[int]]) -> list[tuple[str, bool]]:
    """The text cut at its marks: (piece, marked) in order. The template escapes every
    piece, so a mark can never inject markup, whatever the archived text holds."""
    out: list[tuple[str, bool]] = []
    last = 0
    for start, end in spans:
        if start < last or end > len(text) or start >= end:
            continue  # a span that does not fit this text is dropped, not trusted
        if start > last:
            out.append((text[last:start], False))
        out.append((text[start:end], True))
        last = end
    if last < len(text):
        out.append((text[last:], False))
    return out


def web_link(url: str | None) -> str | None:
    """The URL when it is an http(s) address a browser may follow; None otherwise
    (javascript:, data:, file: and the rest are shown as text, never as links)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def language(tag: str | None) -> str | None:
    """The article's language tag when well formed ('fr', 'en-GB'), else None."""
    if tag and _LANG.fullmatch(tag.strip()):
        return tag.strip().lower()
    return None


def tag_query(tag: str) -> str:
    """The query that finds a tag's articles: `tag:benalla`, or quoted when it has a space."""
    return f'tag:"{tag}"' if re.search(r'[\s()"]', tag) else f"tag:{tag}"
