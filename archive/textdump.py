"""Plain-text copies of article pages (select all, copy, paste into a .txt) → Article.

A text copy is the page's visible text, one block per line: often the page title,
the headline again, a photo credit, a byline, the article, then the site's closing
blocks and comment prompts. The passes below keep the article and its metadata and
drop the rest, using the general patterns of archive.boilerplate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from archive import boilerplate as bp
from archive.article import Article
from archive.dates import parse_french_date
from archive.language import guess_language

MAX_TITLE_CHARS = 300  # a longer line is a paragraph, never a headline
HEADER_LINES = 20  # the title and its furniture sit within the first lines of a copy
_URL = re.compile(r"^(?:source\s*:\s*|url\s*:\s*)?(https?://\S+)$", re.IGNORECASE)
_BYLINE = re.compile(r"^(?:par|by|texte de|propos recueillis par)\s+(.{3,80})$", re.IGNORECASE)
_DATE_LINE = re.compile(
    r"^(?:(?:publi[ée]|mis en ligne|mis à jour|modifi[ée]|posted|updated)\b.*|"
    r"(?:le\s+)?\d{1,2}(?:er)?[ /.](?:\d{1,2}|[a-zéû]{3,9})\.?[ /.]\d{4}.{0,20})$",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…»\")]$")
_BREADCRUMB = re.compile(r"\s(?:>|›|/|\|)\s")
_TITLE_SUFFIX = re.compile(r"^(.{10,}?)\s+[-|–—:]\s+([^-|–—]{2,40})$")
_SITE_MENTION = re.compile(
    r"\b(?:sur|on)\s+(" + "|".join(re.escape(s) for s in bp.SITE_NAMES) + r")\b", re.IGNORECASE
)
_SITE_CANONICAL = {s.lower(): s for s in bp.SITE_NAMES}


@dataclass
class _Copy:
    """The lines of a copy as they move through the passes, and what was read off them."""

    lines: list[str]
    title: str = ""
    author: str | None = None
    published: str | None = None
    url: str | None = None
    site: str | None = None
    body: list[str] = field(default_factory=list)


def parse_text_copy(text: str, origin: str | None = None) -> Article:
    """Turn a plain-text page copy into an Article (empty body when nothing is left)."""
    page = _Copy(lines=split_lines(text))
    find_url(page)
    find_title(page)
    cut_closing_blocks(page)
    read_header(page)
    keep_body(page)
    return Article(
        title=page.title,
        body=page.body,
        author=page.author,
        published=page.published,
        site=page.site,
        url=page.url,
        lang=guess_language(page.title + "\n" + "\n".join(page.body)),
        origin=origin,
    )


def split_lines(text: str) -> list[str]:
    """Lines with CRLF/CR endings unified and NBSP-only or blank lines removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    lines = []
    for raw in text.split("\n"):
        line = re.sub(r"[ \t\u00a0\u202f\u2009\u200b]+", " ", raw).strip()
        if line:
            lines.append(line)
    return lines


def find_url(page: _Copy) -> None:
    """Take a "Source: https://…" or bare URL line as the article's URL, and drop it."""
    for index, line in enumerate(page.lines):
        match = _URL.match(line)
        if match:
            page.url = match.group(1)
            del page.lines[index]
            return


def find_title(page: _Copy) -> None:
    """The title: a line repeated near the top (page title, then headline), else the first
    substantial line that is not navigation. Lines above it are menus and are dropped."""
    head = page.lines[:HEADER_LINES]
    keys = [_title_key(line) for line in head]
    chosen = None
    for index, key in enumerate(keys):
        if len(head[index]) > MAX_TITLE_CHARS:
            continue
        if len(key.split()) >= 3 and keys.count(key) > 1:
            chosen = index
            break
        if _title_key(_strip_site_suffix(head[index])[0]) in keys[index + 1:]:
            chosen = index
            break
    if chosen is None:
        chosen = next((i for i, line in enumerate(head) if _looks_like_title(line)), None)
    if chosen is None:
        return  # no title line: the caller names the article after its first words
    title, suffix_site = _strip_site_suffix(page.lines[chosen])
    page.title = title
    page.site = suffix_site
    page.lines = page.lines[chosen + 1:]


def cut_closing_blocks(page: _Copy) -> None:
    """Drop everything from the first closing-block heading ("Vos réactions", "À découvrir
    sur …", "Les plus lus") on: related links and comments, never article text."""
    for index, line in enumerate(page.lines):
        if bp.starts_closing_zone(line):
            if page.site is None:
                page.site = _site_mentioned(line)
            page.lines = page.lines[:index]
            return


def read_header(page: _Copy) -> None:
    """Between the title and the first paragraph: drop repeated titles, credits, bylines,
    dates and labels, reading the author and the date off them."""
    title_key = _title_key(page.title)
    while page.lines:
        line = page.lines[0]
        if _is_paragraph(line):
            return
        byline = _BYLINE.match(line)
        if byline and page.author is None:
            page.author = _clean_author(byline.group(1))
        elif _DATE_LINE.match(line) and page.published is None:
            page.published = parse_french_date(line)
        elif _title_key(line) != title_key and not _is_furniture(line) and len(line.split()) >= 5:
            return  # a standfirst or the first paragraph
        page.lines.pop(0)


def keep_body(page: _Copy) -> None:
    """Keep paragraphs and intertitles in order; drop boxes, prompts, credits and repeats."""
    title_key = _title_key(page.title)
    skip_next = False
    for line in page.lines:
        if skip_next:
            skip_next = False
            if _word_count(line) < 25:
                continue  # the linked title under a "Lire aussi" label
        if bp.is_read_also_label(line):
            skip_next = True
            continue
        if _DATE_LINE.match(line) and len(line) < 120:
            page.published = page.published or parse_french_date(line)
            continue
        if bp.is_read_also_line(line) or _is_furniture(line) or _title_key(line) == title_key:
            continue
        byline = _BYLINE.match(line)
        if byline and len(line) < 80:
            page.author = page.author or _clean_author(byline.group(1))
            continue
        page.body.append(line)


def _is_furniture(line: str) -> bool:
    return (
        bp.is_boilerplate_line(line)
        or bp.is_caption_with_credit(line)
        or bool(_BREADCRUMB.search(line) and not _SENTENCE_END.search(line) and len(line) < 100)
    )


def _is_paragraph(line: str) -> bool:
    """A line that reads as article prose: long enough and ending like a sentence."""
    return _word_count(line) >= 12 and bool(_SENTENCE_END.search(line)) and not _is_furniture(line)


def _word_count(line: str) -> int:
    return len(_WORD.findall(line))


def _looks_like_title(line: str) -> bool:
    return (len(line) <= MAX_TITLE_CHARS and len(line.split()) >= 3
            and not _is_furniture(line) and not _DATE_LINE.match(line))


def _title_key(line: str) -> str:
    return bp.line_key(line)


def _strip_site_suffix(line: str) -> tuple[str, str | None]:
    """"Title - Le Soir" → ("Title", "Le Soir") when the suffix names a news site."""
    match = _TITLE_SUFFIX.match(line)
    if match and match.group(2).strip().lower() in _SITE_CANONICAL:
        return match.group(1).strip(), _SITE_CANONICAL[match.group(2).strip().lower()]
    return line, None


def _site_mentioned(line: str) -> str | None:
    match = _SITE_MENTION.search(line)
    return _SITE_CANONICAL.get(match.group(1).lower()) if match else None


def _clean_author(text: str) -> str:
    text = re.split(r"\s+(?:[-|–—,]|le \d|publié)\s*", text, maxsplit=1)[0]
    return text.strip(" .,")
