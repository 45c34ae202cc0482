"""Browser bookmark exports: the Netscape bookmark HTML of Firefox, Chrome, Safari,
Pinboard, Linkding, Wallabag and Karakeep.

The format is one `<A HREF=… ADD_DATE=… TAGS="a,b">title</A>` per link inside
`<DT>`s and `<DL>` folders (each named by the `<H3>` before it) that are never
closed. An HTML tree builder nests each unclosed `<DT>` inside the one before, which
loses which folder a link is in; so the file is scanned in order instead, a folder
opening at each `<DL>` and closing at each `</DL>`. Every pattern stops at the next `<`
or `>`, so each stretch of the file is read once whatever it holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import unescape

from archive.tags import LabelError, folder_tag, tag_key, tag_name

MAX_TITLE = 1000  # characters kept of a link's text: a title, not a page
# The browsers' own top folders are where bookmarks live, not what they are about.
_ROOT_FOLDERS = ("personal_toolbar_folder", "unfiled_bookmarks_folder")
_TAG = re.compile(r"<(/?)(a|h3|dl)(\s[^<>]*)?>([^<]*)", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""(?<![\w:.-])([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")


@dataclass
class Bookmark:
    url: str
    title: str | None
    added: str | None  # ISO 8601, from ADD_DATE
    tags: list[str] = field(default_factory=list)  # its TAGS, then the folders it is in


def parse_bookmarks(html: str) -> list[Bookmark]:
    """Every http(s) link of a bookmark export, with its title, the date it was added,
    and as tags its TAGS and the names of the folders it is in (outermost first)."""
    marks: list[Bookmark] = []
    folders: list[str | None] = []  # the open <DL>s, each with its folder's tag (or None)
    heading: str | None = None  # the folder named by the last <H3>, for the next <DL>
    for match in _TAG.finditer(html):
        closing, name, attributes, text = match[1], match[2].lower(), _attributes(match[3]), match[4]
        if name == "h3" and not closing:
            root = any(flag in attributes for flag in _ROOT_FOLDERS)
            heading = None if root else folder_tag(unescape(text))
        elif name == "dl":
            if closing:
                if folders:
                    folders.pop()
            else:
                folders.append(heading)
                heading = None
        elif name == "a" and not closing:
            url = attributes.get("href", "").strip()
            if not url.lower().startswith(("http://", "https://")):
                continue  # javascript: bookmarklets, place: queries, feeds
            title = " ".join(unescape(text[:4 * MAX_TITLE]).split())[:MAX_TITLE] or None
            tags = _tags(attributes.get("tags", "").split(",") + [f for f in folders if f])
            marks.append(Bookmark(url, title, _added(attributes.get("add_date")), tags))
    return marks


def _attributes(text: str | None) -> dict[str, str]:
    return {name.lower(): unescape(a or b or c) for name, a, b, c in _ATTRIBUTE.findall(text or "")}


def _tags(names: Iterable[str]) -> list[str]:
    """Each name once (as tags are told apart), the unusable ones left out."""
    kept: dict[str, str] = {}
    for name in names:
        try:
            tag = tag_name(name)
        except LabelError:
            continue
        kept.setdefault(tag_key(tag), tag)
    return list(kept.values())


def _added(stamp: str | None) -> str | None:
    """ADD_DATE in seconds since 1970 (some exports write microseconds) as ISO 8601."""
    stamp = (stamp or "").strip()
    if not (stamp.isascii() and stamp.isdigit()) or len(stamp) > 20:
        return None
    seconds = int(stamp)
    seconds = seconds // 1_000_000 if seconds > 10**12 else seconds
    try:
        return datetime.fromtimestamp(seconds, UTC).isoformat()
    except (OverflowError, OSError, ValueError):
        return None
