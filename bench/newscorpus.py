"""The benchmark corpus: N articles from fr-news.jsonl.gz (distinct variants past the
37,790 real ones), written as plain-text copies, and the real HTML pages of orange-html/.

Shared by bench/ingest.py and bench/search.py so both see the same N articles.
"""

from __future__ import annotations

import gzip
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
JSONL = "fr-news.jsonl.gz"
HTML_DIR = "orange-html"
VARIANT_STRIDE = 7919  # a prime: the partner article of a variant is far from its base


@dataclass
class BenchArticle:
    """One benchmark article: its title and paragraphs, and whether it is a variant."""

    key: str
    title: str
    paragraphs: list[str]
    variant: bool = False

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    def text_copy(self) -> str:
        """The shape `archive add` reads as a plain-text copy: title, blank line, paragraphs."""
        return self.title + "\n\n" + self.body + "\n"

    def raw_bytes(self) -> int:
        """The article's raw text (title and body) in UTF-8 bytes: the size yardstick."""
        return len(self.title.encode()) + len(self.body.encode())


def read_corpus(corpus: Path, limit: int | None = None) -> list[BenchArticle]:
    """The real articles of the JSON Lines, in file order (by date), at most `limit`."""
    articles = []
    with gzip.open(corpus / JSONL, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            paragraphs = [p for p in record["body"].split("\n\n") if p.strip()]
            articles.append(BenchArticle(record["id"], record["title"], paragraphs))
            if limit is not None and len(articles) >= limit:
                break
    return articles


def unique_token(number: int) -> str:
    """A letters-only word no real article contains ('qzx' + the number in base 26)."""
    letters = ""
    while True:
        number, digit = divmod(number, 26)
        letters = chr(ord("a") + digit) + letters
        if number == 0:
            return "qzx" + letters


def make_variant(number: int, real: list[BenchArticle]) -> BenchArticle:
    """A distinct article past the real ones: the paragraphs of a base article alternate
    with those of a partner far from it, and a unique token ends the title and the body."""
    rounds, at = divmod(number, len(real))
    base = real[at]
    partner = real[(number * VARIANT_STRIDE + rounds * 101 + 1) % len(real)]
    if partner is base:
        partner = real[(at + 1) % len(real)]
    mixed = [partner.paragraphs[i % len(partner.paragraphs)] if i % 2 else paragraph
             for i, paragraph in enumerate(base.paragraphs)]
    token = unique_token(number)
    return BenchArticle(f"variant-{number}", f"{base.title} ({token})",
                        [*mixed, f"Référence {token}."], variant=True)


def bench_articles(corpus: Path, size: int) -> list[BenchArticle]:
    """`size` articles: the real ones first, then distinct variants if `size` needs more."""
    real = read_corpus(corpus, limit=size)
    if len(real) >= size:
        return real
    return real + [make_variant(n, real) for n in range(len(real), size)]


def write_text_copies(articles: list[BenchArticle], folder: Path, start: int = 0) -> int:
    """One .txt copy per article in `folder`, numbered from `start`; returns the bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for number, article in enumerate(articles, start):
        data = article.text_copy().encode()
        (folder / f"{number:06d}.txt").write_bytes(data)
        written += len(data)
    return written


def copy_html_pages(source: Path, folder: Path, limit: int | None = None) -> int:
    """Gunzip the real pages (*.html.gz in `source`, e.g. CORPUS/orange-html) into
    `folder` as .html; returns how many."""
    folder.mkdir(parents=True, exist_ok=True)
    pages = sorted(source.glob("*.html.gz"))[:limit]
    for page in pages:
        with gzip.open(page, "rb") as source, open(folder / page.name[:-3], "wb") as target:
            shutil.copyfileobj(source, target)
    return len(pages)
