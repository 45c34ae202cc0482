"""Search benchmark: every engine, plain Whoosh and FTS5 on the same queries, side by side.

    .venv/bin/python bench/search.py --home /tmp/bench-10k/home-tantivy [--size 10000]
        [--queries 200] [--corpus ../shared/corpus] [--baselines /tmp/bench-10k]
        [--cold 30] [--engines tantivy,whoosh[,opensearch]]

Each engine searches the same archive home (an engine whose index is not there yet is
built first with `archive reindex`); opensearch is the cluster at $ARCHIVE_OPENSEARCH_URL,
in $ARCHIVE_OPENSEARCH_INDEX (default archive-bench-N).

Draws the queries from the same N articles bench/ingest.py added (see searchqueries.py)
and runs each, the engines taking turns query by query so the machine's load falls on
all: the full search through the library (index.search.search, top 10 with snippets and
did-you-mean, one engine and store kept open: a warm process), the engine alone (top 10
and the total), and the facet counts (sites and months of every match). Then plain
Whoosh with its highlighter and FTS5 with snippet(), then `archive search` and
`archive --help` as new processes (cold). The plain Whoosh and FTS5 indexes are reused
from --baselines (what ingest.py --keep left; by default the home's parent when its
manifest has the same size), else built here. Prints one figure per line, then the table.
"""

from __future__ import annotations

import argparse
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


class OurSearch:
    """Our library's search, as the CLI calls it, over one open engine and store; the
    engine alone; and its facets."""

    def __init__(self, home: Path, engine: str):
        sys.path.insert(0, str(ROOT))
        from archive.store import Store
        from index.engines import open_engine

        self.name = engine
        self.store = Store.open(home)
        self.engine = open_engine(home, engine)
        if self.engine.sync(self.store):
            print(f"# {engine}: index built or caught up first")

    def search(self, text: str) -> tuple[int, list]:
        from index.search import search

        result = search(self.engine, self.store, text, limit=10)
        return result.total, [(h.article.id, h.snippets) for h in result.hits]

    def rank(self, text: str) -> tuple[int, list]:
        from index.search import build_query

        ranking = self.engine.rank(build_query(text).query, 10)
        return ranking.total, ranking.ranked

    def facets(self, text: str) -> tuple[int, list]:
        from index.search import build_query

        facets = self.engine.facets(build_query(text).query)
        return facets.total, facets.sites

    def close(self) -> None:
        self.engine.close()
        self.store.close()


def time_interleaved(runners: dict[str, Callable[[str], tuple[int, list]]],
                     queries: list[BenchQuery]) -> dict[str, dict[str, float]]:
    """Each query on every runner in turn (a warm-up first); per-runner wall times in ms."""
    for query in queries[:WARM_UP]:
        for run in runners.values():
            try:
                run(query.text)
            except Exception:  # reported below, when timed
                pass
    times: dict[str, list[float]] = {name: [] for name in runners}
    by_kind: dict[str, dict[str, list[float]]] = {name: {k: [] for k in KINDS} for name in runners}
    empty = dict.fromkeys(runners, 0)
    errors = dict.fromkeys(runners, 0)
    for query in queries:
        for name, run in runners.items():
            started = time.perf_counter()
            try:
                total, _ = run(query.text)
            except Exception as error:  # a query one syntax refuses counts, not crashes
                errors[name] += 1
                total = 0
                print(f"# {name} error on {query.text!r}: {error.__class__.__name__}: {error}")
            elapsed = (time.perf_counter() - started) * 1000
            times[name].append(elapsed)
            by_kind[name][query.kind].append(elapsed)
            empty[name] += total == 0
    stats = {}
    for name in runners:
        values = times[name]
        stats[name] = {"p50": percentile(values, 50), "p95": percentile(values, 95),
                       "p99": percentile(values, 99), "mean": sum(values) / len(values),
                       "empty": empty[name], "errors": errors[name]}
        for figure_name in ("p50", "p95", "p99", "mean"):
            figure(name, f"search_{figure_name}", stats[name][figure_name], "ms")
        figure(name, "queries_without_hits", empty[name])
        figure(name, "queries_with_errors", errors[name])
        for kind, values_of_kind in by_kind[name].items():
            figure(name, f"search_p50_{kind}", percentile(values_of_kind, 50), "ms")
            figure(name, f"search_p95_{kind}", percentile(values_of_kind, 95), "ms")
    return stats


