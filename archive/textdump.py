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
CAPTION_WORDS = 40  # the line above a credit line is its caption when it is shorter
_QUOTES = frozenset("\"«“„'")
_URL = re.compile(r"^(?:source\s*:\s*|url\s*:\s*)?(https?://\S+)$", re.IGNORECASE)
# "Par Jean Dupont", "Par 6medias"; never "Par ailleurs, …" (the name is capitalised) nor
# "Par Internet : www…".
_BYLINE = re.compile(
    r"^(?:[Pp]ar|PAR|[Bb]y|BY|[Tt]exte de|[Pp]ropos recueillis par)\s+([A-ZÀ-Ý0-9][^:]{2,79})$")
_MONTHS = (r"(?:janv(?:ier)?|f[ée]vr?(?:ier)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|ao[uû]t|sept(?:embre)?"
           r"|oct(?:obre)?|nov(?:embre)?|d[ée]c(?:embre)?|jan(?:uary)?|feb(?:ruary)?|march|april|may|june"
           r"|july|aug(?:ust)?|september|october|november|december)")
_DATE_PREFIX = re.compile(r"^(?:publi[ée]e?|mis en ligne|mise? à jour|modifi[ée]e?|posted|updated)\b",
                          re.IGNORECASE)
_DATE_ONLY = re.compile(rf"^(?:le\s+)?\d{{1,2}}(?:er)?[ /.](?:\d{{1,2}}|{_MONTHS})\.?[ /.]\d{{4}}.{{0,20}}$",
                        re.IGNORECASE)
# The words of a date line: "Publié le 09/02/21 à 07h05 — Mis à jour le lundi 9 février".
_DATE_WORDS = frozenset((
    "publié", "publiée", "publie", "mis", "mise", "en", "ligne", "à", "a", "jour", "modifié", "modifiée",
    "le", "la", "l", "les", "et", "h", "min", "il", "y", "hier", "aujourd", "hui", "depuis", "heure",
    "heures", "minutes", "par", "posted", "updated", "on", "at", "gmt", "cet", "utc", "lundi", "mardi",
    "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "janvier", "février", "fevrier", "mars",
    "avril", "mai", "juin", "juillet", "août", "aout", "septembre", "octobre", "novembre", "décembre",
    "decembre", "janv", "févr", "fév", "avr", "juil", "sept", "oct", "nov", "déc", "er",
))
_DATE_TOKEN = re.compile(r"\d[\dh:/.]*[a-z]{0,3}|[^\W\d_]+", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…»\")]$")
_BREADCRUMB = re.compile(r"\s(>|›|/|\|)\s")
# An intertitle marked as such ("► TELEGRAM", "- PHOTOS INTIMES -"): text, whatever its words.
_MARKED_INTERTITLE = re.compile(r"^(?:[►▶▸•]\s*\S|[-–—]\s+\S.*\s[-–—]$)")
_TITLE_SUFFIX = re.compile(r"^(.{10,}?)\s+[-|–—:]\s+([^-|–—]{2,40})$")
_SITE_MENTION = re.compile(
    r"\b(?:sur|on)\s+(" + "|".join(re.escape(s) for s in bp.SITE_NAMES) + r")\b", re.IGNORECASE
)
_SITE_CANONICAL = {s.lower(): s for s in bp.SITE_NAMES}
_NAME_PARTICLES = frozenset(("de", "du", "des", "la", "le", "van", "von", "der", "den", "et", "d’", "d'"))
# A kicker fused to the standfirst: "METEO Météo-France prévoit…" (20 Minutes); only a
# section name is cut, never an acronym that starts the sentence ("BBC Radio 4 a…").
_KICKER = re.compile(r"^([A-ZÉÈÀÇ]{3,}(?:\s[A-ZÉÈÀÇ]{2,})*)\s+(?=[A-ZÉÈÀÇ][a-zéèàç])")


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
    drop_boxes(page)
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
    """Take a "Source: https://…" line, or a bare URL among the first or last three lines,
    as the article's URL, and drop it (a bare URL inside the text is an embed: kept)."""
    edges = set(range(3)) | set(range(len(page.lines) - 3, len(page.lines)))
    for index, line in enumerate(page.lines):
        match = _URL.match(line)
        if match and (index in edges or match.start(1) > 0):
            page.url = match.group(1)
            del page.lines[index]
            return


