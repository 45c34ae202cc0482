"""score and select: the containers that hold the article."""

from __future__ import annotations

import re
from collections.abc import Iterator

from archive import boilerplate as bp
from archive.extract.tree import Element, Tree, link_density, names, own_strings, text_of

_SCORED = frozenset(("p", "pre", "td", "blockquote", "div", "section", "li"))
_NESTED_BLOCKS = frozenset(("p", "table", "div", "ul", "ol"))
_TOP = frozenset(("body", "html"))
_TAG_WEIGHT = {"div": 5, "article": 8, "section": 3, "main": 3, "pre": 3, "td": 3,
               "blockquote": 3, "form": -3, "ol": -3, "ul": -3, "li": -3, "dl": -3,
               "address": -3, "th": -5, "header": -5}
SENTENCE_END = re.compile(r"[.!?…»\"”)]\s*$")


def select_content(tree: Tree, elements: list[Element]) -> list[Element]:
    """The containers of the article: the element whose paragraphs carry the most
    text with the fewest links (text and link density scoring), widened to its
    <article> when that adds little, plus the siblings that score like it."""
    stats = tree.stats
    scores: dict[int, float] = {}
    nodes: dict[int, Element] = {}
    for para in scored_paragraphs(elements):
        length = stats[id(para)][0]
        if length < 25:
            continue
        text = "".join(para.itertext())
        score = 1 + text.count(",") + text.count("，") + min(length / 100, 3)
        if para.tag == "li":
            if link_density(tree, para) > 0.3:
                continue  # reference lists and link lists
            score /= 2
        parent = para.getparent()
        for level in range(5):
            if parent is None or parent.tag == "html":
                break
            key = id(parent)
            if key not in scores:
                nodes[key] = parent
                scores[key] = _TAG_WEIGHT.get(str(parent.tag), 0) + bp.container_weight(names(parent))
            scores[key] += score / (1 if level == 0 else 2 if level == 1 else level * 3)
            parent = parent.getparent()
    for el in elements:
        if el.get("itemprop") == "articleBody" and stats[id(el)][0] > 200:
            return [el]
    if not scores:
        named = [el for el in elements if el.tag in ("article", "main")]
        return [named[0] if named else _body(tree)]
    final = {key: scores[key] * (1 - link_density(tree, nodes[key]))
             for key in sorted(scores, key=scores.__getitem__, reverse=True)[:8]}
    best_key = max(final, key=final.__getitem__)
    best = _common_container(nodes[best_key], [nodes[k] for k in final
                                               if k != best_key and final[k] >= 0.75 * final[best_key]])
    best_score = max(final[best_key], final.get(id(best), 0.0))
    article = best if best.tag == "article" else next(best.iterancestors("article"), None)
    if article is not None and article is not best:
        if stats[id(article)][0] < 1.3 * stats[id(best)][0] + 400:
            return [article]
    parent = best.getparent()
    if (parent is not None and parent.tag not in _TOP
            and stats[id(parent)][0] < 1.25 * stats[id(best)][0] and link_density(tree, parent) < 0.1):
        best = parent  # the rest of the parent is a little more prose: the same article
    return _with_siblings(tree, best, best_score, scores)


def _body(tree: Tree) -> Element:
    body = tree.root.find("body")
    return body if body is not None else tree.root


def _common_container(best: Element, rivals: list[Element]) -> Element:
    """Readability's two climbs: when at least two rival candidates score close to the
    best, their nearest common ancestor holds the article (one paragraph per card);
    and an only child gives way to its parent."""
    if len(rivals) >= 2:
        rival_ancestors = [set(map(id, rival.iterancestors())) for rival in rivals]
        for ancestor in best.iterancestors():
            if ancestor.tag in _TOP:
                break
            if sum(1 for found in rival_ancestors if id(ancestor) in found) >= 2:
                best = ancestor
                break
    parent = best.getparent()
    while parent is not None and parent.tag not in _TOP and len(parent) == 1:
        best, parent = parent, parent.getparent()
    return best


def scored_paragraphs(elements: list[Element]) -> Iterator[Element]:
    """The elements whose text is scored: p, pre, td, li, blockquote, and divs that
    hold text directly (pages built with <br> instead of <p>)."""
    for el in elements:
        name = el.tag
        if name not in _SCORED:
            continue
        if name in ("div", "section"):
            if any(len(text.strip()) > 40 for text in own_strings(el)):
                yield el
        elif name in ("td", "li") and any(child.tag in _NESTED_BLOCKS for child in el):
            continue
        else:
            yield el


def _with_siblings(tree: Tree, best: Element, best_score: float, scores: dict[int, float]) -> list[Element]:
    """The best container and those of its siblings that score at least a fifth of it
    (a fifth more when they share its class) or are prose paragraphs with few links
    (articles split across sibling divs)."""
    parent = best.getparent()
    if parent is None:
        return [best]
    threshold = max(10.0, best_score * 0.2)
    chosen: list[Element] = []
    for sibling in parent:
        if sibling is best:
            chosen.append(sibling)
            continue
        score = scores.get(id(sibling))
        if score is not None and sibling.get("class") and sibling.get("class") == best.get("class"):
            score += best_score * 0.2  # same class as the best: another block of the body
        if score is not None and score * (1 - link_density(tree, sibling)) >= threshold:
            chosen.append(sibling)
        elif sibling.tag == "p":
            text = text_of(sibling)
            density = link_density(tree, sibling)
            if (len(text) > 80 and density < 0.25) or (
                    0 < len(text) <= 80 and density == 0 and SENTENCE_END.search(text)):
                chosen.append(sibling)
        elif sibling.tag in ("div", "section") and tree.stats[id(sibling)][2] >= 1 and (
                link_density(tree, sibling) < 0.1):
            chosen.append(sibling)  # a block of long paragraphs without links
    return chosen or [best]
