"""Page metadata: author, published date, site, canonical URL, lang and headline.

Sources, most trusted first: JSON-LD (the page's own structured statement of the
article), then meta tags (Open Graph, article:*, Dublin Core), then what a reader
sees (a "Par Jean Dupont" byline, a "Publié le 5 janvier 2020 à 14h32" date line).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape

from lxml.etree import _Element as Element

from archive.dates import parse_french_date, parse_iso, with_local_offset

_ATTR = re.compile(r"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_SPACES = re.compile(r"[ \t\r\n\u00a0\u202f\u2009\u200b]+")
_BYLINE_NAMES = re.compile(r"author|byline|signature|auteur|signataire|writer|journalist")
_BYLINE_TEXT = re.compile(
    r"^(?:(?:article |texte |propos recueillis )?par|by|de notre (?:envoy[ée]e? sp[ée]ciale?|correspondante?)"
    r"(?: [àa] [\w\- ]+)?,?)\s+(.{3,80})$",
    re.IGNORECASE,
)
_DATE_TEXT = re.compile(
    r"(?:publi[ée]|mis en ligne|le)\b.{0,20}\d{1,2}(?:er)?[ /.](?:\d{1,2}|[a-zéûè]{3,9}\.?)[ /.]\d{4}"
    r"|^\d{1,2}/\d{1,2}/\d{4}|^(?:le )?\d{1,2}(?:er)? [a-zéûè]{3,9}\.? \d{4}",
    re.IGNORECASE,
)
_BYLINE_START = re.compile(r"^\s*(?:Par|By|PAR|BY)\s")
_UNKNOWN = [0]
_SHORT_TEXT_TAGS = frozenset(("p", "span", "div", "a", "li", "address", "strong", "b", "em", "small"))
_AUTHOR_CUT = re.compile(r"\s+(?:[-|–—,•·]|le \d|publi[ée]|mis [àa] jour|updated|(?=\d))\s*", re.IGNORECASE)

META_KEYS: dict[str, tuple[str, ...]] = {
    "author": ("author", "article:author", "dc.creator", "sailthru.author", "parsely-author",
               "byl", "twitter:creator"),
    "published": ("article:published_time", "datepublished", "dc.date", "dc.date.issued",
                  "date", "pubdate", "publish-date", "og:published_time", "sailthru.date",
                  "parsely-pub-date"),
    "site": ("og:site_name", "application-name", "twitter:site"),
    "og_title": ("og:title", "twitter:title"),
    "url": ("og:url",),
    "lang": ("og:locale", "content-language", "dc.language"),
}


def json_ld_blocks(texts: list[str]) -> list[object]:
    """The JSON-LD blocks of a page (the texts of its ld+json scripts), the invalid left out."""
    blocks: list[object] = []
    for text in texts:
        try:
            blocks.append(json.loads(text.strip().rstrip(";")))
        except (ValueError, RecursionError):
            continue
    return blocks


def read_metadata(tags: list[Element], json_ld_texts: list[str], head: list[tuple[str, str]],
                  stats: dict[int, list[int]] | None = None) -> dict[str, str]:
    """Author, published, site, url, lang, headline and og_title, JSON-LD first.
    `json_ld_texts` and `head` (the meta, link and html tags: name, attributes) are read
    off the source text (archive.extract.source), `tags` are the page's elements and
    `stats` (element id → [length of its text, …]) spares reading long elements."""
    json_ld = json_ld_blocks(json_ld_texts)
    meta: dict[str, str] = {}
    for item in _articles(json_ld):
        _set(meta, "headline", _as_text(item.get("headline")))
        _set(meta, "author", _names(item.get("author")))
        _set(meta, "published", parse_iso(_as_text(item.get("datePublished")) or ""))
        _set(meta, "site", _names(item.get("publisher")))
        _set(meta, "url", _as_text(item.get("url")) or _as_text(item.get("mainEntityOfPage")))
        _set(meta, "lang", _as_text(item.get("inLanguage")))
    metas, links, lang = _head_tags(head)
    for key, names in META_KEYS.items():
        for name in names:
            value = metas.get(name)
            if not value:
                continue
            if key == "published":
                value = parse_iso(value) or parse_french_date(value) or ""
            elif key == "author" and (value.startswith(("http", "@")) or "/" in value):
                continue
            elif key == "site":
                value = value.lstrip("@")
            _set(meta, key, value)
    if links.get("canonical", "").startswith("http"):
        meta["url"] = links["canonical"]
    if lang:
        meta["lang"] = lang
    region = ""
    if meta.get("lang"):
        parts = re.split(r"[-_]", meta["lang"].strip().lower())
        meta["lang"], region = parts[0][:8], (parts[1] if len(parts) > 1 else "")
    if "published" not in meta:
        _set(meta, "published", _time_element(tags))
    if "author" not in meta:
        _set(meta, "author", visible_author(tags, stats or {}))
    if "published" not in meta:
        shown = visible_date(tags, stats or {})
        _set(meta, "published", with_local_offset(shown, region) if shown else None)
    return meta


def visible_author(tags: list[Element], stats: dict[int, list[int]]) -> str | None:
    """The author of a visible byline: a rel=author link, an element named
    author/byline/signature, or a short "Par Jean Dupont" line near the top."""
    for tag in tags:
        if tag.tag == "a" and "author" in (tag.get("rel") or ""):
            return clean_author(_text(tag))
    for tag in _byline_region(tags):
        if stats.get(id(tag), _UNKNOWN)[0] > 200:
            continue
        if _is_byline_element(tag):
            text = _text(tag)
            name = clean_author(text) if 3 <= len(text) <= 120 else None
            if name and not _DATE_TEXT.search(name) and len(name.split()) <= 8:
                return name
        elif tag.tag in _SHORT_TEXT_TAGS and _starts_with_byline(tag):
            match = _BYLINE_TEXT.match(_text(tag))
            name = clean_author(match.group(0)) if match else None
            if name and _looks_like_name(name):
                return name
    return None


def visible_date(tags: list[Element], stats: dict[int, list[int]]) -> str | None:
    """A date shown in a French byline ("Publié le 5 janvier 2020 à 14h32") near the top."""
    for tag in _byline_region(tags):
        if (tag.tag in _SHORT_TEXT_TAGS or tag.tag == "time") and stats.get(id(tag), _UNKNOWN)[0] <= 150:
            text = _text(tag)
            if len(text) <= 120 and _DATE_TEXT.search(text):
                found = parse_french_date(text)
                if found:
                    return found
    return None


def _byline_region(tags: list[Element]) -> list[Element]:
    """Bylines and dates sit next to the headline: the elements from 40 before the
    first h1 to 300 after it (the whole page when there is no h1)."""
    for index, tag in enumerate(tags):
        if tag.tag == "h1":
            return tags[max(0, index - 40):index + 300]
    return tags[:600]


def clean_author(text: str) -> str | None:
    """"Par Jean Dupont, envoyé spécial à Kiev - Publié le…" → "Jean Dupont"."""
    text = _SPACES.sub(" ", text).strip()
    match = _BYLINE_TEXT.match(text)
    if match:
        text = match.group(1)
    text = _AUTHOR_CUT.split(text, maxsplit=1)[0].strip(" .,:;")
    return text or None


def _starts_with_byline(tag: Element) -> bool:
    """The element's text before its first child starts "Par " or "By "."""
    return bool(tag.text and _BYLINE_START.match(tag.text))


