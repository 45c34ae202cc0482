"""The search benchmark's queries, drawn from the benchmark articles with a fixed seed:
common and rare single words, two words, quoted phrases, accented words and the same
kind of words typed without accents."""

from __future__ import annotations

import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from newscorpus import BenchArticle
from whoosh.lang import stopwords_for_language

_WORD = re.compile(r"[^\W\d_]+")
def strip_accents(word: str) -> str:
    """'sécurité' → 'securite', as someone typing without accents would write it."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


STOP_WORDS = frozenset(strip_accents(w) for w in stopwords_for_language("fr"))
KINDS = ("common", "rare", "two_words", "phrase", "accented", "unaccented")


@dataclass
class BenchQuery:
    """One query as typed, and the kind of query it stands for."""

    text: str
    kind: str


def draw_queries(articles: list[BenchArticle], count: int = 200, seed: int = 6) -> list[BenchQuery]:
    """`count` queries, the kinds in equal shares and interleaved."""
    rng = random.Random(seed)
    frequency: Counter[str] = Counter()
    for article in articles:
        frequency.update({w.lower() for w in _WORD.findall(article.title + " " + article.body)})
    docs = len(articles)
    for word in list(frequency):  # a stop word alone is not a query (ours refuses it)
        if strip_accents(word) in STOP_WORDS:
            del frequency[word]
    common = sorted(w for w, n in frequency.items() if len(w) >= 5 and docs * 0.02 <= n <= docs * 0.3)
    rare = sorted(w for w, n in frequency.items() if len(w) >= 6 and 2 <= n <= 5
                  and not w.startswith("qzx"))
    accented = ([w for w in common if strip_accents(w) != w],  # half common, half rare
                [w for w in rare if strip_accents(w) != w])
    per_kind = -(-count // len(KINDS))
    drawn = {
        "common": [rng.choice(common) for _ in range(per_kind)],
        "rare": [rng.choice(rare) for _ in range(per_kind)],
        "two_words": [_two_words(rng, articles) for _ in range(per_kind)],
        "phrase": [_phrase(rng, articles) for _ in range(per_kind)],
        "accented": [rng.choice(accented[i % 2]) for i in range(per_kind)],
        "unaccented": [strip_accents(rng.choice(accented[i % 2])) for i in range(per_kind)],
    }
    queries = [BenchQuery(drawn[kind][i], kind) for i in range(per_kind) for kind in KINDS]
    return queries[:count]


def _paragraph_words(rng: random.Random, articles: list[BenchArticle], least: int) -> list[str]:
    while True:
        article = rng.choice(articles)
        paragraph = rng.choice(article.paragraphs)
        words = _WORD.findall(paragraph)
        if len(words) >= least:
            return words


def _two_words(rng: random.Random, articles: list[BenchArticle]) -> str:
    """Two longer words of one paragraph, so the query has hits."""
    while True:
        words = [w for w in _paragraph_words(rng, articles, 8) if len(w) >= 5]
        if len(set(words)) >= 2:
            first, second = rng.sample(sorted(set(words)), 2)
            return f"{first} {second}"


def _phrase(rng: random.Random, articles: list[BenchArticle]) -> str:
    """Two or three consecutive words of a paragraph in quotes, starting on a longer word."""
    while True:
        article = rng.choice(articles)
        paragraph = rng.choice(article.paragraphs)
        spans = [m for m in re.finditer(r"[^\W\d_]{4,}(?: [^\W\d_]{2,}){1,2}", paragraph)
                 if not all(strip_accents(w.lower()) in STOP_WORDS for w in m.group(0).split())]
        if spans:
            return '"' + rng.choice(spans).group(0) + '"'
