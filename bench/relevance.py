"""Known-item relevance benchmark: can a user find an article again from its title words?

    python bench/relevance.py /work/shared/corpus/fr-news.jsonl.gz --size 5000

Indexes `size` articles sampled from the corpus (fr-news.jsonl.gz, one JSON article a
line) in four engines: ours (index.schema + index.query), Whoosh StandardAnalyzer,
Whoosh LanguageAnalyzer('fr') (both with MultifieldParser, title boost 2, BM25F) and
SQLite FTS5 (unicode61 remove_diacritics 2, bm25 with title weight 2). For `queries`
of those articles it types the three longest title words, in three modes:

    accents      as written:                 élections présidentielles
    noaccents    without accents:            elections presidentielles
    inflected    without accents, plural↔singular:  election presidentielle

An inflected form is used only when the corpus itself writes it at least three times in
lower case (so "appeler" is never typed "appelers" nor "coronavirus" "coronaviru"), and
words the corpus mostly capitalises (names) are left as they are.

It prints MRR@10 and recall@10 per engine and mode, one figure per line ("mode metric
engine value"), then the same as a Markdown table. The alternatives weight the title 2,
as in the issue's anchors; ours uses index.schema.TITLE_BOOST.

Whole corpus (37,790 articles, 2,000 queries, seed 1), MRR@10 accents / no accents /
inflected: ours 0.960 / 0.960 / 0.958; StandardAnalyzer 0.958 / 0.383 / 0.073;
LanguageAnalyzer('fr') 0.948 / 0.484 / 0.469; FTS5 0.908 / 0.908 / 0.129. Measured with
    python bench/relevance.py ../shared/corpus/fr-news.jsonl.gz --size 40000 --queries 2000
(about 20 minutes on two shared cores; --engines runs a subset).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.indexer import document  # noqa: E402
from unidecode import unidecode  # noqa: E402
from whoosh import index as whoosh_index  # noqa: E402
from whoosh.analysis import LanguageAnalyzer, StandardAnalyzer  # noqa: E402
from whoosh.fields import ID, TEXT, Schema  # noqa: E402
from whoosh.qparser import MultifieldParser  # noqa: E402
from whoosh.scoring import BM25F  # noqa: E402

from archive.article import Article  # noqa: E402
from index.query import QueryError  # noqa: E402
from index.schema import article_schema  # noqa: E402
from index.search import build_query, weighting  # noqa: E402

MODES = ("accents", "noaccents", "inflected")
ENGINES = ("ours", "standard", "language", "fts5")
TOP = 10
BASELINE_TITLE_WEIGHT = 2.0  # the alternatives' title weight, as in the issue's anchors
_LETTERS = re.compile(r"[^\W\d_]+")


def load(path: Path, size: int, seed: int) -> list[dict]:
    """`size` articles sampled from the corpus with a fixed seed (all if size is larger);
    the whole corpus sets the vocabulary of inflections."""
    global VOCABULARY
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    VOCABULARY = Vocabulary(records)
    if size < len(records):
        records = random.Random(seed).sample(records, size)
    return records


def title_words(title: str) -> list[str]:
    """The three longest words of the title, in title order."""
    words = _LETTERS.findall(title)
    longest = sorted(range(len(words)), key=lambda i: (-len(words[i]), i))[:3]
    return [words[i] for i in sorted(longest)]


def other_numbers(word: str) -> list[str]:
    """Candidate forms of a folded word in the other number: plural → singular (élections
    → élection, journaux → journal, nouveaux → nouveau), singular → plural."""
    if word.endswith("eaux"):
        return [word[:-1]]
    if word.endswith("aux"):
        return [word[:-3] + "al", word[:-1]]
    if word.endswith(("s", "x")):
        return [word[:-1]]
    if word.endswith("al"):
        return [word[:-2] + "aux", word + "s"]
    if word.endswith(("eau", "au", "eu")):
        return [word + "x", word + "s"]
    return [word + "s"]


class Vocabulary:
    """How often the corpus writes each folded word, in lower case and capitalised:
    an inflection counts only if the corpus uses it, and names are not inflected."""

    def __init__(self, records: list[dict]):
        self.lower: dict[str, int] = {}
        self.capital: dict[str, int] = {}
        for record in records:
            for word in _LETTERS.findall(record["title"] + " " + record["body"]):
                table = self.capital if word[0].isupper() else self.lower
                key = unidecode(word).lower()
                table[key] = table.get(key, 0) + 1

    def inflect(self, word: str) -> str:
        """The word in the other number as the corpus writes it, else unchanged."""
        if self.capital.get(word, 0) > self.lower.get(word, 0):
            return word  # a name: Paris, François, Castex
        for candidate in other_numbers(word):
            if self.lower.get(candidate, 0) >= 3:
                return candidate
        return word


VOCABULARY: Vocabulary | None = None


def typed(words: list[str], mode: str) -> str:
    """The query as a user would type it in each mode."""
    if mode == "accents":
        return " ".join(words)
    plain = [unidecode(w).lower() for w in words]
    if mode == "inflected":
        plain = [VOCABULARY.inflect(w) for w in plain]
    return " ".join(plain)


class WhooshEngine:
    """A Whoosh index in a temporary folder, queried with a query builder."""

    def __init__(self, name: str, schema: Schema, folder: Path):
        self.name = name
        self.index = whoosh_index.create_in(folder, schema)
        self.searcher = None

    def add(self, records: list[dict]) -> None:
        writer = self.index.writer(limitmb=256)
        for record in records:
            writer.add_document(**self.fields(record))
        writer.commit()
        self.searcher = self.index.searcher(weighting=self.weighting())

    def fields(self, record: dict) -> dict:
        return {"id": record["id"], "title": record["title"], "body": record["body"]}

    def weighting(self):
        return BM25F()

    def query(self, text: str):
        parser = MultifieldParser(["title", "body"], self.index.schema,
                                  fieldboosts={"title": BASELINE_TITLE_WEIGHT})
        return parser.parse(text)

    def top(self, text: str) -> list[str]:
        try:
            parsed = self.query(text)
        except QueryError:
            return []
        return [hit["id"] for hit in self.searcher.search(parsed, limit=TOP)]


class OurEngine(WhooshEngine):
    """The archive's own schema, analyzer, query language and BM25F parameters."""

    def fields(self, record: dict) -> dict:
        article = Article(title=record["title"], body=record["body"].split("\n\n"),
                          site=record.get("site"), published=record.get("published"),
                          id=record["id"])
        return document(article)

    def weighting(self):
        return weighting()

    def query(self, text: str):
        return build_query(text).query


