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
_NAME_PARTICLES = frozenset(("de", "du", "des", "la", "le", "van", "von", "der", "den", "et", "d’", "d'"))
# A kicker fused to the standfirst: "METEO Météo-France prévoit…" (20 Minutes)
_KICKER = re.compile(r"^[A-ZÉÈÀÇ]{3,}(?:\s[A-ZÉÈÀÇ]{2,})*\s+(?=[A-ZÉÈÀÇ][a-zéèàç])")


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
    site_line = _site_line(page.lines[:HEADER_LINES])
    find_title(page)
    cut_closing_blocks(page)
    read_bylines(page)
    read_header(page)
    keep_body(page)
    page.site = page.site or site_line
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
        # Runs of plain spaces and tabs become one space; the typographic spaces of French
        # (NBSP, thin NBSP before « » ! ? ;) stay as the source has them.
        line = re.sub(r"[ \t]{2,}|\t", " ", raw).strip().strip("\u200b")
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
    """The title: among the title-like lines above the first long paragraph, one repeated
    further down (the page title, then the headline), else the first. Lines above the
    title are menus and are dropped; a copy that opens with prose keeps all its lines."""
    head = page.lines[:HEADER_LINES]
    keys = [_title_key(line) for line in head]
    opening = next((i for i, line in enumerate(head)
                    if len(line) > MAX_TITLE_CHARS and _is_paragraph(line)), len(head))
    candidates = [i for i in range(opening) if _looks_like_title(head[i])]
    repeated = (i for i in candidates
                if keys.count(keys[i]) > 1 or _title_key(_strip_site_suffix(head[i])[0]) in keys[i + 1:])
    chosen = next(repeated, candidates[0] if candidates else None)
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


def read_bylines(page: _Copy) -> None:
    """Before the second paragraph: a name alone next to the date line is the author
    ("Jeanne Corriveau" / "17 février 2020"); a photographer's credit ("Marie-France
    Coallier Le Devoir") goes with the caption beside it; a one-word line is a section
    label. Read the author off them and drop them all."""
    zone = _head_zone(page.lines)
    drop: set[int] = set()
    for index, line in enumerate(page.lines[:zone]):
        neighbours = [i for i in (index - 1, index + 1) if 0 <= i < zone]
        if _DATE_LINE.match(line) and len(line) < 120:
            for other in neighbours:
                if _looks_like_name(page.lines[other], page.title):
                    page.author = page.author or page.lines[other]
                    drop.add(other)
        elif _is_photo_credit(line):
            drop.add(index)
            drop.update(i for i in neighbours if _is_caption(page.lines[i]))
        elif len(line.split()) == 1 and not _SENTENCE_END.search(line):
            drop.add(index)
    page.lines = [line for index, line in enumerate(page.lines) if index not in drop]


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
    """Keep paragraphs and intertitles in order; drop boxes, prompts, credits, repeats,
    the author's name alone (a signature), and a short line between two prompts (the
    blurb of a newsletter or subscription box)."""
    title_key = _title_key(page.title)
    author_key = _title_key(page.author or "")
    furniture = [_is_furniture(line) for line in page.lines]
    skip_next = False
    for index, line in enumerate(page.lines):
        if (0 < index < len(page.lines) - 1 and furniture[index - 1] and furniture[index + 1]
                and _word_count(line) < 15):
            continue
        if author_key and _title_key(line) == author_key:
            continue
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
        page.body.append(_KICKER.sub("", line, count=1) if not page.body else line)


def _head_zone(lines: list[str]) -> int:
    """The index of the second prose paragraph: bylines and credits sit above it."""
    seen = 0
    for index, line in enumerate(lines):
        if _is_paragraph(line):
            seen += 1
            if seen == 2:
                return index
    return min(len(lines), HEADER_LINES)


def _looks_like_name(line: str, title: str = "") -> bool:
    """Two to five words, capitalised but for particles, no digits, not a site or the title."""
    words = line.split()
    if not 2 <= len(words) <= 5 or any(ch.isdigit() for ch in line) or _SENTENCE_END.search(line):
        return False
    if line.lower() in _SITE_CANONICAL or _title_key(line) == _title_key(title):
        return False
    if _BYLINE.match(line) or bp.is_credit(line):
        return False  # "Par …" is read by read_header; "Photo …" is a credit
    return all(w[:1].isupper() or w.lower() in _NAME_PARTICLES for w in words)


def _is_photo_credit(line: str) -> bool:
    """A credit alone: an agency, "© …", or a photographer's name then the site's name."""
    if bp.is_credit(line):
        return True
    for site in _SITE_CANONICAL:
        if line.lower().endswith(" " + site):
            return _looks_like_name(line[: -len(site)].strip())
    return False


def _is_caption(line: str) -> bool:
    return _word_count(line) < 25 and not _is_paragraph(line) and not _DATE_LINE.match(line)


def _site_line(lines: list[str]) -> str | None:
    """A line that is a news site's name alone (the logo's text in a copy)."""
    return next((_SITE_CANONICAL[line.lower()] for line in lines if line.lower() in _SITE_CANONICAL),
                None)


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
