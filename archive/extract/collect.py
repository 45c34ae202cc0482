"""standfirst, collect and clean: the selected containers → the article's paragraphs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from archive import boilerplate as bp
from archive.extract.select import SENTENCE_END
from archive.extract.tree import Element, names, text_of

BLOCK_TAGS = frozenset((
    "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6",
    "li", "ul", "ol", "dl", "dd", "dt", "blockquote", "pre", "table", "tr", "td", "th",
    "tbody", "thead", "figure", "address", "hr", "br", "center", "body", "form", "fieldset",
    "details", "summary", "caption",
))
HEADINGS = frozenset(("h2", "h3", "h4", "h5", "h6"))
_CELLS = frozenset(("td", "th"))
# A block seen before goes when it is this long: a paragraph or box printed twice. A
# shorter line may repeat in the text itself (the headings of a meal plan, day after
# day): ScrapingHub F1 0.9640 -> 0.9653 (bench/extraction.py), the other sets equal.
REPEAT_CHARS = 60
LI_LINKS = 0.7
_SHORT_LINE = 300  # longer blocks are prose: boilerplate patterns are never that long
_SPACES = re.compile(r"[ \t\r\n\f\u00a0\u202f\u2009\u200b\u2028\u2029]+")
_INVISIBLE = re.compile("[\u00ad\u200c\u200d\u2060\ufeff]")


@dataclass
class Block:
    """One paragraph of the selected content: its text, how much of it is link text,
    and the element that opened it (p, h2, li…)."""

    text: str
    link_chars: int
    tag: str


def standfirst(elements: list[Element], roots: list[Element], order: dict[int, int]) -> list[Block]:
    """The standfirst (chapô) when it sits outside the selected body, between the h1
    and the body: an element named chapo/standfirst/lead/intro/desc (bp vocabulary).
    `order` is each element's place in the page."""
    first = roots[0]
    root_ids = set(map(id, roots))
    above_roots = {id(ancestor) for root in roots for ancestor in root.iterancestors()}
    for el in [el for el in elements if _is_standfirst(el)][:5]:
        if el is first or id(el) in above_roots or root_ids.intersection(map(id, el.iterancestors())):
            continue  # the body itself, a wrapper of it, or inside it
        text = text_of(el)
        if 40 <= len(text) <= 1200 and order[id(el)] < order[id(first)]:
            return [Block(text, 0, "p")]
    return []


def _is_standfirst(el: Element) -> bool:
    return el.tag in ("p", "div", "h2", "h3", "span") and bp.is_standfirst_name(names(el))


def collect_blocks(roots: list[Element]) -> list[Block]:
    """Paragraph texts in document order. Block elements (p, h2, li, div…) and <br>
    end a paragraph; inline text joins it, so text sitting directly in a div or split
    by <br> comes out as paragraphs too. Link text is counted for the clean pass. Short
    blocks above the h1 (kicker, section label) are dropped."""
    blocks: list[Block] = []
    for root in roots:
        parts: list[str] = []
        link_chars = 0
        opener: str = root.tag or "div"  # type: ignore[assignment]
        start = len(blocks)
        for event, value, in_link in walk(root):
            if event == "text":
                parts.append(value)
                if in_link:
                    link_chars += 1 if value.isspace() else len(value)  # indentation is one space
                continue
            text = _SPACES.sub(" ", _INVISIBLE.sub("", "".join(parts))).strip()
            if text:
                blocks.append(Block(text, min(link_chars, len(text)), opener))
            parts, link_chars = [], 0
            opener = value if event == "open" else "div"
            if value == "h1" and event == "open" and all(len(b.text) < 120 for b in blocks[start:]):
                del blocks[start:]  # above the headline: kicker, section label, breadcrumb
    return blocks


def walk(root: Element) -> Iterator[tuple[str, str, bool]]:
    """Iterative walk: ("text", string, inside a link), ("open", tag) and ("close", tag)
    at block boundaries, in document order. The cells of a table row of plain cells are
    one paragraph, a space between cells ("3 Kevin Harvick 5033 4 6")."""
    cells = _plain_cells(root)
    stack: list[tuple[Element, bool, bool, bool]] = [(root, False, False, False)]
    while stack:
        el, closing, in_link, outer_link = stack.pop()
        name: str = el.tag  # type: ignore[assignment]  # parsed HTML: str tags only
        block = name in BLOCK_TAGS and (name not in _CELLS or id(el) not in cells)
        if closing:
            if block:
                yield "close", name, in_link
            if el is not root and el.tail:
                yield "text", el.tail, outer_link
            continue
        if block:
            yield "open", name, in_link
        elif name in _CELLS:
            yield "text", " ", in_link
        child_link = in_link or name == "a"
        stack.append((el, True, in_link, outer_link))
        if el.text:
            yield "text", el.text, child_link
        stack.extend((child, False, child_link, child_link) for child in reversed(el))


def _link_limit(block: Block) -> float:
    if block.tag in ("li", "tr"):
        return LI_LINKS
    return 0.5 if len(block.text) < 200 else 0.7


def _plain_cells(root: Element) -> set[int]:
    """The cells of rows of two cells or more that hold no block: data, not layout."""
    plain: set[int] = set()
    for row in root.iter("tr"):
        cells = [cell for cell in row if cell.tag in _CELLS]
        if len(cells) >= 2 and not any(inner.tag in BLOCK_TAGS and inner.tag != "br"
                                       for cell in cells for inner in cell.iterdescendants()):
            plain.update(map(id, cells))
    return plain


def clean_blocks(blocks: list[Block], title: str) -> list[str]:
    """Drop link lists and "Lire aussi" boxes (link density), boilerplate lines
    (prompts, credits, share bars), repeated titles and repeated blocks, and cut the
    page's closing zone ("Les plus lus", "Sur le même sujet"); keep the order."""
    title_key = bp.line_key(title)
    kept: list[Block] = []
    seen: set[str] = set()
    for block in blocks:
        text = block.text
        if block.link_chars / len(text) > _link_limit(block):
            continue
        short = len(text) <= _SHORT_LINE
        key = bp.line_key(text) if short else text
        if not key or key == title_key or (key in seen and len(text) >= REPEAT_CHARS):
            continue
        if short and (bp.is_boilerplate_line(text) or bp.is_english_boilerplate_line(text)
                      or bp.is_read_also_line(text) or bp.is_caption_with_credit(text)
                      or bp.is_dated_byline(text)):
            continue
        if (len(text.split()) < 8 and len(kept) >= 2
                and (bp.starts_closing_zone(text) or bp.starts_english_closing_zone(text))):
            break
        if block.tag in ("li", "td", "dd", "dt", "th") and len(text) < 20 and not SENTENCE_END.search(text):
            continue  # menu items and table labels
        seen.add(key)
        kept.append(block)
    while kept and kept[-1].tag in HEADINGS:
        kept.pop()  # a heading with nothing after it introduced a box that was dropped
    return [block.text for block in kept]
