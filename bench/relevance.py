"""Relevance benchmark: does a search find what the user looks for, engine by engine?

    .venv/bin/python bench/relevance.py --size 5000

One run, seeded, every engine of the archive (tantivy, whoosh, and opensearch when
ARCHIVE_OPENSEARCH_URL is set) beside the alternatives, each on the same documents and
the same queries. The archive's engines are driven the way `archive search` drives them
(a real store and index in a temporary home, index.search.rank_page: parsing, relaxation,
bonuses); snippets and near-duplicate folding are left out.

Known items, on news (../shared/corpus/fr-news.jsonl.gz, `size` articles sampled): for
`queries` of those articles, the three longest title words, typed

    accents      as written:                 élections présidentielles
    noaccents    without accents:            elections presidentielles
    inflected    without accents, plural↔singular:  election presidentielle
    detail       two words of the body, each in at most 20 of the articles, not in the
                 title, without accents (a detail one remembers): otages rancon

An inflected form is used only when the corpus itself writes it at least three times in
lower case, and words the corpus mostly capitalises (names) are left as they are.

Questions, on PIAF (../shared/bench/qa/piaf-v1.1.json.gz: 1,518 French Wikipedia
paragraphs, each indexed as an article under its page's title): `questions` questions as
people wrote them; the relevant document is the paragraph each was written on.

Metrics: MRR@10, recall@10, nDCG@10 (one relevant document) and the share of empty
result pages; for the questions also per question word. The alternatives: Whoosh
StandardAnalyzer and LanguageAnalyzer('fr') (MultifieldParser, title boost 2, BM25F;
AND, and `-or` for OR of the same words) and SQLite FTS5 (unicode61 remove_diacritics 2,
bm25 with title weight 2; AND and OR of the words). Lines read "mode metric system
value", then Markdown tables.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
import random
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from timing import machine_lines  # noqa: E402
from unidecode import unidecode  # noqa: E402
from whoosh import index as whoosh_index  # noqa: E402
from whoosh.analysis import LanguageAnalyzer, StandardAnalyzer  # noqa: E402
from whoosh.fields import ID, TEXT, Schema  # noqa: E402
from whoosh.qparser import AndGroup, MultifieldParser, OrGroup  # noqa: E402
from whoosh.scoring import BM25F  # noqa: E402

from archive.article import Article  # noqa: E402
from archive.store import Store  # noqa: E402
from index.engines import open_engine  # noqa: E402
from index.query import QueryError  # noqa: E402
from index.search import build_query, rank_page  # noqa: E402

SHARED = ROOT.parent / "shared"
NEWS = SHARED / "corpus" / "fr-news.jsonl.gz"
PIAF = SHARED / "bench" / "qa" / "piaf-v1.1.json.gz"
KNOWN_ITEM_MODES = ("accents", "noaccents", "inflected", "detail")
OURS = ("tantivy", "whoosh", "opensearch")
ALTERNATIVES = ("whoosh-std", "whoosh-fr", "whoosh-fr-or", "fts5", "fts5-or")
TOP = 10
DETAIL_MAX_ARTICLES = 20
BASELINE_TITLE_WEIGHT = 2.0  # the alternatives' title weight, as in the issue's anchors
_LETTERS = re.compile(r"[^\W\d_]+")
_WORDS = re.compile(r"\w+")
# The question word a question is counted under: the first of these it holds.
QUESTION_CLASSES = {
    "quel": "quel", "quelle": "quel", "quels": "quel", "quelles": "quel",
    "lequel": "lequel", "laquelle": "lequel", "lesquels": "lequel", "lesquelles": "lequel",
    "auquel": "lequel", "auxquels": "lequel", "auxquelles": "lequel", "duquel": "lequel",
    "desquels": "lequel", "desquelles": "lequel",
    "combien": "combien", "comment": "comment", "pourquoi": "pourquoi", "quand": "quand",
    "où": "où", "qui": "qui", "que": "que", "qu": "que", "quoi": "quoi",
}


@dataclass
class Doc:
    """One document as every system indexes it."""

    key: str
    title: str
    paragraphs: list[str]
    site: str | None = None
    published: str | None = None

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class Query:
    """What is typed, the document it should find, and the group it is counted in."""

    text: str
    wanted: str
    group: str = ""
    clear: bool = True  # the query singles out its document (known items only)


# --- the corpora --------------------------------------------------------------------------


def load_news(path: Path, size: int, seed: int) -> tuple[list[Doc], Vocabulary]:
    """`size` articles sampled with a fixed seed (all if size is larger); the whole corpus
    sets the vocabulary of inflections."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    vocabulary = Vocabulary(records)
    if size < len(records):
        records = random.Random(seed).sample(records, size)
    docs = [Doc(r["id"], r["title"], [p for p in r["body"].split("\n\n") if p.strip()] or [r["body"]],
                r.get("site"), r.get("published")) for r in records]
    return docs, vocabulary