def find_title(page: _Copy) -> None:
    """The title is the copy's first line unless that line is page furniture: a menu, a
    date line, a site name, a consent banner, a section label above its headline. A short
    first line gives way to a headline repeated below it (the page title, then the
    headline). Lines between the title and its repeat are the page's menu and go; a copy
    that opens with prose has no title line and keeps all its lines."""
    head = page.lines[:HEADER_LINES]
    candidates = _title_candidates(head)
    chosen = next((i for n, i in enumerate(candidates) if not _is_menu_item(head, candidates, n)), None)
    if chosen is None or len(head[chosen]) > MAX_TITLE_CHARS:
        return  # no title line: the caller names the article after its first words
    keys = [_title_key(_strip_site_suffix(line)[0]) for line in head]
    if len(head[chosen].split()) <= 3 and keys.count(keys[chosen]) == 1:
        chosen = next((i for i in candidates if i > chosen and keys.count(keys[i]) > 1
                       and not _is_paragraph(head[i])), chosen)
    title, suffix_site = _strip_site_suffix(page.lines[chosen])
    page.title = title
    page.site = suffix_site
    rest = page.lines[chosen + 1:]
    repeat = next((i for i, line in enumerate(rest[:HEADER_LINES]) if _title_key(line) == keys[chosen]), None)
    if repeat is not None and all(_is_top_furniture(line) or _is_label(line) for line in rest[:repeat]):
        rest = rest[repeat + 1:]  # the page title, its menu, then the headline again
    page.lines = rest


def _title_candidates(head: list[str]) -> list[int]:
    """The lines that may be the title: not furniture, above the first prose paragraph
    (the first such line even when it reads as prose: a long headline)."""
    found: list[int] = []
    for index, line in enumerate(head):
        if _is_top_furniture(line):
            continue
        if found and _is_paragraph(line):
            break
        found.append(index)
        if len(line) > MAX_TITLE_CHARS:
            break
    return found


def _is_top_furniture(line: str) -> bool:
    """What opens a copy above its headline and is never the title: menus and prompts,
    a date line, a site name (alone or in a menu label), consent text, a breadcrumb, a
    byline. A photo credit is not in the list: "Photo avec …" opens headlines too."""
    if _is_date_line(line) or bp.is_consent_text(line) or _is_breadcrumb(line) or _BYLINE.match(line):
        return True
    if _is_label(line) and _site_mentioned_in(line) and line.lower() not in _SITE_CANONICAL:
        return True  # "Services Le Monde"; a site name alone is a label (_is_menu_item)
    return bp.is_boilerplate_line(line) and not bp.is_credit(line)


def _is_menu_item(head: list[str], candidates: list[int], n: int) -> bool:
    """A short label among the candidates that is a section name with more below it, or
    one of a run of labels (a menu: two with a section name, or three)."""
    line = head[candidates[n]]
    if not _is_label(line):
        return False
    following = [head[i] for i in candidates[n + 1:n + 3]]
    if (bp.is_section_name(line) or line.lower() in _SITE_CANONICAL) and following:
        return True  # "Société" or "Le Monde" above a headline; "France Info" above prose is a title
    previous = head[candidates[n - 1]] if n > 0 else None
    run = [other for other in ([previous] if previous else []) + following[:1] if _is_label(other)]
    if any(bp.is_section_name(other) for other in run):
        return True
    return len(following) == 2 and all(_is_label(other) for other in following)


def _is_label(line: str) -> bool:
    """One to three words, not a sentence, a date or a byline: a menu item or a short title."""
    return (len(line.split()) <= 3 and not _SENTENCE_END.search(line) and not _is_date_line(line)
            and not _BYLINE.match(line))


def cut_closing_blocks(page: _Copy) -> None:
    """Drop everything from the first closing-block heading ("À découvrir sur …", "Les plus
    lus") on, and from the opening of the readers' comments ("Les commentaires sont
    réservés aux abonnés", "Connectez-vous pour commenter"): handles and comments are
    never article text. Comments open below two lines of text only (a "12 commentaires"
    link sits beside the headline too), and a quoted line ('"Aller plus loin"') is text."""
    text_lines = 0
    for index, line in enumerate(page.lines):
        if line[:1] not in _QUOTES and (
                bp.starts_closing_zone(line) or (text_lines >= 2 and bp.starts_comment_zone(line))):
            if page.site is None:
                page.site = _site_mentioned(line)
            page.lines = page.lines[:index]
            return
        text_lines += (_is_text(line) and not _is_furniture(line) and not _is_date_line(line)
                       and not _BYLINE.match(line))


