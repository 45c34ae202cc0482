"""title: the article's headline."""

from __future__ import annotations

import re

from archive import boilerplate as bp
from archive.extract.tree import Tree, inside, is_hidden, text_of

_TITLE_SEPARATORS = re.compile(r"\s+[-|–—:·•»]\s+")


def choose_title(tree: Tree, meta: dict[str, str]) -> str:
    """The visible h1 most like the declared headline (inside the article first), else
    og:title or the JSON-LD headline, else <title> without its " - Site" suffix."""
    declared = meta.get("og_title") or meta.get("headline") or ""
    declared_words = set(bp.line_key(declared).split())
    best, best_score = "", float("-inf")
    for h1 in [el for el in tree.elements if el.tag == "h1"][:12]:
        text = text_of(h1)
        if not text or is_hidden(h1) or len(text) > 400:
            continue
        words = set(bp.line_key(text).split())
        score = len(words & declared_words) / max(len(words | declared_words), 1)
        score += 1.0 if inside(h1, ("article", "main")) else 0.0
        score -= 1.0 if inside(h1, ("nav", "footer", "aside", "a")) else 0.0
        score += 0.5 if len(words) >= 3 else 0.0
        if score > best_score:
            best, best_score = text, score
    if best:
        return best
    if declared:
        return strip_site(declared, meta.get("site"))
    title = next(tree.root.iter("title"), None)
    if title is not None:
        return strip_site(text_of(title), meta.get("site"))
    return ""


def strip_site(title: str, site: str | None) -> str:
    """"Title - Site" → "Title": cut the last separated part when it names the site or is short."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title.strip()
    last = parts[-1].strip().lower()
    site_key = (site or "").strip().lower()
    if (site_key and (last in site_key or site_key in last)) or last in bp.SITE_KEYS or (
            len(last.split()) <= 3 and len(" ".join(parts[:-1]).split()) >= 4):
        *_, last_separator = _TITLE_SEPARATORS.finditer(title)
        return title[:last_separator.start()].strip()
    return title.strip()