def load_piaf(path: Path) -> tuple[list[Doc], list[tuple[str, str]]]:
    """Each paragraph a document under its page's title; (question, paragraph key) pairs."""
    with gzip.open(path, "rt", encoding="utf-8") as file:
        data = json.load(file)["data"]
    docs, questions = [], []
    for page_number, page in enumerate(data):
        for number, paragraph in enumerate(page["paragraphs"]):
            key = f"piaf-{page_number}-{number}"
            docs.append(Doc(key, page["title"], [paragraph["context"]]))
            questions += [(qa["question"], key) for qa in paragraph["qas"]]
    return docs, questions


class Vocabulary:
    """How often the corpus writes each folded word, in lower case and capitalised:
    an inflection counts only if the corpus uses it, and names are not inflected."""

    def __init__(self, records: list[dict]):
        self.lower: Counter[str] = Counter()
        self.capital: Counter[str] = Counter()
        for record in records:
            for word in _LETTERS.findall(record["title"] + " " + record["body"]):
                table = self.capital if word[0].isupper() else self.lower
                table[unidecode(word).lower()] += 1

    def inflect(self, word: str) -> str:
        """The word in the other number as the corpus writes it, else unchanged."""
        if self.capital.get(word, 0) > self.lower.get(word, 0):
            return word  # a name: Paris, François, Castex
        for candidate in other_numbers(word):
            if self.lower.get(candidate, 0) >= 3:
                return candidate
        return word


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


# --- the queries --------------------------------------------------------------------------


def title_words(title: str) -> list[str]:
    """The three longest words of the title, in title order."""
    words = _LETTERS.findall(title)
    longest = sorted(range(len(words)), key=lambda i: (-len(words[i]), i))[:3]
    return [words[i] for i in sorted(longest)]


def typed(words: list[str], mode: str, vocabulary: Vocabulary) -> str:
    """The query as a user would type it in each known-item mode."""
    if mode == "accents":
        return " ".join(words)
    plain = [unidecode(w).lower() for w in words]
    if mode == "inflected":
        plain = [vocabulary.inflect(w) for w in plain]
    return " ".join(plain)


def _folded_words(text: str) -> set[str]:
    return {unidecode(w).lower() for w in _LETTERS.findall(text)}


def known_items(docs: list[Doc], picked: list[Doc], vocabulary: Vocabulary,
                seed: int) -> dict[str, list[Query]]:
    """The queries of each known-item mode for the picked documents."""
    unambiguous = single_titles(docs, picked)
    queries: dict[str, list[Query]] = {mode: [] for mode in KNOWN_ITEM_MODES}
    for doc in picked:
        words = title_words(doc.title)
        if not words:
            continue
        for mode in KNOWN_ITEM_MODES[:3]:
            queries[mode].append(Query(typed(words, mode, vocabulary), doc.key,
                                       clear=doc.key in unambiguous))
    frequency: Counter[str] = Counter()
    folded = {doc.key: _folded_words(doc.body) for doc in docs}
    for words in folded.values():
        frequency.update(words)
    chooser = random.Random(seed + 2)
    for doc in picked:
        title = _folded_words(doc.title)
        rare = sorted(w for w in folded[doc.key]
                      if len(w) >= 3 and w not in title and frequency[w] <= DETAIL_MAX_ARTICLES)
        if len(rare) >= 2:
            queries["detail"].append(Query(" ".join(chooser.sample(rare, 2)), doc.key))
    return queries


