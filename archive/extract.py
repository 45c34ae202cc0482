"""HTML article pages → Article: a pipeline of named passes on BeautifulSoup.

decode → parse → read metadata → prune → score → select → clean. Each pass says what
it removes and why; the vocabularies of boilerplate live in archive.boilerplate.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from archive import boilerplate as bp
from archive.article import Article
from archive.dates import parse_french_date, parse_iso
from archive.decode import decode_bytes
from archive.language import guess_language

# Elements that never hold article text.
DROP_TAGS = (
    "script", "style", "noscript", "template", "svg", "iframe", "form", "nav", "aside",
    "footer", "button", "input", "select", "textarea", "figcaption", "object", "embed",
    "video", "audio", "canvas", "map", "dialog", "menu",
)
DROP_ROLES = {"navigation", "complementary", "contentinfo", "banner", "search", "dialog", "alert"}
# class/id words of boilerplate containers, in English and French.
BOILERPLATE_WORDS = (
    "comment", "comments", "commentaires", "reactions", "share", "sharing", "social",
    "partage", "related", "similar", "newsletter", "subscribe", "subscription",
    "abonnement", "abonnes", "paywall", "promo", "advert", "advertisement", "ads", "ad",
    "pub", "publicite", "sponsor", "sponsored", "cookie", "cookies", "consent", "gdpr",
    "rgpd", "breadcrumb", "breadcrumbs", "ariane", "menu", "nav", "navbar", "navigation",
    "footer", "sidebar", "widget", "outbrain", "taboola", "read-also", "lire-aussi",
    "readmore", "read-more", "popular", "most-read", "plus-lus", "tags", "keywords",
    "author-bio", "bio", "signature", "caption", "legende", "credit", "credits",
    "copyright", "toolbar", "tools", "outils", "masthead", "banner", "modal", "popup",
    "overlay", "teaser", "recommended", "recommendations", "next", "prev", "pagination",
    "print", "hidden", "visually-hidden", "sr-only", "skip", "login", "signin", "meta",
    "byline", "dateline", "timestamp", "date", "author",
)
_WORD_SPLIT = re.compile(r"[\s_-]+")
_BOILERPLATE_SET = frozenset(BOILERPLATE_WORDS)
_COMPOUND_VOCAB = ("read-also", "lire-aussi", "read-more", "most-read", "plus-lus", "author-bio",
                   "visually-hidden", "sr-only")
_CONTENT_HINTS = re.compile(r"article|content|story|body|text|post|entry|main|corps|contenu|chapo|texte")
BLOCK_TAGS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "dt", "td")
_SPACES = re.compile(r"[ \t\r\n\u00a0\u202f\u2009\u200b]+")
_TITLE_SEPARATORS = re.compile(r"\s+[-|–—:·•]\s+")


def extract_article(data: bytes | str, url: str | None = None, origin: str | None = None,
                    declared_charset: str | None = None) -> Article:
    """Extract the article (title, body paragraphs, metadata) from an HTML page."""
    text = data if isinstance(data, str) else decode_bytes(data, declared_charset)[0]
    soup = parse(text)
    meta = read_metadata(soup)
    title = choose_title(soup, meta)
    prune(soup)
    root = select_content_root(soup)
    body = clean_paragraphs(collect_paragraphs(root), title)
    return Article(
        title=title,
        body=body,
        author=meta.get("author"),
        published=meta.get("published"),
        site=meta.get("site"),
        url=meta.get("url") or url,
        lang=meta.get("lang") or guess_language(" ".join(body)),
        origin=origin,
    )


def extract_text(html: str | bytes, url: str | None = None) -> str:
    """The article body alone, paragraphs joined by newlines (the benchmark's API)."""
    return "\n".join(extract_article(html, url=url).body)


def parse(text: str) -> BeautifulSoup:
    """Parse leniently; HTML comments are dropped here since they never show."""
    soup = BeautifulSoup(text, "html.parser")
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    return soup


def read_metadata(soup: BeautifulSoup) -> dict[str, str]:
    """Author, date, site, canonical URL and lang from meta tags and JSON-LD (JSON-LD
    first: it is the page's own structured statement of the article)."""
    meta: dict[str, str] = {}
    for item in _json_ld_articles(soup):
        _set(meta, "headline", _as_text(item.get("headline")))
        _set(meta, "author", _names(item.get("author")))
        _set(meta, "published", parse_iso(_as_text(item.get("datePublished")) or ""))
        _set(meta, "site", _names(item.get("publisher")))
        _set(meta, "url", _as_text(item.get("url")) or _as_text(item.get("mainEntityOfPage")))
        _set(meta, "lang", _as_text(item.get("inLanguage")))
    for key, names in (
        ("author", ("author", "article:author", "dc.creator", "sailthru.author", "parsely-author")),
        ("published", ("article:published_time", "datepublished", "dc.date", "date",
                       "pubdate", "publish-date", "og:published_time", "sailthru.date")),
        ("site", ("og:site_name", "application-name", "twitter:site")),
        ("og_title", ("og:title", "twitter:title")),
        ("url", ("og:url",)),
    ):
        for name in names:
            value = _meta_content(soup, name)
            if value:
                if key == "published":
                    value = parse_iso(value) or parse_french_date(value) or ""
                if key == "author" and value.startswith("http"):
                    continue
                _set(meta, key, value.lstrip("@") if key == "site" else value)
    canonical = soup.find("link", rel=lambda r: r and "canonical" in r, href=True)
    if canonical and str(canonical["href"]).startswith("http"):
        meta["url"] = str(canonical["href"])
    html = soup.find("html")
    if html and html.get("lang"):
        meta["lang"] = str(html["lang"])
    if meta.get("lang"):
        meta["lang"] = meta["lang"].split("-")[0].split("_")[0].lower()[:8]
    if "published" not in meta:
        time = soup.find("time", datetime=True)
        if time:
            _set(meta, "published", parse_iso(str(time["datetime"])) or "")
    return meta


def choose_title(soup: BeautifulSoup, meta: dict[str, str]) -> str:
    """The visible h1 (inside the article if there is one), else og:title or JSON-LD
    headline, else <title> without its " - Site" suffix."""
    scope = soup.find("article") or soup
    for h1 in list(scope.find_all("h1")) + list(soup.find_all("h1")):
        text = _text(h1)
        if len(text.split()) >= 2 and not _is_hidden(h1):
            return text
    for key in ("og_title", "headline"):
        if meta.get(key):
            return _strip_site(meta[key], meta.get("site"))
    if soup.title and soup.title.string:
        return _strip_site(_text(soup.title), meta.get("site"))
    return ""


def prune(soup: BeautifulSoup) -> None:
    """Remove what never holds article text: scripts, navigation, asides, footers,
    forms, figure captions and credits, hidden elements, and containers whose class or
    id names comments, share bars, related links, newsletters, ads or consent banners."""
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.attrs is None:
            continue
        if tag.name in ("html", "body", "article", "main"):
            continue
        if _is_hidden(tag) or tag.get("role") in DROP_ROLES or _has_boilerplate_name(tag):
            tag.decompose()
        elif tag.name == "header" and not tag.find_parent("article"):
            tag.decompose()


def select_content_root(soup: BeautifulSoup) -> Tag:
    """The container of the article: an explicit articleBody, else the element whose
    paragraphs carry the most text with the fewest links (text density scoring)."""
    explicit = soup.find(attrs={"itemprop": "articleBody"})
    if explicit and len(_text(explicit)) > 200:
        return explicit
    scores: dict[int, float] = {}
    nodes: dict[int, Tag] = {}
    for para in soup.find_all(["p", "pre", "blockquote"]):
        text = _text(para)
        if len(text) < 25:
            continue
        score = (1 + text.count(",") + min(len(text) / 100, 3)) * (1 - _link_density(para))
        parent = para.parent
        for share in (1.0, 0.5, 0.25):
            if not isinstance(parent, Tag):
                break
            key = id(parent)
            nodes[key] = parent
            scores[key] = scores.get(key, 0.0) + score * share * _name_bonus(parent)
            parent = parent.parent
    if not scores:
        return soup.find("article") or soup.find("main") or soup.body or soup
    best = nodes[max(scores, key=scores.__getitem__)]
    article = best if best.name == "article" else best.find_parent("article")
    if article is not None and len(_text(article)) < 3 * len(_text(best)) + 500:
        return article
    return best


def collect_paragraphs(root: Tag) -> list[str]:
    """Paragraph texts in document order from p/h2/h3/li/blockquote blocks, and from
    text that sits directly in divs (pages built with <br> instead of <p>)."""
    paragraphs: list[str] = []
    for block in _blocks(root):
        if _link_density(block) > 0.5 and len(_text(block)) < 300:
            continue  # link lists, "Lire aussi" boxes, tag clouds
        paragraphs.extend(_lines_of(block))
    return paragraphs


def clean_paragraphs(paragraphs: list[str], title: str) -> list[str]:
    """Drop repeated titles, boilerplate lines ("Lire aussi", prompts, credits) and
    duplicates, keeping the order."""
    title_key = bp.line_key(title)
    kept: list[str] = []
    seen: set[str] = set()
    for text in paragraphs:
        key = bp.line_key(text)
        if not key or key == title_key or key in seen:
            continue
        if bp.is_boilerplate_line(text) or bp.is_read_also_line(text) or bp.is_caption_with_credit(text):
            continue
        if bp.starts_closing_zone(text) and len(text.split()) < 8:
            break
        seen.add(key)
        kept.append(text)
    return kept


def _blocks(root: Tag) -> Iterator[Tag]:
    """Block elements that hold text, outermost-first, without nesting duplicates."""
    for tag in root.find_all(list(BLOCK_TAGS) + ["div", "section", "h1"]):
        if tag.name == "h1":
            continue
        if tag.name in ("div", "section"):
            if _has_direct_text(tag):
                yield tag
            continue
        if tag.find(BLOCK_TAGS) is not None and tag.name in ("li", "blockquote", "td", "dd"):
            continue  # its inner blocks are yielded on their own
        if tag.find_parent(["p", "h2", "h3", "h4", "pre"]) is not None:
            continue
        yield tag


def _lines_of(block: Tag) -> list[str]:
    """A block's text; for divs only their own text, split at <br> line breaks."""
    if block.name not in ("div", "section"):
        return [t for t in (_SPACES.sub(" ", s).strip() for s in _split_br(block)) if t]
    parts, current = [], []
    for child in block.children:
        if isinstance(child, NavigableString):
            current.append(str(child))
        elif child.name == "br":
            parts.append("".join(current))
            current = []
        elif child.name in ("a", "b", "strong", "em", "i", "span", "u", "abbr", "q", "sup", "sub", "small"):
            current.append(child.get_text())
        else:
            parts.append("".join(current))
            current = []
    parts.append("".join(current))
    return [t for t in (_SPACES.sub(" ", p).strip() for p in parts) if len(t) > 1]


def _split_br(block: Tag) -> list[str]:
    if block.find("br") is None:
        return [block.get_text()]
    chunks, current = [], []
    for node in block.descendants:
        if isinstance(node, NavigableString):
            current.append(str(node))
        elif node.name == "br":
            chunks.append("".join(current))
            current = []
    chunks.append("".join(current))
    return chunks


def _has_direct_text(tag: Tag) -> bool:
    return any(
        isinstance(child, NavigableString) and len(child.strip()) > 30 for child in tag.children
    )


def _has_boilerplate_name(tag: Tag) -> bool:
    names = " ".join(tag.get("class") or []) + " " + str(tag.get("id") or "")
    lowered = names.lower()
    if not lowered.strip():
        return False
    if any(word in lowered for word in _COMPOUND_VOCAB):
        return True
    words = set(_WORD_SPLIT.split(lowered))
    if _CONTENT_HINTS.search(lowered) and not words & {"comment", "comments", "commentaires",
                                                        "related", "share", "newsletter"}:
        return False
    return bool(words & _BOILERPLATE_SET)


def _is_hidden(tag: Tag) -> bool:
    if tag.attrs is None:
        return False
    style = str(tag.get("style") or "").replace(" ", "").lower()
    return (
        tag.has_attr("hidden")
        or tag.get("aria-hidden") == "true"
        or "display:none" in style
        or "visibility:hidden" in style
    )


def _name_bonus(tag: Tag) -> float:
    names = (" ".join(tag.get("class") or []) + " " + str(tag.get("id") or "")).lower()
    bonus = 1.5 if _CONTENT_HINTS.search(names) else 1.0
    if tag.name in ("article", "main"):
        bonus *= 1.5
    return bonus


def _link_density(tag: Tag) -> float:
    text_length = len(_text(tag))
    if not text_length:
        return 1.0
    link_length = sum(len(_text(a)) for a in tag.find_all("a"))
    return min(link_length / text_length, 1.0)


def _text(tag: Tag) -> str:
    return _SPACES.sub(" ", tag.get_text(" ")).strip()


def _meta_content(soup: BeautifulSoup, name: str) -> str | None:
    tag = soup.find("meta", attrs={"property": name}) or soup.find(
        "meta", attrs={"name": re.compile(f"^{re.escape(name)}$", re.IGNORECASE)}
    ) or soup.find("meta", attrs={"itemprop": name})
    if tag and tag.get("content"):
        return _SPACES.sub(" ", str(tag["content"])).strip() or None
    return None


def _json_ld_articles(soup: BeautifulSoup) -> Iterator[dict]:
    for script in soup.find_all("script", type=re.compile("ld\\+json", re.IGNORECASE)):
        try:
            data = json.loads(script.string or "")
        except (json.JSONDecodeError, TypeError, RecursionError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                if "@graph" in item:
                    stack.append(item["@graph"])
                kind = item.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(isinstance(k, str) and k.endswith(("Article", "BlogPosting", "Report"))
                       for k in kinds):
                    yield item


def _names(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_names(v) for v in value) if n]
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


def _strip_site(title: str, site: str | None) -> str:
    """"Title - Site" → "Title": cut the last separated part when it names the site or is short."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title.strip()
    last = parts[-1].strip().lower()
    site_key = (site or "").strip().lower()
    if (site_key and (last in site_key or site_key in last)) or last in {
        s.lower() for s in bp.SITE_NAMES
    } or len(last.split()) <= 3 and len(" ".join(parts[:-1]).split()) >= 4:
        return re.split(r"\s+[-|–—:·•]\s+(?=[^-|–—:·•]*$)", title)[0].strip()
    return title.strip()
