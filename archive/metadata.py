"""Page metadata: author, published date, site, canonical URL, lang and headline.

Sources, most trusted first: JSON-LD (the page's own structured statement of the
article), then meta tags (Open Graph, article:*, Dublin Core), then what a reader
sees (a "Par Jean Dupont" byline, a "Publié le 5 janvier 2020 à 14h32" date line).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, Tag

from archive.dates import parse_french_date, parse_iso, with_local_offset

_JSON_LD = re.compile(
    r"<script\b[^>]*?type\s*=\s*[\"']?application/ld\+json[^>]*>(.*?)</script\s*>",
    re.IGNORECASE | re.DOTALL,
)
_SPACES = re.compile(r"[ \t\r\n\u00a0\u202f\u2009\u200b]+")
_BYLINE_NAMES = re.compile(r"author|byline|signature|auteur|signataire|writer|journalist")
_BYLINE_TEXT = re.compile(
    r"^(?:(?:article |texte |propos recueillis )?par|by|de notre (?:envoy[ée]e? sp[ée]ciale?|correspondante?)"
    r"(?: [àa] [\w\- ]+)?,?)\s+(.{3,80})$",
    re.IGNORECASE,
)
_DATE_TEXT = re.compile(
    r"(?:publi[ée]|mis en ligne|le)\b.{0,20}\d{1,2}(?:er)?[ /.](?:\d{1,2}|[a-zéûè]{3,9}\.?)[ /.]\d{4}"
    r"|^\d{1,2}/\d{1,2}/\d{4}",
    re.IGNORECASE,
)
_BYLINE_START = re.compile(r"^\s*(?:Par|By|PAR|BY)\s")
_AUTHOR_CUT = re.compile(r"\s+(?:[-|–—,•·]|le \d|publi[ée]|mis [àa] jour|updated|\d{1,2}/)\s*", re.IGNORECASE)

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


def json_ld_blocks(html: str) -> list[object]:
    """The JSON-LD blocks of a page, read from the raw text before scripts are stripped."""
    blocks: list[object] = []
    for match in _JSON_LD.finditer(html):
        try:
            blocks.append(json.loads(match.group(1).strip().rstrip(";")))
        except (ValueError, RecursionError):
            continue
    return blocks


def read_metadata(soup: BeautifulSoup, json_ld: list[object]) -> dict[str, str]:
    """Author, published, site, url, lang, headline and og_title, JSON-LD first."""
    meta: dict[str, str] = {}
    for item in _articles(json_ld):
        _set(meta, "headline", _as_text(item.get("headline")))
        _set(meta, "author", _names(item.get("author")))
        _set(meta, "published", parse_iso(_as_text(item.get("datePublished")) or ""))
        _set(meta, "site", _names(item.get("publisher")))
        _set(meta, "url", _as_text(item.get("url")) or _as_text(item.get("mainEntityOfPage")))
        _set(meta, "lang", _as_text(item.get("inLanguage")))
    tags = _meta_tags(soup)
    for key, names in META_KEYS.items():
        for name in names:
            value = tags.get(name)
            if not value:
                continue
            if key == "published":
                value = parse_iso(value) or parse_french_date(value) or ""
            elif key == "author" and (value.startswith(("http", "@")) or "/" in value):
                continue
            elif key == "site":
                value = value.lstrip("@")
            _set(meta, key, value)
    canonical = soup.find("link", rel="canonical", href=True)
    if canonical is not None and str(canonical["href"]).startswith("http"):
        meta["url"] = str(canonical["href"]).strip()
    html = soup.find("html")
    if isinstance(html, Tag) and html.get("lang"):
        meta["lang"] = str(html["lang"])
    region = ""
    if meta.get("lang"):
        parts = re.split(r"[-_]", meta["lang"].strip().lower())
        meta["lang"], region = parts[0][:8], (parts[1] if len(parts) > 1 else "")
    if "published" not in meta:
        _set(meta, "published", _time_element(soup))
    if "author" not in meta:
        _set(meta, "author", visible_author(soup))
    if "published" not in meta:
        shown = visible_date(soup)
        _set(meta, "published", with_local_offset(shown, region) if shown else None)
    return meta


def visible_author(soup: BeautifulSoup) -> str | None:
    """The author of a visible byline: an element named author/byline/signature, or a
    short "Par Jean Dupont" line."""
    for tag in soup.find_all(attrs={"rel": "author"}, limit=1):
        return clean_author(_text(tag))
    for tag in soup.find_all(_is_byline_element, limit=8):
        text = _text(tag)
        if 3 <= len(text) <= 120:
            name = clean_author(text)
            if name and not _DATE_TEXT.search(name) and len(name.split()) <= 8:
                return name
    body = soup.body or soup
    for string in body.find_all(string=_BYLINE_START, limit=20):
        match = _BYLINE_TEXT.match(_text(string.parent))
        name = clean_author(match.group(0)) if match else None
        if name and _looks_like_name(name):
            return name
    return None


def visible_date(soup: BeautifulSoup) -> str | None:
    """A date shown in a French byline ("Publié le 5 janvier 2020 à 14h32")."""
    body = soup.body or soup
    for string in body.find_all(string=_DATE_TEXT, limit=10):
        text = _SPACES.sub(" ", string.parent.get_text(" ")).strip()
        if len(text) <= 120:
            found = parse_french_date(text)
            if found:
                return found
    return None


def clean_author(text: str) -> str | None:
    """"Par Jean Dupont, envoyé spécial à Kiev - Publié le…" → "Jean Dupont"."""
    text = _SPACES.sub(" ", text).strip()
    match = _BYLINE_TEXT.match(text)
    if match:
        text = match.group(1)
    text = _AUTHOR_CUT.split(text, maxsplit=1)[0].strip(" .,:;")
    return text or None


def _looks_like_name(text: str) -> bool:
    """Two to eight words, most of them capitalised: "Jean Dupont et Marie Curie"."""
    words = text.split()
    capitals = sum(w[:1].isupper() for w in words)
    return 2 <= len(words) <= 8 and capitals >= max(2, len(words) - 2)


def _is_byline_element(tag: Tag) -> bool:
    if tag.name in ("html", "body", "article", "main", "meta", "link"):
        return False
    names = " ".join(tag.get("class") or []) + " " + str(tag.get("id") or "") + " " + str(
        tag.get("itemprop") or "")
    return bool(_BYLINE_NAMES.search(names.lower())) and "date" not in names.lower()


def _time_element(soup: BeautifulSoup) -> str | None:
    for time in soup.find_all("time", datetime=True, limit=5):
        found = parse_iso(str(time["datetime"]))
        if found:
            return found
    return None


def _meta_tags(soup: BeautifulSoup) -> dict[str, str]:
    tags: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop") or tag.get("http-equiv")
        content = tag.get("content")
        if key and content and isinstance(key, str) and isinstance(content, str):
            value = _SPACES.sub(" ", content).strip()
            if value:
                tags.setdefault(key.strip().lower(), value)
    return tags


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


def _text(tag: Tag) -> str:
    return _SPACES.sub(" ", tag.get_text(" ")).strip()