def single_titles(docs: list[Doc], picked: list[Doc]) -> set[str]:
    """The picked documents no other title shares all three query words with (compared
    without accents or case): "Coronavirus point pandémie" is the title words of a dozen
    daily updates, and nothing in the query tells them apart."""
    holders: dict[str, set[str]] = {}
    for doc in docs:
        for word in _folded_words(doc.title):
            holders.setdefault(word, set()).add(doc.key)
    single = set()
    for doc in picked:
        words = title_words(doc.title)
        if words and len(set.intersection(*(holders.get(unidecode(w).lower(), set())
                                            for w in words))) <= 1:
            single.add(doc.key)
    return single


def question_class(question: str) -> str:
    """The question word a question is counted under ("autre" when it has none)."""
    for word in re.findall(r"\w+", question.lower().replace("’", "'")):
        if word in QUESTION_CLASSES:
            return QUESTION_CLASSES[word]
    return "autre"


# --- the systems --------------------------------------------------------------------------


class ArchiveSystem:
    """One of the archive's engines over a real store in a temporary home, searched the
    way `archive search` searches (without snippets or near-duplicate folding)."""

    def __init__(self, name: str, folder: Path):
        self.name = name
        self.home = folder / "home"
        self.store = Store.open(self.home, create=True)
        if name == "opensearch":
            os.environ["ARCHIVE_OPENSEARCH_INDEX"] = f"bench-relevance-{folder.name}"
            os.environ.setdefault("ARCHIVE_OPENSEARCH_REPLICAS", "0")
        self.engine = open_engine(self.home, name)
        self.keys: dict[str, str] = {}

    def add(self, docs: list[Doc]) -> None:
        for start in range(0, len(docs), 1000):
            batch = docs[start:start + 1000]
            items = [(Article(title=d.title, body=d.paragraphs, site=d.site, published=d.published,
                              origin=d.key), f"{d.key}\n{d.title}\n{d.body}".encode()) for d in batch]
            for article in self.store.add_many(items):
                self.keys[article.id] = article.origin
        self.engine.rebuild(self.store)

    def top(self, text: str) -> list[str]:
        try:
            parsed = build_query(text)
        except QueryError:
            return []
        page = rank_page(self.engine, parsed, TOP)
        return [self.keys[article_id] for article_id, _ in page.ranked[:TOP]]

    def close(self) -> None:
        if self.name == "opensearch":
            self.engine.client.indices.delete(index=os.environ["ARCHIVE_OPENSEARCH_INDEX"],
                                              ignore_unavailable=True)
        self.engine.close()
        self.store.close()


class WhooshSystem:
    """Whoosh with one of its own analyzers, MultifieldParser, title boost 2, BM25F."""

    def __init__(self, name: str, folder: Path):
        self.name = name
        analyzer = StandardAnalyzer() if name == "whoosh-std" else LanguageAnalyzer("fr")
        schema = Schema(id=ID(stored=True, unique=True), title=TEXT(analyzer=analyzer),
                        body=TEXT(analyzer=analyzer))
        self.index = whoosh_index.create_in(folder, schema)
        self.parser = MultifieldParser(["title", "body"], schema,
                                       fieldboosts={"title": BASELINE_TITLE_WEIGHT},
                                       group=OrGroup if name.endswith("-or") else AndGroup)
        self.searcher = None

    def add(self, docs: list[Doc]) -> None:
        writer = self.index.writer(limitmb=256)
        for doc in docs:
            writer.add_document(id=doc.key, title=doc.title, body=doc.body)
        writer.commit()
        self.searcher = self.index.searcher(weighting=BM25F())

    def top(self, text: str) -> list[str]:
        words = [w.lower() for w in _WORDS.findall(text)]  # lower: "OR" is not an operator
        if not words:
            return []
        parsed = self.parser.parse(" ".join(words))
        return [hit["id"] for hit in self.searcher.search(parsed, limit=TOP)]

    def close(self) -> None:
        self.searcher.close()
        self.index.close()


