"""CPU per article of analysis and Whoosh indexing, ours beside plain Whoosh (issue 6).

    .venv/bin/python bench/indexing_cost.py [--size 3000] [--corpus ../shared/corpus]

In one process, on the first N articles of fr-news.jsonl.gz: each analyzer alone, then a
whole Whoosh add and commit with our schema (index.schema, index.indexer.document) and
with plain Whoosh (StandardAnalyzer, title and body stored). CPU time, one figure a line.
It bounds what `archive add` can reach on this engine: 2× plain Whoosh on 2 cores leaves
each article the CPU that plain Whoosh spends indexing it alone.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index.indexer import document  # noqa: E402
from newscorpus import DEFAULT_CORPUS, JSONL  # noqa: E402
from whoosh import index as whoosh_index  # noqa: E402
from whoosh.analysis import StandardAnalyzer  # noqa: E402
from whoosh.fields import ID, TEXT, Schema  # noqa: E402

from archive.article import Article  # noqa: E402
from index.analysis import french_analyzer, surface_analyzer  # noqa: E402
from index.schema import article_schema  # noqa: E402


def cpu_ms_per_article(count: int, work: Callable[[], None]) -> float:
    started = time.process_time()
    work()
    return 1000 * (time.process_time() - started) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=3000)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    options = parser.parse_args()
    with gzip.open(options.corpus / JSONL, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in islice(lines, options.size)]
    count = len(records)
    articles = [Article(title=r["title"], body=r["body"].split("\n\n"), id=f"{n:012x}")
                for n, r in enumerate(records)]
    texts = [a.title + "\n" + "\n".join(a.body) for a in articles]
    french, surface, standard = french_analyzer(), surface_analyzer(), StandardAnalyzer()
    for text in texts:  # fill the stem cache, as a long-running ingest has it filled
        list(french(text))

    def plain() -> None:
        with tempfile.TemporaryDirectory() as folder:
            schema = Schema(id=ID(stored=True, unique=True), title=TEXT(stored=True),
                            body=TEXT(stored=True))
            writer = whoosh_index.create_in(folder, schema).writer()
            for n, r in enumerate(records):
                writer.add_document(id=str(n), title=r["title"], body=r["body"])
            writer.commit()

    def ours() -> None:
        with tempfile.TemporaryDirectory() as folder:
            writer = whoosh_index.create_in(folder, article_schema()).writer(limitmb=128)
            for article in articles:
                writer.add_document(**document(article))
            writer.commit()

    print(f"articles {count}")
    figures = [
        ("standard_analyzer", lambda: [list(standard(t)) for t in texts]),
        ("french_analyzer_positions", lambda: [list(french(t, positions=True)) for t in texts]),
        ("surface_analyzer", lambda: [list(surface(t)) for t in texts]),
        ("plain_whoosh_add_commit", plain),
        ("ours_whoosh_add_commit", ours),
    ]
    for name, work in figures:
        print(f"{name} {cpu_ms_per_article(count, work):.2f} ms CPU per article", flush=True)


if __name__ == "__main__":
    main()
