"""Ingest benchmark (issue 6): `archive add` end to end beside plain Whoosh and FTS5.

    .venv/bin/python bench/ingest.py --size 10000 [--corpus ../shared/corpus]
        [--html ../shared/corpus/orange-html] [--keep /tmp/bench-10k] [--engine whoosh]

--engine opensearch runs the same `archive add` with the index on the cluster at
$ARCHIVE_OPENSEARCH_URL (engines/opensearch/cluster start 2 prints it), in the index
$ARCHIVE_OPENSEARCH_INDEX (default archive-bench-N, dropped first), and reports the
primaries' size on disk as the index size.

Writes N plain-text copies from fr-news.jsonl.gz (distinct variants past 37,790) and the
real HTML pages into a temporary folder, runs the real `archive --home H add` on each
folder as a new process, then `archive reindex`; then indexes the same N texts in this
process with plain Whoosh and FTS5. Prints one figure per line ("engine figure value"),
then a side-by-side table. With --keep DIR the archive home (DIR/home), the plain Whoosh
index (DIR/plain-whoosh) and the FTS5 file (DIR/fts5.db) stay for bench/search.py.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

from baselines import build_fts5, build_plain_whoosh, folder_bytes
from newscorpus import (
    DEFAULT_CORPUS,
    HTML_DIR,
    BenchArticle,
    bench_articles,
    copy_html_pages,
    write_text_copies,
)
from timing import ROOT, Run, archive_command, machine_lines, run_measured

sys.path.insert(0, str(ROOT))

MB = 1024 * 1024
REAL_ARTICLES = 37_790


def figure(engine: str, name: str, value: float | int | str, unit: str = "") -> None:
    """One figure per line: engine, name, value and unit."""
    if isinstance(value, float):
        value = f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    print(f"{engine} {name} {value}{(' ' + unit) if unit else ''}", flush=True)


def store_tables(db_path: Path) -> dict[str, int]:
    """Bytes of the SQLite file per table, each table's indexes counted with it (dbstat)."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    owner = dict(db.execute("SELECT name, tbl_name FROM sqlite_schema"))
    sizes: dict[str, int] = {}
    for name, size in db.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
        table = owner.get(name, name)
        sizes[table] = sizes.get(table, 0) + size
    db.close()
    wal = db_path.with_name(db_path.name + "-wal")
    if wal.exists() and wal.stat().st_size:
        sizes["(wal)"] = wal.stat().st_size
    return sizes


def store_raw_text(db_path: Path) -> int:
    """The raw article text the archive holds: title and paragraphs in UTF-8 bytes, the
    paragraphs joined by a blank line as in the corpus."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    total = 0
    for title, body in db.execute("SELECT title, body FROM articles"):
        total += len(title.encode()) + len("\n\n".join(json.loads(body)).encode())
    db.close()
    return total


def index_bytes(home: Path) -> int:
    """The index's size: the home's index/ folder, or the cluster index's primaries."""
    if os.environ.get("ARCHIVE_ENGINE") != "opensearch":
        return folder_bytes(home / "index")
    from index.engines.opensearch import OpenSearchEngine

    engine = OpenSearchEngine.from_environment(home)
    engine.count()  # refreshes: every segment counted
    size = engine.size_bytes()
    engine.close()
    return size


def fresh_cluster_index(size: int) -> None:
    """Point the run at an empty index of its own: ARCHIVE_OPENSEARCH_INDEX, by default
    archive-bench-N, which is dropped first (only an archive-bench-* one is)."""
    from index.engines.opensearch import OpenSearchEngine

    os.environ["ARCHIVE_ENGINE"] = "opensearch"
    os.environ.setdefault("ARCHIVE_OPENSEARCH_INDEX", f"archive-bench-{size}")
    engine = OpenSearchEngine.from_environment(Path("."))
    name = engine.config.index
    if name.startswith("archive-bench-"):
        engine.client.indices.delete(index=name, ignore_unavailable=True)
    elif engine.client.indices.exists(index=name):
        raise SystemExit(f"ARCHIVE_OPENSEARCH_INDEX={name} exists: give an empty index")
    print(f"# cluster {engine.config.where}, index {name}, "
          f"{engine.config.shards} shard(s), {engine.config.replicas} replica(s)")
    engine.close()


