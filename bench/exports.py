"""Export of an archive in every format, each by the real command in its own process:
seconds, peak memory (the process's maximum resident set) and size written; then the
same for the subset a query finds, so that memory can be compared between sizes (flat:
it does not grow with the number of articles).

    .venv/bin/python bench/exports.py HOME [QUERY]

HOME is an archive (bench/ingest.py --keep DIR makes one from the corpus: DIR/home-tantivy).
The bench works on a copy of it, in which articles without a URL, a site or a date get
made-up ones (bench.example/ID, "Bench", the day it was added), so that every format
writes every article (bookmarks need a URL). Prints one line per format and size, and
the load average.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import CHILD_ENV  # child processes from compiled bytecode, as installed

ARCHIVE = Path(sys.executable).parent / "archive"
TARGETS = (("jsonl", "all.jsonl"), ("tar.gz", "all.tar.gz"), ("csv", "all.csv"),
           ("bookmarks", "all.html"), ("markdown", "notes/"), ("csl", "all.csl.json"))


def run(home: Path, out: str, options: list[str]) -> tuple[float, int, int]:
    """Seconds, peak resident memory (bytes) and articles written of one export."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as report, tempfile.TemporaryFile() as errors:
        child = subprocess.Popen([str(ARCHIVE), "--home", str(home), "export", out, "-q", "--json",
                                  *options], stdout=report, stderr=errors, env=CHILD_ENV)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        errors.seek(0)
        assert os.waitstatus_to_exitcode(status) == 0, errors.read().decode()[-2000:]
        report.seek(0)
        articles = json.load(report)["articles"]
    return seconds, usage.ru_maxrss * 1024, articles


def size_of(path: Path) -> int:
    if path.is_dir():
        return sum(entry.stat().st_size for entry in os.scandir(path))
    return path.stat().st_size


def copy_with_metadata(source: Path, folder: Path) -> Path:
    home = folder / "home"
    shutil.copytree(source, home, ignore=shutil.ignore_patterns("*.lock"))
    db = sqlite3.connect(home / "archive.db")
    with db:
        db.execute("UPDATE articles SET url = coalesce(url, 'https://bench.example/' || id), "
                   "site = coalesce(site, 'Bench'), published = coalesce(published, substr(added_at, 1, 10))")
    db.close()
    return home


def main() -> None:
    subprocess.run([str(ARCHIVE), "--help"], capture_output=True, env=CHILD_ENV)  # bytecode, untimed
    source, query = Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else None
    with tempfile.TemporaryDirectory(dir=source.parent) as folder:
        measure(copy_with_metadata(source, Path(folder)), query)


def measure(home: Path, query: str | None) -> None:
    sizes = [("all", [])] + ([(f"--query {query}", ["--query", query])] if query else [])
    for label, options in sizes:
        print(f"{label}:")
        for kind, name in TARGETS:
            with tempfile.TemporaryDirectory(dir=home.parent) as folder:
                seconds, peak, articles = run(home, f"{folder}/{name}", options)
                written = size_of(Path(folder) / name)
                shutil.rmtree(folder, ignore_errors=True)
            print(f"  {kind:<9} {articles:7d} articles {seconds:7.1f} s  peak {peak / 2**20:6.0f} MiB  "
                  f"{written / 2**20:8.1f} MiB written  {articles / seconds:8.0f} articles/s")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
