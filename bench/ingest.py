"""Ingest benchmark: `archive add` end to end on every engine, beside plain Whoosh and FTS5.

    .venv/bin/python bench/ingest.py --size 10000 [--corpus ../shared/corpus]
        [--html ../shared/corpus/orange-html] [--keep /tmp/bench-10k]
        [--engines tantivy,whoosh[,opensearch]]

opensearch runs the same `archive add` with the index on the cluster at
$ARCHIVE_OPENSEARCH_URL (engines/opensearch/cluster start 2 prints it), in the index
$ARCHIVE_OPENSEARCH_INDEX (default archive-bench-N, dropped first), and reports the
primaries' size on disk as the index size. The engines take turns part by part.

Writes N plain-text copies from fr-news.jsonl.gz (distinct variants past 37,790) and the
real HTML pages into a temporary folder, runs the real `archive --home H add` on each
folder as a new process for each engine (its own home), then `archive reindex`; then
indexes the same N texts in this process with plain Whoosh and FTS5. Prints one figure
per line ("engine figure value"), then a side-by-side table. With --keep DIR the homes
(DIR/home-ENGINE), the plain Whoosh index (DIR/plain-whoosh) and the FTS5 file
(DIR/fts5.db) stay for bench/search.py.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
from dataclasses import dataclass, field
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

from archive.migrations import expand_body  # noqa: E402

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
        total += len(title.encode()) + len("\n\n".join(expand_body(body)).encode())
    db.close()
    return total


INDEX_FOLDERS = {"tantivy": "tantivy", "whoosh": "index"}


def index_bytes(home: Path, engine: str) -> int:
    """The index's size: the engine's folder in the home, or the cluster index's primaries."""
    if engine != "opensearch":
        return folder_bytes(home / INDEX_FOLDERS[engine])
    from index.engines.opensearch import OpenSearchEngine

    cluster = OpenSearchEngine.from_environment(home)
    cluster.count()  # refreshes: every segment counted
    size = cluster.size_bytes()
    cluster.close()
    return size


def fresh_cluster_index(size: int) -> None:
    """Point the run at an empty index of its own: ARCHIVE_OPENSEARCH_INDEX, by default
    archive-bench-N, which is dropped first (only an archive-bench-* one is)."""
    from index.engines.opensearch import OpenSearchEngine

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


def report_add(engine: str, label: str, run: Run, inputs: int) -> float:
    """Print an `archive add` run's figures; returns its inputs per second."""
    summary = run.lines[-1] if run.lines else "(no output)"
    rate = inputs / run.seconds
    figure(engine, f"{label}_seconds", run.seconds, "s")
    figure(engine, f"{label}_per_s", rate, "docs/s")
    figure(engine, f"{label}_peak_rss", run.peak_rss_mb, "MB (wait4: largest process)")
    figure(engine, f"{label}_peak_rss_tree", run.peak_tree_rss_mb, "MB (sampled sum with workers)")
    figure(engine, f"{label}_exit", run.returncode, f"({summary})")
    for line in run.errors[:5]:
        print(f"# {engine} {label} stderr: {line}")
    return rate


def report_sizes(engine: str, home: Path, raw: int) -> dict[str, float]:
    """Print the store split by table and the index, against the raw text; returns the
    store (without originals), index and store+index ratios to raw text."""
    tables = store_tables(home / "archive.db")
    for table, size in sorted(tables.items()):
        figure(engine, f"store_table_{table}", size / MB, "MB")
    originals = tables.get("originals", 0)
    rest = sum(tables.values()) - originals
    index = index_bytes(home, engine)
    figure(engine, "raw_text", raw / MB, "MB")
    figure(engine, "store_originals", originals / MB, f"MB ({originals / raw:.2f}x raw, excluded)")
    figure(engine, "store_without_originals", rest / MB, f"MB ({rest / raw:.2f}x raw)")
    figure(engine, "index", index / MB, f"MB ({index / raw:.2f}x raw)")
    figure(engine, "store_plus_index_over_raw", (rest + index) / raw, "x")
    return {"store": rest / raw, "index": index / raw, "both": (rest + index) / raw}