def _looks_like_name(text: str) -> bool:
    """Two to eight words, most of them capitalised: "Jean Dupont et Marie Curie"."""
    words = text.split()
    capitals = sum(w[:1].isupper() for w in words)
    return 2 <= len(words) <= 8 and capitals >= max(2, len(words) - 2)


def _is_byline_element(tag: Element) -> bool:
    if tag.tag in ("html", "body", "article", "main", "meta", "link"):
        return False
    names = f"{tag.get('class') or ''} {tag.get('id') or ''} {tag.get('itemprop') or ''}"
    return bool(_BYLINE_NAMES.search(names.lower())) and "date" not in names.lower()


def _time_element(tags: list[Element]) -> str | None:
    for tag in tags:
        if tag.tag == "time" and tag.get("datetime"):
            found = parse_iso(tag.get("datetime", ""))
            if found:
                return found
    return None


def _head_tags(head: list[tuple[str, str]]) -> tuple[dict[str, str], dict[str, str], str | None]:
    """Meta tags (name/property → content), link tags (rel → href) and <html lang>."""
    metas: dict[str, str] = {}
    links: dict[str, str] = {}
    lang = None
    for name, text in head:
        if name == "html":
            if lang is None:
                found = {key.lower(): v1 or v2 or v3 for key, v1, v2, v3 in _ATTR.findall(text)}
                lang = found.get("lang") or found.get("xml:lang") or ""
            continue
        attrs = {key.lower(): unescape(v1 or v2 or v3) for key, v1, v2, v3 in _ATTR.findall(text)}
        if name == "meta":
            key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or attrs.get(
                "http-equiv")
            value = _SPACES.sub(" ", attrs.get("content", "")).strip()
            if key and value:
                metas.setdefault(key.strip().lower(), value)
        elif attrs.get("rel") and attrs.get("href"):
            for rel in attrs["rel"].lower().split():
                links.setdefault(rel, attrs["href"].strip())
    return metas, links, lang or None


def _articles(blocks: list[object]) -> Iterator[dict]:
    """The Article-like objects of JSON-LD blocks, @graph and lists included."""
    stack = list(reversed(blocks))
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            if "@graph" in item:
                stack.append(item["@graph"])
            kind = item.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if any(isinstance(k, str) and k.endswith(("Article", "BlogPosting", "Report"))
                   for k in kinds):
                yield item


def _names(value: object, depth: int = 0) -> str | None:
    if depth > 5:
        return None
    if isinstance(value, str):
        return _SPACES.sub(" ", value).strip() or None
    if isinstance(value, dict):
        return _names(value.get("name"), depth + 1)
    if isinstance(value, list):
        names = [n for n in (_names(v, depth + 1) for v in value) if n]
        return ", ".join(dict.fromkeys(names)) or None
    return None


def _as_text(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _as_text(value.get("@id") or value.get("url"))
    return None


def _set(meta: dict[str, str], key: str, value: str | None) -> None:
    if value and key not in meta:
        meta[key] = value


def _text(tag: Element) -> str:
    return _SPACES.sub(" ", " ".join(tag.itertext())).strip()