def plain_schema(analyzer) -> Schema:
    return Schema(id=ID(stored=True, unique=True), title=TEXT(analyzer=analyzer),
                  body=TEXT(analyzer=analyzer))


class Fts5Engine:
    """SQLite FTS5 with diacritics removed, ranked by bm25 with the title weighted 2."""

    name = "fts5"

    def __init__(self) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, "
                        "tokenize = 'unicode61 remove_diacritics 2')")

    def add(self, records: list[dict]) -> None:
        self.db.executemany("INSERT INTO docs VALUES (?, ?, ?)",
                            [(r["id"], r["title"], r["body"]) for r in records])

    def top(self, text: str) -> list[str]:
        match = " AND ".join('"' + w.replace('"', '""') + '"' for w in text.split())
        rows = self.db.execute(
            f"SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 0, {BASELINE_TITLE_WEIGHT}, 1) "
            "LIMIT ?", (match, TOP)).fetchall()
        return [row[0] for row in rows]


def make_engine(name: str, folder: Path):
    if name == "ours":
        return OurEngine(name, article_schema(), folder)
    if name == "standard":
        return WhooshEngine(name, plain_schema(StandardAnalyzer()), folder)
    if name == "language":
        return WhooshEngine(name, plain_schema(LanguageAnalyzer("fr")), folder)
    return Fts5Engine()