class Fts5System:
    """SQLite FTS5 with diacritics removed, ranked by bm25 with the title weighted 2; all
    words required, or (`fts5-or`) any of them."""

    def __init__(self, name: str, folder: Path):
        self.name = name
        self.joiner = " OR " if name.endswith("-or") else " AND "
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, "
                        "tokenize = 'unicode61 remove_diacritics 2')")

    def add(self, docs: list[Doc]) -> None:
        self.db.executemany("INSERT INTO docs VALUES (?, ?, ?)",
                            [(d.key, d.title, d.body) for d in docs])

    def top(self, text: str) -> list[str]:
        words = _WORDS.findall(text)
        if not words:
            return []
        match = self.joiner.join(f'"{w}"' for w in words)
        rows = self.db.execute(
            f"SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 0, {BASELINE_TITLE_WEIGHT}, 1) "
            "LIMIT ?", (match, TOP)).fetchall()
        return [row[0] for row in rows]

    def close(self) -> None:
        self.db.close()


def make_system(name: str, folder: Path):
    if name in OURS:
        return ArchiveSystem(name, folder)
    if name.startswith("whoosh-"):
        return WhooshSystem(name, folder)
    return Fts5System(name, folder)


# --- measuring ----------------------------------------------------------------------------


@dataclass
class Scores:
    """The figures of one system on one set of queries."""

    queries: int = 0
    reciprocal: float = 0.0
    found: int = 0
    gain: float = 0.0
    empty: int = 0
    clear: int = 0
    clear_reciprocal: float = 0.0

    def add(self, query: Query, ranked: list[str]) -> None:
        self.queries += 1
        self.empty += not ranked
        self.clear += query.clear
        if query.wanted in ranked:
            rank = ranked.index(query.wanted) + 1
            self.reciprocal += 1 / rank
            self.found += 1
            self.gain += 1 / math.log2(rank + 1)
            self.clear_reciprocal += (1 / rank) if query.clear else 0.0

    def figures(self) -> dict[str, float]:
        n = max(self.queries, 1)
        return {"MRR@10": self.reciprocal / n, "recall@10": self.found / n,
                "nDCG@10": self.gain / n, "empty": self.empty / n,
                "MRR@10 unambiguous": self.clear_reciprocal / max(self.clear, 1)}


def measure(system, queries: list[Query]) -> tuple[Scores, dict[str, Scores], float]:
    """The system's scores on the queries, per group too, and its ms per query."""
    overall, groups = Scores(), {}
    started = time.perf_counter()
    for query in queries:
        ranked = system.top(query.text)
        overall.add(query, ranked)
        groups.setdefault(query.group, Scores()).add(query, ranked)
    return overall, groups, 1000 * (time.perf_counter() - started) / max(len(queries), 1)


def run_corpus(label: str, docs: list[Doc], query_sets: dict[str, list[Query]],
               systems: list[str], temporary: Path) -> dict:
    """Index the documents in each system, run every query set; print as it goes."""
    results: dict = {}
    for name in systems:
        folder = temporary / f"{label}-{name}"
        folder.mkdir()
        system = make_system(name, folder)
        started = time.perf_counter()
        system.add(docs)
        print(f"{label} index_seconds {name} {time.perf_counter() - started:.1f}", flush=True)
        for mode, queries in query_sets.items():
            overall, groups, ms = measure(system, queries)
            results.setdefault(mode, {})[name] = (overall, groups)
            print(f"{mode} query_ms {name} {ms:.2f}")
            for metric, value in overall.figures().items():
                if metric != "MRR@10 unambiguous" or mode in KNOWN_ITEM_MODES[:3]:
                    print(f"{mode} {metric} {name} {value:.3f}")
            sys.stdout.flush()
        system.close()
    return results


