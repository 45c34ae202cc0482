"""Extraction benchmark: our extractor and trafilatura side by side, one run.

    .venv-bench/bin/python bench/extraction.py [BENCH_DIR] [--set NAME] [--limit N]
        [--orange DIR] [--orange-limit N] [--corpus PATH]

BENCH_DIR defaults to ../shared/bench/extraction next to the repository; its score.py
gives the metrics (ScrapingHub shingles, trafilatura snippets), so the figures are the
scorer's. Prints one figure per line: "<set> <extractor> <F1|P|R|pages/s> <value>",
then the French F1 (mean over the sets that have French pages) and the mean F1.
pages/s is CPU time of this process (one core), so other load on the machine moves it
little. `--orange` (default ../shared/corpus/orange-html) adds the speed on 2,000 real
French pages of ~60 KB given as bytes (decoding included), each extractor timed on the
same page one after the other, with the median and p95 milliseconds a page and the
shingle F1 against the page's text in fr-news.jsonl.gz (record orangesum-N); `--orange ''`
skips it. trafilatura is a benchmark-only dependency: install it in a separate venv
(.venv-bench), never in the project.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BENCH = ROOT.parent / "shared" / "bench" / "extraction"
DEFAULT_ORANGE = ROOT.parent / "shared" / "corpus" / "orange-html"
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "fr-news.jsonl.gz"
Extractor = Callable[["str | bytes", "str | None"], str]


def load_scorer(bench: Path) -> ModuleType:
    """The benchmark's own score.py, imported as a module for its metrics."""
    spec = importlib.util.spec_from_file_location("extraction_score", bench / "score.py")
    if spec is None or spec.loader is None:
        raise SystemExit(f"no score.py in {bench}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def extractors() -> dict[str, Extractor]:
    """Ours, and trafilatura with its default settings when it is installed."""
    sys.path.insert(0, str(ROOT))
    from archive.extract import extract_text

    found: dict[str, Extractor] = {"archive": extract_text}
    try:
        import trafilatura
    except ImportError:
        print("# trafilatura is not installed here: only our figures", file=sys.stderr)
    else:
        found[f"trafilatura-{trafilatura.__version__}"] = (
            lambda html, url: trafilatura.extract(html, url=url) or "")
    return found


def run_set(score: ModuleType, name: str, runners: dict[str, Extractor],
            limit: int | None) -> dict[str, dict]:
    """Score every extractor on one set; returns per extractor the set and French figures."""
    metric, items = score.load_set(name)
    keys = sorted(items)[:limit] if limit else sorted(items)
    rows: dict[str, list[dict]] = {label: [] for label in runners}
    seconds = dict.fromkeys(runners, 0.0)
    for key in keys:
        item = items[key]
        html = score.read_html(name, key)
        for label, extract in runners.items():
            started = time.process_time()
            try:
                predicted = extract(html, item.get("url"))
            except Exception:  # noqa: BLE001 - the scorer counts a crash as an empty output
                predicted = ""
            seconds[label] += time.process_time() - started
            rows[label].append({"c": _counts(score, metric, item, predicted), "lang": item.get("lang"),
                                "exact": _exact(score, metric, item, predicted)})
    figures = {}
    for label, label_rows in rows.items():
        aggregate = score.aggregate_shingle if metric == "shingle" else score.aggregate_snippet
        french = [row for row in label_rows if row["lang"] == "fr"]
        figures[label] = {
            "all": aggregate(label_rows),
            "fr": aggregate(french) if french else None,
            "pages/s": len(keys) / seconds[label] if seconds[label] else 0.0,
            "pages": len(keys),
            "seconds": seconds[label],
        }
    return figures


def orange_truth(corpus: Path) -> dict[str, str]:
    """The article text of each orange-html page: fr-news.jsonl.gz's orangesum-N body."""
    truth: dict[str, str] = {}
    with gzip.open(corpus, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record["id"].startswith("orangesum-"):
                truth["orange-" + record["id"][len("orangesum-"):]] = record["body"]
    return truth


def run_orange(score: ModuleType, folder: Path, corpus: Path, runners: dict[str, Extractor],
               limit: int | None) -> None:
    """CPU pages/s, ms per page (median, p95) and shingle F1 on the real French pages."""
    truth = orange_truth(corpus) if corpus.exists() else {}
    pages = sorted(folder.glob("*.html.gz"))[:limit] if limit else sorted(folder.glob("*.html.gz"))
    times: dict[str, list[float]] = {label: [] for label in runners}
    rows: dict[str, list[dict]] = {label: [] for label in runners}
    for page in pages:
        data = gzip.decompress(page.read_bytes())  # bytes, as `archive add` reads them: decoding counts
        key = page.name[: -len(".html.gz")]
        for label, extract in runners.items():
            started = time.process_time()
            try:
                predicted = extract(data, None)
            except Exception:  # noqa: BLE001 - a crash is an empty output
                predicted = ""
            times[label].append(time.process_time() - started)
            if key in truth:
                rows[label].append({"c": score.shingle_counts(truth[key], predicted),
                                    "exact": False})
    for label in runners:
        spent = sorted(times[label])
        total = sum(spent)
        print(f"orange {label} pages {len(spent)}")
        print(f"orange {label} pages/s {len(spent) / total if total else 0.0:.1f}")
        print(f"orange {label} ms-median {1000 * spent[len(spent) // 2]:.2f}")
        print(f"orange {label} ms-p95 {1000 * spent[int(len(spent) * 0.95)]:.2f}")
        if rows[label]:
            figures = score.aggregate_shingle(rows[label])
            for short, name in (("F1", "f1"), ("P", "precision"), ("R", "recall")):
                print(f"orange {label} {short} {figures[name]:.3f}")


def _counts(score: ModuleType, metric: str, item: dict, predicted: str) -> tuple:
    if metric == "shingle":
        return score.shingle_counts(item["articleBody"], predicted)
    return score.snippet_counts(item, predicted)


def _exact(score: ModuleType, metric: str, item: dict, predicted: str) -> bool:
    return metric == "shingle" and score.tokens(item["articleBody"]) == score.tokens(predicted)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bench", nargs="?", type=Path, default=DEFAULT_BENCH,
                        help="the extraction benchmark folder (holds score.py and the sets)")
    parser.add_argument("--set", action="append", dest="sets", help="only this set (repeatable)")
    parser.add_argument("--limit", type=int, help="first N pages of each set")
    parser.add_argument("--orange", default=str(DEFAULT_ORANGE),
                        help="folder of real pages (*.html.gz) for the speed run; '' skips it")
    parser.add_argument("--orange-limit", type=int, help="first N pages of --orange")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="fr-news.jsonl.gz: the orange pages' text, for their F1")
    parser.add_argument("--no-sets", action="store_true", help="only the --orange run")
    args = parser.parse_args(argv)
    score = load_scorer(args.bench)
    runners = extractors()
    print(f"# load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    sets = [] if args.no_sets else args.sets or score.discover_sets()
    results = {name: run_set(score, name, runners, args.limit) for name in sets}
    for name, by_label in results.items():
        for label, figures in by_label.items():
            for short, key in (("F1", "f1"), ("P", "precision"), ("R", "recall")):
                print(f"{name} {label} {short} {figures['all'][key]:.3f}")
            if figures["fr"]:
                print(f"{name} {label} French-F1 {figures['fr']['f1']:.3f}")
            print(f"{name} {label} pages/s {figures['pages/s']:.1f}")
    for label in runners if results else ():
        french = [r[label]["fr"]["f1"] for r in results.values() if r[label]["fr"]]
        if french:
            print(f"French {label} F1 {sum(french) / len(french):.3f}")
        print(f"mean {label} F1 {sum(r[label]['all']['f1'] for r in results.values()) / len(results):.3f}")
        pages = sum(r[label]["pages"] for r in results.values())
        seconds = sum(r[label]["seconds"] for r in results.values())
        print(f"all {label} pages/s {pages / seconds if seconds else 0.0:.1f}")
    if args.orange and Path(args.orange).is_dir():
        run_orange(score, Path(args.orange), args.corpus, runners, args.orange_limit)
    print(f"# load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
