"""HTML article pages → Article: a pipeline of named passes on lxml's tree.

decode → cut the source (source) → parse (tree) → metadata → title → prune → score and
select → standfirst → collect → clean (collect). Each pass says what it removes and why;
the vocabularies of boilerplate live in archive.boilerplate, the metadata readers in
archive.metadata. Every pass walks the tree iteratively and every cut of the source is
linear, so no page costs a RecursionError or time beyond its length.
"""

from __future__ import annotations

from html import unescape

from archive.article import Article
from archive.decode import decode_bytes
from archive.extract import prune
from archive.extract.collect import Block, clean_blocks, collect_blocks, standfirst
from archive.extract.select import select_content
from archive.extract.source import Scan, bare_text, head_tags, json_ld_texts
from archive.extract.title import choose_title
from archive.extract.tree import Tree, parse
from archive.language import guess_language
from archive.metadata import read_metadata

__all__ = ["extract_article", "extract_text"]
_SHORT_BODY = 120  # characters: below this the lenient second try runs


def extract_article(data: bytes | str, url: str | None = None, origin: str | None = None,
                    declared_charset: str | None = None) -> Article:
    """Extract the article (title, body paragraphs, metadata) from an HTML page. Never
    raises on any bytes: a page too deep for a library underneath gives its bare text."""
    html = data if isinstance(data, str) else decode_bytes(data, declared_charset)[0]
    try:
        return _extract(html, url, origin)
    except RecursionError:
        text = " ".join(unescape(bare_text(html)).split())
        return Article(title="", body=[text] if text else [], url=url, origin=origin)


def extract_text(html: str | bytes, url: str | None = None) -> str:
    """The article body alone, paragraphs joined by newlines (the benchmark's API)."""
    return "\n".join(extract_article(html, url=url).body)


def _extract(html: str, url: str | None, origin: str | None) -> Article:
    """parse → metadata → title → body, with a lenient second try."""
    tree = parse(html)
    meta = read_metadata(tree.elements, json_ld_texts(Scan(html)), head_tags(Scan(html)), tree.stats)
    title = choose_title(tree, meta)
    page_chars = tree.stats[id(tree.root)][0]
    body = _body(tree, title, lenient=False)
    if sum(map(len, body)) < _SHORT_BODY and page_chars > 4 * _SHORT_BODY:
        # Too little for the page's text: a class vocabulary matched the article's own
        # wrapper. Try again keeping named containers, and keep the longer body.
        retry = _body(parse(html), title, lenient=True)
        if sum(map(len, retry)) > 2 * sum(map(len, body)):
            body = retry
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


def _body(tree: Tree, title: str, lenient: bool) -> list[str]:
    """prune → select → standfirst → collect → clean."""
    order = {id(el): index for index, el in enumerate(tree.elements)}
    prune.prune(tree, lenient)
    elements = tree.alive()
    roots = select_content(tree, elements)
    blocks: list[Block] = standfirst(elements, roots, order) + collect_blocks(roots)
    return clean_blocks(blocks, title)
