"""Search benchmark (issue 6): our search, plain Whoosh and FTS5 on the same queries.

    .venv/bin/python bench/search.py --home /tmp/bench-10k/home [--size 10000]
        [--queries 200] [--corpus ../shared/corpus] [--baselines /tmp/bench-10k]
        [--cold 30] [--engine whoosh|opensearch]

With --engine opensearch, "ours" searches the cluster at $ARCHIVE_OPENSEARCH_URL, in
$ARCHIVE_OPENSEARCH_INDEX (default archive-bench-N, as bench/ingest.py fills it).

Draws the queries from the same N articles bench/ingest.py added (see searchqueries.py),
runs each top 10 with snippets: ours through the library (index.search.search with one
ArchiveIndex and Store kept open: a warm process), plain Whoosh with its highlighter and
FTS5 with snippet(). Then `archive search` and `archive --help` as new processes (cold).
The plain Whoosh and FTS5 indexes are reused from --baselines (what ingest.py --keep
left; by default the home's parent when its manifest has the same size), else built here.
Prints one figure per line, then the side-by-side table.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from baselines import Fts5Search, PlainWhooshSearch, build_fts5, build_plain_whoosh
from newscorpus import DEFAULT_CORPUS, bench_articles
from searchqueries import KINDS, BenchQuery, draw_queries
from timing import ROOT, archive_command, machine_lines, percentile, wall_seconds

WARM_UP = 20


def figure(engine: str, name: str, value: float | int, unit: str = "") -> None:
    if isinstance(value, float):
        value = f"{value:.2f}" if value < 100 else f"{value:.0f}"
    print(f"{engine} {name} {value}{(' ' + unit) if unit else ''}", flush=True)


def our_search(home: Path, engine: str) -> tuple[Callable[[str], tuple[int, list]], Callable[[], None]]:
    """Our library's search, as the CLI calls it, over one open engine and store."""
    sys.path.insert(0, str(ROOT))
    from archive.store import Store
    from index.engines import open_engine
    from index.search import search

    print(f"# index.search.search{inspect.signature(search)}, engine {engine}")
    store = Store.open(home)
    index = open_engine(home, engine)

    def run(text: str) -> tuple[int, list]:
        result = search(index, store, text, limit=10)
        return result.total, [(h.article.id, h.snippets) for h in result.hits]

    def close() -> None:
        index.close()
        store.close()

    return run, close


def time_queries(engine: str, run: Callable[[str], tuple[int, list]],
                 queries: list[BenchQuery]) -> dict[str, float]:
    """Per-query wall times in ms after a warm-up; prints the figures and returns them."""
    for query in queries[:WARM_UP]:
        try:
            run(query.text)
        except Exception:  # reported below, when timed
            pass
    times: list[float] = []
    by_kind: dict[str, list[float]] = {kind: [] for kind in KINDS}
    empty = errors = 0
    for query in queries:
        started = time.perf_counter()
        try:
            total, _ = run(query.text)
        except Exception as error:  # a query one engine's syntax refuses counts, not crashes
            errors += 1
            total = 0
            print(f"# {engine} error on {query.text!r}: {error.__class__.__name__}: {error}")
            if errors >= 10 and errors == len(times) + 1:
                raise SystemExit(f"{engine}: the first {errors} queries all failed; "
                                 f"the figures would mean nothing ({error})") from None
        elapsed = (time.perf_counter() - started) * 1000
        times.append(elapsed)
        by_kind[query.kind].append(elapsed)
        empty += total == 0
    stats = {"p50": percentile(times, 50), "p95": percentile(times, 95),
             "p99": percentile(times, 99), "mean": sum(times) / len(times),
             "empty": empty, "errors": errors}
    for name in ("p50", "p95", "p99", "mean"):
        figure(engine, f"search_{name}", stats[name], "ms")
    figure(engine, "queries_without_hits", empty)
    figure(engine, "queries_with_errors", errors)
    for kind, values in by_kind.items():
        figure(engine, f"search_p50_{kind}", percentile(values, 50), "ms")
        figure(engine, f"search_p95_{kind}", percentile(values, 95), "ms")
    return stats