def drop_boxes(page: _Copy) -> None:
    """Drop the boxes whose lines go together: a newsletter box (its heading, pitch,
    e-mail field and button) and a photo caption above its credit line ("« Partie de
    bateau » (vers 1877-1878), de Gustave Caillebotte." / "PATRICE SCHMIDT / MUSÉE
    D'ORSAY")."""
    lines = page.lines
    kept: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if bp.is_newsletter_heading(line) and bp.is_boilerplate_line(line):
            index = _newsletter_box_end(lines, index)
        elif index + 1 < len(lines) and bp.is_capitals_credit(lines[index + 1]) and (
                _word_count(line) < CAPTION_WORDS):
            index += 2
        else:
            kept.append(line)
            index += 1
    page.lines = kept


def read_bylines(page: _Copy) -> None:
    """Before the second paragraph: a name alone next to the date line is the author
    ("Jeanne Corriveau" / "17 février 2020"); a photographer's credit ("Marie-France
    Coallier Le Devoir") goes with the caption beside it; a one-word line is a section
    label. Read the author off them and drop them all."""
    zone = _head_zone(page.lines)
    first_paragraph = next((i for i, line in enumerate(page.lines) if _is_paragraph(line)), zone)
    drop: set[int] = set()
    for index, line in enumerate(page.lines[:zone]):
        neighbours = [i for i in (index - 1, index + 1) if 0 <= i < zone]
        if _is_date_line(line):
            for other in neighbours:
                if _looks_like_name(page.lines[other], page.title):
                    page.author = page.author or page.lines[other]
                    drop.add(other)
        elif _is_photo_credit(line):
            drop.add(index)
            drop.update(i for i in neighbours if _is_caption(page.lines[i]))
        elif len(line.split()) == 1 and not _SENTENCE_END.search(line) and not line.endswith((",", ":")) and (
                index < first_paragraph or bp.is_section_name(line)):
            drop.add(index)  # a label; below the first paragraph, a word alone is an intertitle
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
        elif _is_date_line(line):
            page.published = page.published or parse_french_date(line)
        elif _title_key(line) != title_key and not _is_furniture(line) and _is_text(line):
            return  # a standfirst, an intertitle or the first paragraph
        page.lines.pop(0)


def keep_body(page: _Copy) -> None:
    """Keep paragraphs and intertitles in order; drop boxes, prompts, credits, repeats,
    the author's name alone (a signature), and a short line that is no sentence between
    two prompts (the blurb of a subscription box). A date alone is furniture near the top
    only: lower down it belongs to the text (a timeline)."""
    title_key = _title_key(page.title)
    author_key = _title_key(page.author or "")
    lines = page.lines
    furniture = [_is_furniture(line) for line in lines]
    zone = _head_zone(lines)
    skip_next = False
    for index, line in enumerate(lines):
        if (0 < index < len(lines) - 1 and furniture[index - 1] and furniture[index + 1]
                and _word_count(line) < 15 and not _SENTENCE_END.search(line)):
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
        if _is_date_line(line) and (index < zone or _DATE_PREFIX.match(line)):
            page.published = page.published or parse_french_date(line)
            continue
        if bp.is_read_also_line(line) or furniture[index] or bp.is_capitals_credit(line) or (
                _title_key(line) == title_key):
            continue
        byline = _BYLINE.match(line)
        if byline and len(line) < 80:
            page.author = page.author or _clean_author(byline.group(1))
            continue
        page.body.append(_without_kicker(line) if not page.body else line)


def _newsletter_box_end(lines: list[str], heading: int) -> int:
    """The line after a newsletter box: after its button when one closes it within
    NEWSLETTER_LINES lines (the pitch and e-mail field go with it), else after the heading."""
    for index in range(heading + 1, min(len(lines), heading + 1 + bp.NEWSLETTER_LINES)):
        if bp.is_newsletter_button(lines[index]):
            return index + 1
        if _word_count(lines[index]) >= 25:
            break  # prose: the article goes on, the box was the heading alone
    return heading + 1


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
    return _word_count(line) < 25 and not _is_paragraph(line) and not _is_date_line(line)


