"""prune: remove what never holds article text, before anything is scored."""

from __future__ import annotations

from archive import boilerplate as bp
from archive.extract.tree import Tree, holds_prose, inside, is_hidden, names

DROP_TAGS = frozenset((
    "script", "style", "noscript", "template", "svg", "iframe", "button", "input", "select",
    "textarea", "object", "embed", "video", "audio", "canvas", "map", "dialog", "menu", "nav",
    "footer", "aside", "figcaption", "label", "option", "picture", "source", "img",
    "link", "meta",
))
DROP_ROLES = frozenset(("navigation", "complementary", "contentinfo", "banner", "search",
                        "dialog", "alertdialog", "menu", "menubar", "toolbar", "tablist"))
# A link's class names a popup, a tooltip or a share button, not a box around text: the
# links of a paragraph stay ("<a class='popup'>rather elderly</a> man"); link lists go by
# their link density. Readability set F1 0.9335 -> 0.9346, the others equal.
INLINE_TAGS = frozenset(("a",))
# Kept when they hold prose: navs and footers left open by broken markup, and the
# <noscript> copy of an article that scripts would otherwise render.
_FRAME_TAGS = frozenset(("nav", "aside", "footer", "noscript"))


def prune(tree: Tree, lenient: bool = False) -> None:
    """Remove what never holds article text: navigation, asides, footers, figure
    captions and credits, hidden elements, ARIA landmarks of the page frame, and
    containers whose class or id names comments, share bars, related links,
    newsletters, ads, bylines or consent banners (bp.container_verdict).
    Forms go too, unless a whole page is wrapped in one (ASP.NET sites). `lenient`
    keeps all class-named containers but comment sections."""
    stats, dropped = tree.stats, tree.dropped
    for el in tree.elements:
        if id(el) in dropped:
            continue
        name = el.tag
        if name in ("html", "body", "article", "main"):
            continue
        if name in DROP_TAGS:
            if name not in _FRAME_TAGS or not holds_prose(tree, el):
                tree.drop(el)
        elif name in ("form", "figure") and not holds_prose(tree, el):
            tree.drop(el)
        elif is_hidden(el) or el.get("role") in DROP_ROLES:
            tree.drop(el)
        elif name == "header" and not stats[id(el)][4] and not inside(el, ("article",)):
            tree.drop(el)
        elif name not in INLINE_TAGS:
            verdict = bp.container_verdict(names(el))
            if lenient and verdict != "comments":
                continue
            if verdict is None or stats[id(el)][4]:
                continue  # it wraps the article's h1 or articleBody: a page-level wrapper
            if verdict == "comments" or (verdict == "drop" and not holds_prose(tree, el, 3)) or (
                    verdict == "weak" and not holds_prose(tree, el)):
                tree.drop(el)