def report_add(label: str, run: Run, inputs: int) -> float:
    """Print an `archive add` run's figures; returns its inputs per second."""
    summary = run.lines[-1] if run.lines else "(no output)"
    rate = inputs / run.seconds
    figure("ours", f"{label}_seconds", run.seconds, "s")
    figure("ours", f"{label}_per_s", rate, "docs/s")
    figure("ours", f"{label}_peak_rss", run.peak_rss_mb, "MB (wait4: largest process)")
    figure("ours", f"{label}_peak_rss_tree", run.peak_tree_rss_mb, "MB (sampled sum with workers)")
    figure("ours", f"{label}_exit", run.returncode, f"({summary})")
    for line in run.errors[:5]:
        print(f"# {label} stderr: {line}")
    return rate


def report_sizes(home: Path, raw: int) -> float:
    """Print the store split by table and the index, against the raw text; returns the
    (store without originals + index) / raw ratio."""
    tables = store_tables(home / "archive.db")
    for table, size in sorted(tables.items()):
        figure("ours", f"store_table_{table}", size / MB, "MB")
    originals = tables.get("originals", 0)
    rest = sum(tables.values()) - originals
    index = index_bytes(home)
    figure("ours", "raw_text", raw / MB, "MB")
    figure("ours", "store_originals", originals / MB, f"MB ({originals / raw:.2f}x raw, excluded)")
    figure("ours", "store_without_originals", rest / MB, f"MB ({rest / raw:.2f}x raw)")
    figure("ours", "index", index / MB, f"MB ({index / raw:.2f}x raw)")
    ratio = (rest + index) / raw
    figure("ours", "store_plus_index_over_raw", ratio, "x")
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--html", type=Path, help="folder of *.html.gz pages "
                        "(default: CORPUS/orange-html)")
    parser.add_argument("--size", type=int, default=10_000, help="text copies to add")
    parser.add_argument("--keep", type=Path, help="keep the home and both baselines here")
    parser.add_argument("--engine", choices=["whoosh", "opensearch"], default="whoosh")
    parser.add_argument("--html-limit", type=int, help="add only the first N HTML pages")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    keep = args.keep
    if keep:
        if keep.exists() and any(keep.iterdir()):
            raise SystemExit(f"--keep {keep} is not empty")
        keep.mkdir(parents=True, exist_ok=True)
    out = keep or work
    home = out / "home"
    try:
        run_all(args, work, out, home)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_all(args: argparse.Namespace, work: Path, out: Path, home: Path) -> None:
    for line in machine_lines():
        print(line)
    print(f"# engine {args.engine}; corpus {args.corpus}")
    articles = bench_articles(args.corpus, args.size)
    variants = sum(a.variant for a in articles)
    raw = sum(a.raw_bytes() for a in articles)
    figure("corpus", "articles", len(articles))
    figure("corpus", "real_articles", len(articles) - variants)
    figure("corpus", "variants", variants)
    if variants:
        print(f"# {variants} articles past the {len(articles) - variants} real ones are variants: "
              "the paragraphs of one article alternate with another's, and a unique token "
              "ends the title and body")
    figure("corpus", "raw_text", raw / MB, "MB")
    pages = work / "html"
    parts = text_parts(articles, work / "texts")
    html_count = copy_html_pages(args.html or args.corpus / HTML_DIR, pages, args.html_limit)
    figure("corpus", "html_pages", html_count)

    if args.engine == "opensearch":
        fresh_cluster_index(args.size)
    archive = archive_command() + ["--home", str(home), "--engine", args.engine]
    text_runs = []
    for label, folder, count in parts:
        run = run_measured(archive + ["add", str(folder)])
        report_add(f"add_text_copies_{label}", run, count)
        text_runs.append(run)
    text_seconds = sum(run.seconds for run in text_runs)
    text_rate = len(articles) / text_seconds
    text_rss = max(run.peak_rss_mb for run in text_runs)
    text_tree_rss = max(run.peak_tree_rss_mb for run in text_runs)
    figure("ours", "add_text_copies_seconds", text_seconds, "s (the three adds)")
    figure("ours", "add_text_copies_per_s", text_rate, "docs/s")
    figure("ours", "add_text_copies_peak_rss", text_rss, "MB")
    figure("ours", "add_text_copies_peak_rss_tree", text_tree_rss, "MB")
    flat = (parts[2][2] / text_runs[2].seconds) / (parts[0][2] / text_runs[0].seconds)
    figure("ours", "last_tenth_over_first_tenth", flat, "x (1.00 = flat)")
    ratio = report_sizes(home, raw)
    html_run = run_measured(archive + ["add", str(pages)])
    html_rate = report_add("add_html_pages", html_run, html_count)
    reindex = run_measured(archive + ["reindex"])
    figure("ours", "reindex_seconds", reindex.seconds, f"s ({reindex.lines[-1] if reindex.lines else ''})")
    figure("ours", "reindex_peak_rss", reindex.peak_rss_mb, "MB")
    figure("ours", "reindex_peak_rss_tree", reindex.peak_tree_rss_mb, "MB")
    all_raw = store_raw_text(home / "archive.db")
    figure("ours", "raw_text_after_html", all_raw / MB, "MB")
    after = index_bytes(home)
    figure("ours", "index_after_reindex", after / MB, f"MB ({after / all_raw:.2f}x raw)")
    figure("ours", "index_bytes_per_article", after / (len(articles) + html_count), "B")

    whoosh_dir, fts5_path = out / "plain-whoosh", out / "fts5.db"
    whoosh_rate = len(articles) / build_plain_whoosh(articles, whoosh_dir)
    whoosh_ratio = folder_bytes(whoosh_dir) / raw
    figure("plain-whoosh", "docs_per_s", whoosh_rate, "docs/s")
    figure("plain-whoosh", "size_over_raw", whoosh_ratio, "x")
    fts5_rate = len(articles) / build_fts5(articles, fts5_path)
    fts5_ratio = folder_bytes(fts5_path) / raw
    figure("fts5", "docs_per_s", fts5_rate, "docs/s")
    figure("fts5", "size_over_raw", fts5_ratio, "x")
    (out / "manifest.json").write_text(json.dumps({"size": len(articles), "corpus": str(args.corpus)}))

    print_table(len(articles), text_rate, html_rate, ratio, whoosh_rate, whoosh_ratio,
                fts5_rate, fts5_ratio,
                (max(text_rss, html_run.peak_rss_mb), max(text_tree_rss, html_run.peak_tree_rss_mb)),
                reindex.seconds)
    if args.keep:
        print(f"# kept: {home} (archive home), {whoosh_dir}, {fts5_path}")


