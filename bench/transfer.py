"""Import of a .tar.gz export: the list first (read in one pass), the list last as earlier
versions wrote it (read in one pass, originals set aside), and the old reading of the list
last (each original looked up in the gzip stream: seeks back), side by side in one run.

    .venv/bin/python bench/transfer.py ../shared/corpus/orange-html 500 [runs]

Prints one figure per line: the median seconds of each way over the runs, the ratio, and
the load average.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import statistics
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from click.testing import CliRunner

from archive.store import Store
from cli.main import cli


def archive_of(pages: list[Path], home: Path) -> None:
    result = CliRunner().invoke(cli, ["--home", str(home), "add", *map(str, pages), "-q"])
    assert result.exit_code in (0, 1), result.output


def list_last(home: Path, path: Path) -> None:
    """An export as written before the list came first."""
    lines, originals = [json.dumps({"format": "archive-export/1"})], {}
    with Store.open(home) as store:
        for article in store.iter_articles():
            for v in store.version_articles(article.id):
                lines.append(json.dumps({name: getattr(v, name) for name in (
                    "id", "version", "sha256", "title", "body", "author", "published", "site",
                    "url", "lang", "origin", "added_at", "updated_at")}, ensure_ascii=False))
                originals[v.sha256] = store.original_bytes(v.sha256)
    with tarfile.open(path, "w:gz") as tar:
        for name, data in [*((f"originals/{s}", d) for s, d in originals.items()),
                           ("articles.jsonl", ("\n".join(lines) + "\n").encode())]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def seeking_read(path: Path) -> int:
    """The earlier import's reading: the list, then each original by random access."""
    count = 0
    with tarfile.open(path, "r:*") as tar:
        members = {m.name: m for m in tar.getmembers() if m.isfile()}
        listing = tar.extractfile(members["articles.jsonl"])
        for line in listing:
            record = json.loads(line)
            if "format" in record:
                continue
            tar.extractfile(members[f"originals/{record['sha256']}"]).read()
            count += 1
    return count


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    folder, count = Path(sys.argv[1]), int(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    pages = sorted(p for p in folder.iterdir() if p.name.endswith((".html", ".html.gz")))[:count]
    work = Path(tempfile.mkdtemp(prefix="bench-transfer-"))
    try:
        home = work / "home"
        archive_of(pages, home)
        first, last = work / "first.tar.gz", work / "last.tar.gz"
        assert CliRunner().invoke(cli, ["--home", str(home), "export", str(first)]).exit_code == 0
        list_last(home, last)

        def imported(path: Path) -> float:
            target = work / "target"
            shutil.rmtree(target, ignore_errors=True)
            return timed(lambda: CliRunner().invoke(
                cli, ["--home", str(target), "--engine", "tantivy", "import", str(path), "-q"]))

        figures = {"list first, one pass": [], "list last, one pass": [],
                   "list last, seeking reads (earlier import, reading only)": [],
                   "second import of the same file": []}
        for _ in range(runs):
            figures["list first, one pass"].append(imported(first))
            figures["second import of the same file"].append(timed(lambda: CliRunner().invoke(
                cli, ["--home", str(work / "target"), "import", str(first), "-q"])))
            figures["list last, one pass"].append(imported(last))
            figures["list last, seeking reads (earlier import, reading only)"].append(
                timed(lambda: seeking_read(last)))
        with Store.open(home) as store:
            print(f"articles {store.count()}")
        print(f"export size {first.stat().st_size / 1e6:.1f} MB")
        for name, values in figures.items():
            print(f"{name}: median {statistics.median(values):.2f} s over {runs} runs")
        seeking = statistics.median(figures["list last, seeking reads (earlier import, reading only)"])
        print(f"ratio seeking reads / one pass (list last): "
              f"{seeking / statistics.median(figures['list last, one pass']):.1f}")
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
