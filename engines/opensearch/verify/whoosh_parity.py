"""Compare an OpenSearch analyzer with Whoosh's french_analyzer on the same text.

Usage (from the repository root, in the project's virtualenv, with a cluster running):
    python engines/opensearch/verify/whoosh_parity.py URL INDEX TEXTFILE ANALYZER[,…] [words|lines]
words (default): every distinct word of TEXTFILE, compared by terms.
lines: every non-empty line, compared by (term, position, start, end) sets, so that
tokenizing, compounds, numbers and highlight offsets are checked too.
Prints, per analyzer, how many items differ from index.analysis, and the first 25.
"""

from __future__ import annotations

import json
import re
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from index.analysis import analyze, french_analyzer  # noqa: E402

BATCH = 200


def _analyze(url: str, index: str, analyzer: str, text: str | list[str]) -> list[dict]:
    body = json.dumps({"analyzer": analyzer, "text": text}).encode()
    request = urllib.request.Request(
        f"{url}/{index}/_analyze", data=body, headers={"Content-Type": "application/json"}
    )
    return json.load(urllib.request.urlopen(request))["tokens"]


def opensearch_terms(url: str, index: str, analyzer: str, words: list[str]) -> list[list[str]]:
    """The terms of each word, from one _analyze call (array items are 101 positions apart)."""
    terms: list[list[str]] = [[] for _ in words]
    for token in _analyze(url, index, analyzer, words):
        terms[token["position"] // 101].append(token["token"])
    return terms


def opensearch_tokens(url: str, index: str, analyzer: str, line: str) -> set[tuple]:
    return {
        (t["token"], t["position"], t["start_offset"], t["end_offset"])
        for t in _analyze(url, index, analyzer, line)
    }


def whoosh_tokens(line: str) -> set[tuple]:
    return {
        (t.text, t.pos, t.startchar, t.endchar)
        for t in french_analyzer()(line, positions=True, chars=True)
    }


def compare_words(url: str, index: str, analyzer: str, text: str) -> tuple[int, list]:
    words = sorted(set(re.findall(r"[^\W\d_]+", text)))
    differ = []
    for start in range(0, len(words), BATCH):
        batch = words[start:start + BATCH]
        for word, got in zip(batch, opensearch_terms(url, index, analyzer, batch), strict=True):
            if got != analyze(word):
                differ.append((word, analyze(word), got))
    return len(words), differ


def compare_lines(url: str, index: str, analyzer: str, text: str) -> tuple[int, list]:
    lines = [line for line in text.splitlines() if line.strip()]
    differ = []
    for line in lines:
        want, got = whoosh_tokens(line), opensearch_tokens(url, index, analyzer, line)
        if want != got:
            differ.append((line[:60], sorted(want - got)[:4], sorted(got - want)[:4]))
    return len(lines), differ


def main(url: str, index: str, textfile: str, analyzers: str, mode: str = "words") -> None:
    text = Path(textfile).read_text(encoding="utf-8", errors="ignore")
    compare = compare_lines if mode == "lines" else compare_words
    for analyzer in analyzers.split(","):
        count, differ = compare(url, index, analyzer, text)
        print(f"{analyzer}: {count} {mode}, {len(differ)} differ from Whoosh")
        for item, want, got in differ[:25]:
            print(f"   {item!r}: whoosh={want} opensearch={got}")


if __name__ == "__main__":
    main(*sys.argv[1:6])
