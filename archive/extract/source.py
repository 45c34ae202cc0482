"""Cuts made in the page's source text before it is parsed, and the facts read off it.

Every cut is one left-to-right scan: each search starts where the previous one stopped,
and a closing tag found missing once is never searched for again, so the work is linear
in the page's length whatever the markup. The lazy regular expressions they replace
(`<script…>.*?</script>`, `<img[^>]*>`) searched the rest of the page again from every
unclosed tag: 240 KB of `<script>` took 65 s (bench/extraction_linear.py prints both).
`Scan.scanned` counts the characters the searches went over, which the tests bound.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

# Elements whose whole subtree never holds article text. Scripts, styles and SVG are
# cut from the source before parsing: it halves what the parser has to build.
UNSEEN_TAGS = ("script", "style", "svg", "template", "iframe", "object", "canvas")
# Empty elements that never hold text: each one costs the parser a node.
VOID_TAGS = ("img", "source", "link", "meta", "input", "wbr", "track", "param", "area")
# Whitespace between a tag and a block tag is never text (blocks end paragraphs anyway),
# but the parser makes a node of each run: dropping them parses 25% faster.
_BLOCK_GAP = re.compile(
    r">\s+<(?=/?(?:div|p|li|ul|ol|section|article|header|main|h[1-6]|table|tbody|thead|tr|td|th"
    r"|dl|dd|dt|br|hr|nav|footer|aside|figure|form|noscript)[\s>/])", re.IGNORECASE)
# Page frame cut from the source too (17% of the parse), unless the cut holds three
# paragraphs (a <nav> left open around the article). Only tags whose openings and
# closings balance are cut.
FRAME_TAGS = ("nav", "footer", "aside", "select", "button", "form", "figure", "noscript", "dialog",
              "menu", "video", "audio", "picture", "map", "label", "textarea")
_FRAME_MARK = re.compile(rf"<(/?)({'|'.join(FRAME_TAGS)})[\s>]", re.IGNORECASE)
_UNSEEN_OPEN = re.compile(rf"<(?:({'|'.join(UNSEEN_TAGS)})\b|!--)", re.IGNORECASE)
_VOID_OPEN = re.compile(rf"<(?:{'|'.join(VOID_TAGS)})\b", re.IGNORECASE)
_SCRIPT_OPEN = re.compile(r"<script\b", re.IGNORECASE)
_JSON_LD_TYPE = re.compile(r"type\s*=\s*[\"']?application/ld\+json", re.IGNORECASE)
_HEAD_OPEN = re.compile(r"<(meta|link|html)\b", re.IGNORECASE)
MAX_ATTRIBUTES = 2000  # characters of a meta, link or html tag read for its attributes


@lru_cache(maxsize=64)
def _closing(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}\s*>", re.IGNORECASE)


@dataclass
class Scan:
    """One page's source and the searches made in it, with the characters they went over
    (one more a search, so that no search is free). A search for something absent is
    remembered, never repeated."""

    text: str
    scanned: int = 0
    _absent: set[str] = field(default_factory=set)
    _tag_end: tuple[int, int] = (-1, -1)  # (from, found): the last ">" search

    def find(self, what: str, start: int) -> int:
        """str.find, once per absent string: -1 when `what` is not after `start`."""
        if what in self._absent:
            return -1
        found = self.text.find(what, start)
        self.scanned += 1 + (found if found >= 0 else len(self.text)) - start
        if found < 0:
            self._absent.add(what)
        return found

    def tag_end(self, start: int) -> int:
        """The first ">" at or after `start`: a tag's end. Openings inside one run of text
        without ">" share one search."""
        since, found = self._tag_end
        if since <= start and (found >= start or found < 0 <= since):
            return found
        found = self.find(">", start)
        self._tag_end = (start, found)
        return found

    def closing(self, name: str, start: int) -> re.Match[str] | None:
        """The first `</name >` at or after `start`, once per absent closing tag."""
        key = "</" + name.lower()
        if key in self._absent:
            return None
        match = _closing(name.lower()).search(self.text, start)
        self.scanned += 1 + (match.end() if match else len(self.text)) - start
        if match is None:
            self._absent.add(key)
        return match

    def search(self, pattern: re.Pattern[str], start: int) -> re.Match[str] | None:
        """pattern.search from `start` (a pattern that starts with a literal "<")."""
        match = pattern.search(self.text, start)
        self.scanned += 1 + (match.end() if match else len(self.text)) - start
        return match


def cut_elements(scan: Scan, opener: re.Pattern[str], keep: Callable[[str], bool] | None = None) -> str:
    """The source without the elements `opener` finds (group 1: the tag name) from their
    opening tag to their first closing tag, and without comments when `opener` finds
    "<!--". An element whose closing tag is missing stays, as the lazy regex left it. A
    cut chunk for which `keep` says True stays too, whole."""
    html = scan.text
    parts: list[str] = []
    pos = search_from = 0
    while (match := scan.search(opener, search_from)) is not None:
        start, name = match.start(), match.group(1)
        if name is None:  # "<!--"
            close = scan.find("-->", match.end())
            end = close + 3 if close >= 0 else -1
        else:
            tag_end = scan.tag_end(match.end())
            if tag_end < 0:
                break  # no ">" left: no element or comment can end after here
            closing = scan.closing(name, tag_end + 1)
            end = closing.end() if closing else -1
        if end < 0:
            search_from = match.end()
            continue
        if keep is None or not keep(html[start:end]):
            parts.append(html[pos:start])
            parts.append(" ")
            pos = end
        search_from = end
    parts.append(html[pos:])
    return "".join(parts)


def cut_unseen(scan: Scan) -> str:
    """The source without scripts, styles, SVG, templates, iframes, objects, canvases and
    comments (each to its first closing tag)."""
    return cut_elements(scan, _UNSEEN_OPEN)


def cut_void_tags(scan: Scan) -> str:
    """The source without its empty elements (img, meta, link, input…): tags alone."""
    html = scan.text
    parts: list[str] = []
    pos = search_from = 0
    while (match := scan.search(_VOID_OPEN, search_from)) is not None:
        end = scan.tag_end(match.end())
        if end < 0:
            break
        parts.append(html[pos:match.start()])
        parts.append(" ")
        pos = search_from = end + 1
    parts.append(html[pos:])
    return "".join(parts)


def strip_source(html: str) -> tuple[str, int]:
    """What is parsed of a page: its source without scripts, styles, SVG, comments, empty
    elements, balanced frame elements that hold no prose (nav, footer, aside, forms,
    figures…), or whitespace between block tags. Returns it with the characters the
    scans went over (linear: a few times the page's length)."""
    first = Scan(html.replace("\x00", ""))
    unseen = cut_unseen(first)
    second = Scan(unseen)
    html = _BLOCK_GAP.sub("><", cut_void_tags(second))
    scanned = first.scanned + second.scanned
    frame = _balanced_frame_tags(html)
    if frame:
        third = Scan(html)
        html = cut_elements(third, _frame_opener(frame), keep=_holds_paragraphs)
        scanned += third.scanned
    return html, scanned


def _balanced_frame_tags(html: str) -> tuple[str, ...]:
    """The frame tags opened as often as they are closed."""
    opened: dict[str, int] = {}
    closed: dict[str, int] = {}
    for match in _FRAME_MARK.finditer(html):
        counts = closed if match.group(1) else opened
        name = match.group(2).lower()
        counts[name] = counts.get(name, 0) + 1
    return tuple(sorted(name for name, count in closed.items() if opened.get(name) == count))


@lru_cache(maxsize=256)
def _frame_opener(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"<({'|'.join(names)})\b", re.IGNORECASE)


def _holds_paragraphs(chunk: str) -> bool:
    return chunk.count("<p") >= 3


# --- facts read off the source text ------------------------------------------------------

def json_ld_texts(scan: Scan) -> list[str]:
    """The text of every <script type="application/ld+json"> of the page."""
    html = scan.text
    texts: list[str] = []
    search_from = 0
    while (match := scan.search(_SCRIPT_OPEN, search_from)) is not None:
        tag_end = scan.tag_end(match.end())
        if tag_end < 0:
            break
        search_from = tag_end + 1  # a tag never holds another: its text is read once
        if tag_end - match.end() > MAX_ATTRIBUTES or not _JSON_LD_TYPE.search(html, match.end(), tag_end):
            continue
        closing = scan.closing("script", tag_end + 1)
        if closing is None:
            break
        texts.append(html[tag_end + 1:closing.start()])
        search_from = closing.end()
    return texts


def head_tags(scan: Scan) -> list[tuple[str, str]]:
    """(name, attribute text) of every meta, link and html tag, in page order: flat,
    attribute-only tags that a scan finds 20× faster than a tree search."""
    html = scan.text
    found: list[tuple[str, str]] = []
    search_from = 0
    while (match := scan.search(_HEAD_OPEN, search_from)) is not None:
        tag_end = scan.tag_end(match.end())
        if tag_end < 0:
            break
        if tag_end - match.end() <= MAX_ATTRIBUTES:
            found.append((match.group(1).lower(), html[match.end():tag_end]))
        search_from = tag_end + 1
    return found


_TAGS = re.compile(r"<[^<>]*>")  # linear: a run stops at the next "<"


def bare_text(html: str) -> str:
    """The page's text without any markup, for pages too deep for the parser."""
    return _TAGS.sub(" ", cut_unseen(Scan(html)))