def evaluate(engine, queries: list[tuple[str, list[str]]],
             unambiguous: set[str]) -> dict[str, tuple[float, float, float]]:
    """(MRR@10, recall@10, MRR@10 over the unambiguous queries) per mode."""
    scores = {}
    for mode in MODES:
        reciprocal, found, clear = 0.0, 0, 0.0
        for article_id, words in queries:
            ranked = engine.top(typed(words, mode))
            if article_id in ranked:
                rank = 1 / (ranked.index(article_id) + 1)
                reciprocal += rank
                found += 1
                clear += rank if article_id in unambiguous else 0.0
        scores[mode] = (reciprocal / len(queries), found / len(queries),
                        clear / max(len(unambiguous), 1))
    return scores


def title_ties(records: list[dict], queries: list[tuple[str, list[str]]]) -> tuple[set[str], float]:
    """Which known items their query singles out, and the best MRR@10 an engine could
    expect from the query alone.

    A query is ambiguous when other articles' titles also hold all its words (compared
    without accents or case): "Coronavirus point pandémie" is the title words of a dozen
    daily updates. Nothing in the query tells them apart, so an engine that ranks every
    such title first, in random order among them, scores 1/n·(1 + 1/2 + … + 1/n) on a
    query with n of them: the ceiling printed beside the engines."""
    holders: dict[str, set[str]] = {}
    for record in records:
        for word in {unidecode(w).lower() for w in _LETTERS.findall(record["title"])}:
            holders.setdefault(word, set()).add(record["id"])
    unambiguous, ceiling = set(), 0.0
    for article_id, words in queries:
        tied = len(set.intersection(*(holders.get(unidecode(w).lower(), set()) for w in words)))
        tied = max(tied, 1)
        ceiling += sum(1 / k for k in range(1, min(tied, TOP) + 1)) / tied
        if tied == 1:
            unambiguous.add(article_id)
    return unambiguous, ceiling / len(queries)


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    arguments.add_argument("corpus", type=Path, help="fr-news.jsonl.gz")
    arguments.add_argument("--size", type=int, default=5000, help="articles to index")
    arguments.add_argument("--queries", type=int, default=1000, help="known items to look for")
    arguments.add_argument("--seed", type=int, default=1)
    arguments.add_argument("--engines", default=",".join(ENGINES),
                           help=f"comma-separated subset of {','.join(ENGINES)}")
    options = arguments.parse_args()

    records = load(options.corpus, options.size, options.seed)
    picked = random.Random(options.seed + 1).sample(records, min(options.queries, len(records)))
    queries = [(r["id"], words) for r in picked if len(words := title_words(r["title"])) >= 1]
    print(f"articles {len(records)}")
    print(f"queries {len(queries)}")
    unambiguous, ceiling = title_ties(records, queries)
    print(f"unambiguous_queries {len(unambiguous)}")
    print(f"ceiling MRR@10 {ceiling:.3f}")
    results = {}
    with tempfile.TemporaryDirectory() as temporary:
        for name in options.engines.split(","):
            folder = Path(temporary) / name
            folder.mkdir()
            engine = make_engine(name, folder)
            started = time.perf_counter()
            engine.add(records)
            print(f"index_seconds {name} {time.perf_counter() - started:.1f}")
            started = time.perf_counter()
            results[name] = evaluate(engine, queries, unambiguous)
            print(f"query_ms {name} {1000 * (time.perf_counter() - started) / (3 * len(queries)):.2f}")
            for mode in MODES:
                mrr, recall, clear = results[name][mode]
                print(f"{mode} MRR@10 {name} {mrr:.3f}")
                print(f"{mode} recall@10 {name} {recall:.3f}")
                print(f"{mode} unambiguous_MRR@10 {name} {clear:.3f}")
            sys.stdout.flush()
    names = list(results)
    print("\n| mode | metric | " + " | ".join(names) + " |")
    print("|---|---|" + "---:|" * len(names))
    for mode in MODES:
        for number, metric in enumerate(("MRR@10", "recall@10", "MRR@10 unambiguous")):
            cells = " | ".join(f"{results[n][mode][number]:.3f}" for n in names)
            print(f"| {mode} | {metric} | {cells} |")


if __name__ == "__main__":
    main()