def print_tables(results: dict, systems: list[str]) -> None:
    print("\n| mode | metric | " + " | ".join(systems) + " |")
    print("|---|---|" + "---:|" * len(systems))
    for mode, by_system in results.items():
        metrics = ["MRR@10", "recall@10", "nDCG@10", "empty"]
        if mode in KNOWN_ITEM_MODES[:3]:
            metrics.append("MRR@10 unambiguous")
        for metric in metrics:
            cells = []
            for name in systems:
                value = by_system[name][0].figures()[metric]
                cells.append(f"{100 * value:.1f} %" if metric == "empty" else f"{value:.3f}")
            print(f"| {mode} | {metric} | " + " | ".join(cells) + " |")
    if "questions" in results:
        by_system = results["questions"]
        groups = sorted(by_system[systems[0]][1], key=lambda g: -by_system[systems[0]][1][g].queries)
        print("\nquestions by question word: MRR@10 / empty pages\n")
        print("| question word | n | " + " | ".join(systems) + " |")
        print("|---|---:|" + "---:|" * len(systems))
        for group in groups:
            cells = []
            for name in systems:
                figures = by_system[name][1][group].figures()
                cells.append(f"{figures['MRR@10']:.3f} / {100 * figures['empty']:.0f} %")
            print(f"| {group} | {by_system[systems[0]][1][group].queries} | " + " | ".join(cells) + " |")


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    arguments.add_argument("--corpus", type=Path, default=NEWS, help="fr-news.jsonl.gz")
    arguments.add_argument("--qa", type=Path, default=PIAF, help="piaf-v1.1.json.gz")
    arguments.add_argument("--size", type=int, default=5000, help="news articles to index")
    arguments.add_argument("--queries", type=int, default=1000, help="known items to look for")
    arguments.add_argument("--questions", type=int, default=1500, help="PIAF questions to ask")
    arguments.add_argument("--seed", type=int, default=1)
    arguments.add_argument("--modes", default=",".join((*KNOWN_ITEM_MODES, "questions")),
                           help="comma-separated subset of the modes")
    default_systems = [s for s in OURS if s != "opensearch" or os.environ.get("ARCHIVE_OPENSEARCH_URL")]
    arguments.add_argument("--systems", default=",".join((*default_systems, *ALTERNATIVES)),
                           help=f"comma-separated subset of {','.join(OURS + ALTERNATIVES)}")
    options = arguments.parse_args()
    modes = options.modes.split(",")
    systems = options.systems.split(",")
    for line in machine_lines():
        print(line)
    print(f"# command {' '.join(sys.argv)}")
    results = {}
    with tempfile.TemporaryDirectory() as temporary:
        if any(mode in KNOWN_ITEM_MODES for mode in modes):
            docs, vocabulary = load_news(options.corpus, options.size, options.seed)
            picked = random.Random(options.seed + 1).sample(docs, min(options.queries, len(docs)))
            query_sets = {mode: queries for mode, queries
                          in known_items(docs, picked, vocabulary, options.seed).items() if mode in modes}
            print(f"news articles {len(docs)}")
            for mode, queries in query_sets.items():
                print(f"{mode} queries {len(queries)}")
            print(f"unambiguous known items {sum(q.clear for q in query_sets.get('accents', []))}")
            results.update(run_corpus("news", docs, query_sets, systems, Path(temporary)))
        if "questions" in modes:
            docs, pairs = load_piaf(options.qa)
            asked = random.Random(options.seed).sample(pairs, min(options.questions, len(pairs)))
            queries = [Query(question, key, question_class(question)) for question, key in asked]
            print(f"piaf paragraphs {len(docs)} questions {len(queries)}")
            results.update(run_corpus("piaf", docs, {"questions": queries}, systems, Path(temporary)))
    print(f"# load at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print_tables(results, systems)


if __name__ == "__main__":
    main()