def cold_figures(home: Path, queries: list[BenchQuery], count: int,
                 engines: list[str]) -> dict[str, dict[str, float]]:
    """`archive search` on each engine and `archive --help` as new processes, taking
    turns; the bare interpreter too, for scale."""
    picked = queries[:: max(1, len(queries) // count)][:count]
    searches: dict[str, list[float]] = {engine: [] for engine in engines}
    helps, bare = [], []
    for engine in engines:  # once untimed: the bytecode written, the index files read once
        wall_seconds(archive_command() + ["--engine", engine, "--home", str(home), "search", "x"])
    for query in picked:
        for engine in engines:
            command = archive_command() + ["--engine", engine, "--home", str(home), "search", query.text]
            searches[engine].append(wall_seconds(command) * 1000)
        helps.append(wall_seconds(archive_command() + ["--help"]) * 1000)
        bare.append(wall_seconds([sys.executable, "-c", "pass"]) * 1000)
    cold = {}
    for engine in engines:
        cold[engine] = {"search_p50": percentile(searches[engine], 50),
                        "search_p95": percentile(searches[engine], 95)}
        figure(engine, "cold_search_p50", cold[engine]["search_p50"], "ms")
        figure(engine, "cold_search_p95", cold[engine]["search_p95"], "ms")
    cold["help"] = {"p50": percentile(helps, 50), "p95": percentile(helps, 95)}
    cold["python"] = {"p50": percentile(bare, 50)}
    figure("ours", "cold_queries", len(picked))
    figure("ours", "help_p50", cold["help"]["p50"], "ms")
    figure("ours", "help_p95", cold["help"]["p95"], "ms")
    figure("python", "start_p50", cold["python"]["p50"], "ms (python -c pass, for scale)")
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
    parser.add_argument("--cold", type=int, default=30, help="cold `archive search` runs per engine")
    parser.add_argument("--engines", default="tantivy,whoosh")
    parser.add_argument("--ours-only", action="store_true",
                        help="skip plain Whoosh and FTS5 (when there is no time to build them)")
    args = parser.parse_args()
    args.engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    size = args.size or default_size(args.home)
    if "opensearch" in args.engines:
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
    ours = {engine: OurSearch(args.home, engine) for engine in args.engines}
    full = time_interleaved({e: o.search for e, o in ours.items()}, queries)
    alone = time_interleaved({f"{e}-engine-only": o.rank for e, o in ours.items()}, queries)
    facets = time_interleaved({f"{e}-facets": o.facets for e, o in ours.items()}, queries)
    for search in ours.values():
        search.close()
    baselines: dict[str, dict[str, float]] = {}
    if not args.ours_only:
        whoosh_dir, fts5_path = baseline_paths(args, size, work)
        plain, fts5 = PlainWhooshSearch(whoosh_dir), Fts5Search(fts5_path)
        baselines = time_interleaved({"plain-whoosh": plain.search, "fts5": fts5.search}, queries)
        plain.close()
        fts5.close()
    print(f"# load {' '.join(f'{x:.2f}' for x in os.getloadavg())} before the cold runs")
    cold = cold_figures(args.home, queries, args.cold, args.engines)
    print(f"# load {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end")
    print_table(size, len(queries), args.engines, full, alone, facets, baselines, cold)


def print_table(size: int, count: int, engines: list[str], full: dict, alone: dict, facets: dict,
                baselines: dict, cold: dict) -> None:
    columns = engines + [b for b in ("plain-whoosh", "fts5") if b in baselines]
    print()
    print(f"| {size:,} articles, {count} queries | " + " | ".join(columns) + " |")
    print("|---|" + "---:|" * len(columns))

    def cell(stats: dict | None, name: str) -> str:
        return f"{stats[name]:.1f}" if stats else "–"

    for name in ("p50", "p95", "p99"):
        print(f"| full search, top 10 with snippets, {name} (ms) | "
              + " | ".join(cell(full.get(c) or baselines.get(c), name) for c in columns) + " |")
    for name in ("p50", "p95"):
        print(f"| engine alone, top 10 and total, {name} (ms) | "
              + " | ".join(cell(alone.get(f"{c}-engine-only"), name) for c in columns) + " |")
        print(f"| facets (sites, months), {name} (ms) | "
              + " | ".join(cell(facets.get(f"{c}-facets"), name) for c in columns) + " |")
    print("| queries without hits | " + " | ".join(
        str((full.get(c) or baselines.get(c))["empty"]) for c in columns) + " |")
    print("| `archive search` new process, p50 / p95 (ms) | " + " | ".join(
        f"{cold[c]['search_p50']:.0f} / {cold[c]['search_p95']:.0f}" if c in cold else "" for c in columns)
        + " |")
    if "fts5" in baselines:
        print("| full search p95 ÷ FTS5's | " + " | ".join(
            f"{full[c]['p95'] / baselines['fts5']['p95']:.2f}" if c in full else "" for c in columns) + " |")
    print(f"\n`archive --help` p50 / p95: {cold['help']['p50']:.0f} / {cold['help']['p95']:.0f} ms; "
          f"`python -c pass` p50: {cold['python']['p50']:.0f} ms")


if __name__ == "__main__":
    main()