@dataclass
class EngineRun:
    """What one engine's `archive add`s and reindex measured."""

    engine: str
    home: Path
    parts: list[Run] = field(default_factory=list)
    sizes: dict[str, float] = field(default_factory=dict)
    html_rate: float = 0.0
    html_rss: float = 0.0
    reindex: Run | None = None

    def text_rate(self, count: int) -> float:
        return count / sum(run.seconds for run in self.parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--html", type=Path, help="folder of *.html.gz pages "
                        "(default: CORPUS/orange-html)")
    parser.add_argument("--size", type=int, default=10_000, help="text copies to add")
    parser.add_argument("--keep", type=Path, help="keep the homes and both baselines here")
    parser.add_argument("--engines", default="tantivy,whoosh",
                        help="engines to run side by side, comma-separated (tantivy, whoosh, "
                        "opensearch: the cluster at $ARCHIVE_OPENSEARCH_URL)")
    parser.add_argument("--html-limit", type=int, help="add only the first N HTML pages")
    args = parser.parse_args()
    args.engines = [e.strip() for e in args.engines.split(",") if e.strip()]

    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    keep = args.keep
    if keep:
        if keep.exists() and any(keep.iterdir()):
            raise SystemExit(f"--keep {keep} is not empty")
        keep.mkdir(parents=True, exist_ok=True)
    out = keep or work
    try:
        run_all(args, work, out)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_all(args: argparse.Namespace, work: Path, out: Path) -> None:
    for line in machine_lines():
        print(line)
    print(f"# engines {', '.join(args.engines)}; corpus {args.corpus}")
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
    if "opensearch" in args.engines:
        fresh_cluster_index(args.size)

    runs = [EngineRun(engine, out / f"home-{engine}") for engine in args.engines]
    # The engines take turns part by part, so a change in the machine's load falls on all.
    for label, folder, count in parts:
        print(f"# load {' '.join(f'{x:.2f}' for x in os.getloadavg())} before {label}")
        for run in runs:
            measured = run_measured(command(run) + ["add", str(folder)])
            report_add(run.engine, f"add_text_copies_{label}", measured, count)
            run.parts.append(measured)
    for run in runs:
        rate = run.text_rate(len(articles))
        figure(run.engine, "add_text_copies_per_s", rate, "docs/s")
        figure(run.engine, "add_text_copies_peak_rss", max(r.peak_rss_mb for r in run.parts), "MB")
        figure(run.engine, "add_text_copies_peak_rss_tree",
               max(r.peak_tree_rss_mb for r in run.parts), "MB")
        flat = (parts[2][2] / run.parts[2].seconds) / (parts[0][2] / run.parts[0].seconds)
        figure(run.engine, "last_tenth_over_first_tenth", flat, "x (1.00 = flat)")
        run.sizes = report_sizes(run.engine, run.home, raw)
    for run in runs:
        measured = run_measured(command(run) + ["add", str(pages)])
        run.html_rate = report_add(run.engine, "add_html_pages", measured, html_count)
        run.html_rss = measured.peak_rss_mb
    for run in runs:
        run.reindex = run_measured(command(run) + ["reindex"])
        done = run.reindex.lines[-1] if run.reindex.lines else ""
        figure(run.engine, "reindex_seconds", run.reindex.seconds, f"s ({done})")
        figure(run.engine, "reindex_peak_rss", run.reindex.peak_rss_mb, "MB")
        all_raw = store_raw_text(run.home / "archive.db")
        after = index_bytes(run.home, run.engine)
        figure(run.engine, "index_after_reindex", after / MB, f"MB ({after / all_raw:.2f}x raw)")
        figure(run.engine, "index_bytes_per_article", after / (len(articles) + html_count), "B")

    print(f"# load {' '.join(f'{x:.2f}' for x in os.getloadavg())} before the baselines")
    whoosh_dir, fts5_path = out / "plain-whoosh", out / "fts5.db"
    whoosh_rate = len(articles) / build_plain_whoosh(articles, whoosh_dir)
    whoosh_ratio = folder_bytes(whoosh_dir) / raw
    figure("plain-whoosh", "docs_per_s", whoosh_rate, "docs/s")
    figure("plain-whoosh", "size_over_raw", whoosh_ratio, "x")
    fts5_rate = len(articles) / build_fts5(articles, fts5_path)
    fts5_ratio = folder_bytes(fts5_path) / raw
    figure("fts5", "docs_per_s", fts5_rate, "docs/s")
    figure("fts5", "size_over_raw", fts5_ratio, "x")
    print(f"# load {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end")
    (out / "manifest.json").write_text(json.dumps({"size": len(articles), "corpus": str(args.corpus),
                                                   "homes": {r.engine: str(r.home) for r in runs}}))
    print_table(len(articles), runs, parts, whoosh_rate, whoosh_ratio, fts5_rate, fts5_ratio)
    if args.keep:
        print(f"# kept: {', '.join(str(r.home) for r in runs)}, {whoosh_dir}, {fts5_path}")


def command(run: EngineRun) -> list[str]:
    return archive_command() + ["--home", str(run.home), "--engine", run.engine]


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


def print_table(size: int, runs: list[EngineRun], parts, whoosh_rate: float,
                whoosh_ratio: float, fts5_rate: float, fts5_ratio: float) -> None:
    """The side-by-side table (Markdown): every engine's `archive add`, then the two
    yardsticks on the same texts."""
    print()
    print(f"| {size:,} articles | " + " | ".join(f"{r.engine} (`archive add`)" for r in runs)
          + " | plain Whoosh | FTS5 |")
    print("|---|" + "---:|" * (len(runs) + 2))

    def row(label: str, values: list[str], whoosh: str = "", fts5: str = "") -> None:
        print(f"| {label} | " + " | ".join(values) + f" | {whoosh} | {fts5} |")

    rates = [r.text_rate(size) for r in runs]
    row("ingest text copies, docs/s", [f"{x:.0f}" for x in rates], f"{whoosh_rate:.0f}", f"{fts5_rate:.0f}")
    row("… ÷ plain Whoosh's docs/s", [f"{x / whoosh_rate:.2f}" for x in rates])
    row("docs/s by part: first tenth / middle / last tenth",
        [" / ".join(f"{count / run.seconds:.0f}" for (_, _, count), run in zip(parts, r.parts, strict=True))
         for r in runs])
    row("store + index ÷ raw text (originals apart)", [f"{r.sizes['both']:.2f}" for r in runs],
        f"{whoosh_ratio:.2f}", f"{fts5_ratio:.2f}")
    row("… store alone / index alone", [f"{r.sizes['store']:.2f} / {r.sizes['index']:.2f}" for r in runs])
    row("real HTML pages/s", [f"{r.html_rate:.1f}" for r in runs])
    row("peak RSS of `archive add`, largest process / with workers",
        [f"{max(p.peak_rss_mb for p in r.parts):.0f} / {max(p.peak_tree_rss_mb for p in r.parts):.0f} MB"
         for r in runs])
    row("`archive reindex`", [f"{r.reindex.seconds:.1f} s" if r.reindex else "" for r in runs])


if __name__ == "__main__":
    main()