def text_parts(articles: list[BenchArticle], folder: Path) -> list[tuple[str, Path, int]]:
    """The text copies in three folders, added one after the other: the first tenth (into
    an empty archive), the middle eight tenths, the last tenth; comparing the first and
    last tenths' docs/s shows whether ingest stays flat as the archive grows."""
    tenth = max(len(articles) // 10, 1)
    cuts = [("first_tenth", 0, tenth), ("middle", tenth, len(articles) - tenth),
            ("last_tenth", len(articles) - tenth, len(articles))]
    parts = []
    for label, start, end in cuts:
        write_text_copies(articles[start:end], folder / label, start)
        parts.append((label, folder / label, end - start))
    return parts


def print_table(size: int, text_rate: float, html_rate: float, ratio: float, whoosh_rate: float,
                whoosh_ratio: float, fts5_rate: float, fts5_ratio: float, rss: tuple[float, float],
                reindex: float) -> None:
    """The side-by-side table (Markdown), ours against both yardsticks."""
    print()
    print(f"| {size:,} articles | ours (`archive add`) | plain Whoosh | FTS5 "
          "| ours ÷ Whoosh | ours ÷ FTS5 |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| ingest text copies, docs/s | {text_rate:.0f} | {whoosh_rate:.0f} | {fts5_rate:.0f} "
          f"| {text_rate / whoosh_rate:.2f} | {text_rate / fts5_rate:.3f} |")
    print(f"| store+index ÷ raw text (originals excluded) | {ratio:.2f} | {whoosh_ratio:.2f} "
          f"| {fts5_ratio:.2f} | {ratio / whoosh_ratio:.2f} | {ratio / fts5_ratio:.2f} |")
    print(f"| real HTML pages/s | {html_rate:.1f} | | | | |")
    print(f"| peak RSS of `archive add`, largest process / sum with workers | {rss[0]:.0f} MB / "
          f"{rss[1]:.0f} MB | | | | |")
    print(f"| `archive reindex` | {reindex:.1f} s | | | | |")


if __name__ == "__main__":
    main()