def cold_figures(home: Path, queries: list[BenchQuery], count: int,
                 engine: str = "whoosh") -> dict[str, float]:
    """`archive search` and `archive --help` as new processes; the bare interpreter too."""
    archive = archive_command() + ["--engine", engine]
    picked = queries[:: max(1, len(queries) // count)][:count]
    searches = [wall_seconds(archive + ["--home", str(home), "search", q.text]) * 1000
                for q in picked]
    helps = [wall_seconds(archive + ["--help"]) * 1000 for _ in range(count)]
    bare = [wall_seconds([sys.executable, "-c", "pass"]) * 1000 for _ in range(count)]
    cold = {"search_p50": percentile(searches, 50), "search_p95": percentile(searches, 95),
            "help_p50": percentile(helps, 50), "help_p95": percentile(helps, 95),
            "python_p50": percentile(bare, 50)}
    figure("ours", "cold_queries", len(searches))
    figure("ours", "cold_search_p50", cold["search_p50"], "ms")
    figure("ours", "cold_search_p95", cold["search_p95"], "ms")
    figure("ours", "help_p50", cold["help_p50"], "ms")
    figure("ours", "help_p95", cold["help_p95"], "ms")
    figure("python", "start_p50", cold["python_p50"], "ms (python -c pass, for scale)")
    return cold


def baseline_paths(args: argparse.Namespace, size: int, work: Path) -> tuple[Path, Path]:
    """Plain Whoosh folder and FTS5 file: reused when kept for the same size, else built."""
    kept = args.baselines or args.home.parent
    manifest = kept / "manifest.json"
    if manifest.exists() and json.loads(manifest.read_text()).get("size") == size:
        print(f"# baselines reused from {kept}")
        return kept / "plain-whoosh", kept / "fts5.db"
    if args.baselines:
        raise SystemExit(f"--baselines {kept} has no manifest.json for --size {size}")
    print(f"# baselines built for {size} articles in {work}")
    articles = bench_articles(args.corpus, size)
    build_plain_whoosh(articles, work / "plain-whoosh")
    build_fts5(articles, work / "fts5.db")
    return work / "plain-whoosh", work / "fts5.db"


def default_size(home: Path) -> int:
    manifest = home.parent / "manifest.json"
    if manifest.exists():
        return int(json.loads(manifest.read_text())["size"])
    return 10_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--home", type=Path, required=True, help="an archive home made by ingest.py")
    parser.add_argument("--size", type=int, help="articles the queries are drawn from "
                        "(default: the kept manifest's, else 10000)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--baselines", type=Path, help="folder ingest.py --keep filled")
    parser.add_argument("--cold", type=int, default=30, help="cold `archive search` runs (>= 20)")
    parser.add_argument("--engine", choices=["whoosh", "opensearch"], default="whoosh")
    parser.add_argument("--ours-only", action="store_true",
                        help="skip plain Whoosh and FTS5 (when there is no time to build them)")
    args = parser.parse_args()
    size = args.size or default_size(args.home)
    if args.engine == "opensearch":
        os.environ.setdefault("ARCHIVE_OPENSEARCH_INDEX", f"archive-bench-{size}")
    work = Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        run_all(args, size, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_all(args: argparse.Namespace, size: int, work: Path) -> None:
    for line in machine_lines():
        print(line)
    queries = draw_queries(bench_articles(args.corpus, size), args.queries)
    print(f"# {len(queries)} queries drawn from {size} articles, e.g. "
          + "; ".join(q.text for q in queries[:len(KINDS)]))
    run, close = our_search(args.home, args.engine)
    ours = time_queries("ours", run, queries)
    close()
    if args.ours_only:
        cold = cold_figures(args.home, queries, args.cold, args.engine)
        print_table(size, len(queries), ours, None, None, cold)
        return
    whoosh_dir, fts5_path = baseline_paths(args, size, work)
    plain = PlainWhooshSearch(whoosh_dir)
    whoosh = time_queries("plain-whoosh", plain.search, queries)
    plain.close()
    fts5_search = Fts5Search(fts5_path)
    fts5 = time_queries("fts5", fts5_search.search, queries)
    fts5_search.close()
    cold = cold_figures(args.home, queries, args.cold, args.engine)
    print_table(size, len(queries), ours, whoosh, fts5, cold)


def print_table(size: int, count: int, ours: dict, whoosh: dict | None, fts5: dict | None,
                cold: dict) -> None:
    print()
    print(f"| {size:,} articles, {count} queries, top 10 with snippets | ours | plain Whoosh "
          "| FTS5 | ours ÷ Whoosh | ours ÷ FTS5 |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in ("p50", "p95", "p99", "mean"):
        row = f"| {name} in process, warm (ms) | {ours[name]:.1f} "
        if whoosh and fts5:
            row += (f"| {whoosh[name]:.1f} | {fts5[name]:.2f} | {ours[name] / whoosh[name]:.2f} "
                    f"| {ours[name] / fts5[name]:.1f} |")
        else:
            row += "| – | – | | |"
        print(row)
    if whoosh and fts5:
        print(f"| queries without hits | {ours['empty']} | {whoosh['empty']} | {fts5['empty']} | | |")
    print(f"| `archive search` new process, p50 / p95 (ms) | {cold['search_p50']:.0f} / "
          f"{cold['search_p95']:.0f} | | | | |")
    print(f"| `archive --help`, p50 / p95 (ms) | {cold['help_p50']:.0f} / {cold['help_p95']:.0f} "
          f"| | | | |")
    print(f"| `python -c pass`, p50 (ms), for scale | {cold['python_p50']:.0f} | | | | |")

if __name__ == "__main__":
    main()