def _site_line(lines: list[str]) -> str | None:
    """A line that is a news site's name alone (the logo's text in a copy)."""
    return next((_SITE_CANONICAL[line.lower()] for line in lines if line.lower() in _SITE_CANONICAL),
                None)


def _is_furniture(line: str) -> bool:
    if _MARKED_INTERTITLE.match(line):
        return False  # "► TELEGRAM" is an intertitle, "Telegram" alone a share button
    return (bp.is_boilerplate_line(line) or bp.is_caption_with_credit(line) or _is_breadcrumb(line)
            or bp.is_consent_text(line))


def _is_breadcrumb(line: str) -> bool:
    """"Accueil > Monde", "Politique › Réforme des retraites", "Culture / Théâtre": short
    parts between separators ("LE DUEL FILLON / LE PEN SE CONFIRME" is an intertitle)."""
    if len(line) >= 100 or _SENTENCE_END.search(line):
        return False
    parts = _BREADCRUMB.split(line)
    if len(parts) < 3:
        return False
    loose = all(separator in "/|" for separator in parts[1::2])
    return all(0 < len(part.split()) <= (2 if loose else 4) for part in parts[::2])


def _is_date_line(line: str) -> bool:
    """"Publié le 09/02/21 à 07h05 — Mis à jour…" or "17 février 2020": the words of a
    date and little else ("Publié mercredi 11 avril, cet ouvrage…" is a sentence)."""
    if len(line) >= 120:
        return False
    tokens = _DATE_TOKEN.findall(line)
    other = sum(1 for token in tokens if not token[0].isdigit() and token.lower() not in _DATE_WORDS)
    if _DATE_ONLY.match(line):
        return other <= 1  # "17 février 2020", not "1er Janvier 2046, journal de bord."
    if not _DATE_PREFIX.match(line) or not any(ch.isdigit() for ch in line):
        return False
    return other <= 3 and other <= 0.4 * len(tokens)


def _is_text(line: str) -> bool:
    """A line of the article, not a label: four words or more, a sentence ("Rien n'y
    fait."), a salutation or the lead into a list ("Chers Gilets Jaunes,", "Ingrédients :"),
    or a marked intertitle ("► TELEGRAM")."""
    words = len(line.split())
    return (words >= 4 or (words >= 2 and _SENTENCE_END.search(line) is not None)
            or line.endswith((",", ":")) or _MARKED_INTERTITLE.match(line) is not None)


def _without_kicker(line: str) -> str:
    match = _KICKER.match(line)
    return line[match.end():] if match and bp.is_section_name(match.group(1)) else line


def _is_paragraph(line: str) -> bool:
    """A line that reads as article prose: long enough and ending like a sentence."""
    return _word_count(line) >= 12 and bool(_SENTENCE_END.search(line)) and not _is_furniture(line)


def _word_count(line: str) -> int:
    return len(_WORD.findall(line))


def _title_key(line: str) -> str:
    return bp.line_key(line)


def _strip_site_suffix(line: str) -> tuple[str, str | None]:
    """"Title - Le Soir" → ("Title", "Le Soir") when the suffix names a news site."""
    match = _TITLE_SUFFIX.match(line)
    if match and match.group(2).strip().lower() in _SITE_CANONICAL:
        return match.group(1).strip(), _SITE_CANONICAL[match.group(2).strip().lower()]
    return line, None


def _site_mentioned_in(line: str) -> bool:
    """A line that names a news site: "Services Le Monde", "Le Soir +"."""
    folded = f" {line.lower()} "
    return any(f" {site} " in folded for site in _SITE_CANONICAL)


def _site_mentioned(line: str) -> str | None:
    match = _SITE_MENTION.search(line)
    return _SITE_CANONICAL.get(match.group(1).lower()) if match else None


def _clean_author(text: str) -> str:
    text = re.split(r"\s+(?:[-|–—,]|le \d|publié)\s*", text, maxsplit=1)[0]
    return text.strip(" .,")
