"""Text copies that lose their title or paragraphs, through the real reading path.

    .venv/bin/python bench/titles.py [--corpus PATH] [--qa PATH] [--limit N] [--show N]

Writes each corpus article (fr-news.jsonl.gz) and each PIAF paragraph (piaf-v1.1.json.gz,
title = its Wikipedia article's title) as a plain-text copy (title, blank line,
paragraphs: bench/newscorpus.py's shape), reads it back with archive.pages.read_page as
`archive add` does, and counts the copies whose title is not the one written, and the
paragraphs of the body that are not kept. Prints one figure per line, then up to `show`
examples of each loss.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.boilerplate import line_key  # noqa: E402
from archive.pages import PageError, read_page  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "fr-news.jsonl.gz"
DEFAULT_QA = ROOT.parent / "shared" / "bench" / "qa" / "piaf-v1.1.json.gz"
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"[ \t]+")
_WORD = re.compile(r"[^\W_]")  # a letter or a digit: "____" holds no word


def same_text(text: str) -> str:
    """What a reader sees: soft hyphens and zero-width marks out, runs of spaces as one
    (the reading path folds both, and that is no loss)."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


def corpus_copies(path: Path, limit: int | None) -> Iterator[tuple[str, str, list[str]]]:
    """(id, title, paragraphs) of the corpus articles, in file order."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if limit is not None and number >= limit:
                return
            record = json.loads(line)
            yield record["id"], record["title"], [p for p in record["body"].split("\n\n") if p.strip()]


def piaf_copies(path: Path, limit: int | None) -> Iterator[tuple[str, str, list[str]]]:
    """(id, title, [paragraph]) of every PIAF paragraph."""
    with gzip.open(path, "rt", encoding="utf-8") as source:
        data = json.load(source)["data"]
    count = 0
    for article in data:
        for number, paragraph in enumerate(article["paragraphs"]):
            if limit is not None and count >= limit:
                return
            count += 1
            yield f"{article['title']}#{number}", article["title"], [paragraph["context"]]


def loss_cause(paragraph: str, title: str) -> str:
    """Why a paragraph is not kept when that is no loss to a reader: it holds no word
    ("." alone), or it is the title again (with a final full stop)."""
    if not _WORD.search(paragraph):
        return "no-words"
    if line_key(paragraph) == line_key(title):
        return "title-repeat"
    return "other"


def measure(name: str, copies: Iterator[tuple[str, str, list[str]]], show: int) -> None:
    """Read every copy back and print the losses of the set `name`."""
    total = lost_titles = paragraphs = lost_paragraphs = failed = 0
    causes = {"no-words": 0, "title-repeat": 0, "other": 0}
    title_examples: list[str] = []
    paragraph_examples: list[str] = []
    for key, title, body in copies:
        total += 1
        paragraphs += len(body)
        data = (title + "\n\n" + "\n\n".join(body) + "\n").encode()
        try:
            article = read_page(data, origin=key, name_hint=f"{key}.txt")
        except PageError as error:
            failed += 1
            title_examples.append(f"{key}: {error}")
            continue
        if same_text(article.title) != same_text(title):
            lost_titles += 1
            if len(title_examples) < show:
                title_examples.append(f"{key}: {title!r} -> {article.title!r}")
        kept = {same_text(paragraph) for paragraph in article.body}
        for paragraph in body:
            if same_text(paragraph) not in kept:
                lost_paragraphs += 1
                cause = loss_cause(paragraph, title)
                causes[cause] += 1
                if cause == "other" and len(paragraph_examples) < show:
                    paragraph_examples.append(f"{key}: {paragraph[:140]!r}")
    print(f"{name} copies {total}")
    print(f"{name} titles-lost {lost_titles}")
    print(f"{name} paragraphs {paragraphs}")
    print(f"{name} paragraphs-lost {lost_paragraphs}")
    for cause, count in causes.items():
        print(f"{name} paragraphs-lost-{cause} {count}")
    print(f"{name} failed {failed}")
    for line in title_examples[:show]:
        print(f"# {name} title: {line}")
    for line in paragraph_examples:
        print(f"# {name} paragraph: {line}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--qa", type=Path, default=DEFAULT_QA)
    parser.add_argument("--limit", type=int, help="first N articles of the corpus (all by default)")
    parser.add_argument("--show", type=int, default=10, help="examples of each loss to print")
    args = parser.parse_args(argv)
    measure("piaf", piaf_copies(args.qa, None), args.show)
    measure("corpus", corpus_copies(args.corpus, args.limit), args.show)


if __name__ == "__main__":
    main()
