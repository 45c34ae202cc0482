"""`archive diff` on the longest article of the corpus: archive/diff.py's compare() in
process beside difflib.ndiff over the same paragraphs (the standard library's own
paragraph-and-character diff), then the real `archive diff --json` as a new process.

    .venv/bin/python bench/diff.py [--corpus ../shared/corpus] [--runs 20]

Three second versions of the article: "same" (only the original's bytes differ), "edited"
(a word changed in every 10th paragraph, every 25th removed, one added every 30: what a
newsroom's correction looks like) and "rewritten" (every paragraph's words reversed:
the worst case, nothing left to match). Prints `case figure value [unit]` lines: the
median and p95 of compare() and ndiff, their peak of Python allocations (tracemalloc),
and the wall time and peak RSS of `archive diff ID 1 2 --json` on a home holding both.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from newscorpus import DEFAULT_CORPUS, read_corpus
from timing import archive_command, machine_lines, percentile, run_measured

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.article import Article  # noqa: E402
from archive.diff import compare  # noqa: E402


def versions(paragraphs: list[str]) -> dict[str, list[str]]:
    """The second version of each case, from the first's paragraphs."""
    edited = []
    for number, paragraph in enumerate(paragraphs):
        if number % 25 == 24:
            continue
        if number % 10 == 0:
            words = paragraph.split()
            words[len(words) // 2] = "(corrigé)"
            paragraph = " ".join(words)
        edited.append(paragraph)
        if number % 30 == 29:
            edited.append("Ajout de la rédaction : ce paragraphe n'était pas dans la première version.")
    return {"same": list(paragraphs), "edited": edited,
            "rewritten": [" ".join(reversed(p.split())) for p in paragraphs]}


def timed(work, runs: int) -> tuple[list[float], float]:
    """Seconds of each run, and the peak of Python allocations over one more run (MB)."""
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - started)
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return seconds, peak


def page(title: str, paragraphs: list[str]) -> str:
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def end_to_end(title: str, first: list[str], second: list[str], folder: Path) -> tuple:
    """`archive add` of both versions (a page of other bytes naming the same URL is a new
    version of it), then `archive diff ID 1 2 --json` measured."""
    home, copy = folder / "home", folder / "article.html"
    archive = [*archive_command(), "--home", str(home)]
    for number, paragraphs in enumerate((first, second), 1):
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        copy.write_text('<html><head><link rel="canonical" href="https://actu.orange.fr/bench">'
                        f"<title>{title}</title></head><body><article><h1>{title}</h1>{body}"
                        f"</article><!-- copy {number} --></body></html>", encoding="utf-8")
        subprocess.run([*archive, "add", str(copy)], check=True, capture_output=True)
    listed = json.loads(subprocess.run([*archive, "list", "--json"], check=True,
                                       capture_output=True, text=True).stdout)
    run = run_measured([*archive, "diff", listed[0]["id"], "1", "2", "--json"])
    changes = len(json.loads("\n".join(run.lines))["changes"]) if run.returncode == 0 else None
    return run, changes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=20)
    options = parser.parse_args()
    for line in machine_lines():
        print(line)
    longest = max(read_corpus(options.corpus), key=lambda a: len(a.body))
    print(f"article key {longest.key}")
    print(f"article paragraphs {len(longest.paragraphs)}")
    print(f"article characters {len(longest.title) + len(longest.body)}")
    old = Article(title=longest.title, body=longest.paragraphs, id="bench", version=1)
    for case, paragraphs in versions(longest.paragraphs).items():
        new = Article(title=longest.title, body=paragraphs, id="bench", version=2)
        ours, ours_peak = timed(lambda: compare(old, new), options.runs)  # noqa: B023
        ndiff, ndiff_peak = timed(lambda: list(difflib.ndiff(old.body, new.body)),  # noqa: B023
                                  options.runs)
        print(f"{case} changes {len(compare(old, new).changes)}")
        print(f"{case} compare_median {statistics.median(ours) * 1000:.1f} ms")
        print(f"{case} compare_p95 {percentile(ours, 95) * 1000:.1f} ms")
        print(f"{case} compare_peak_alloc {ours_peak:.2f} MB")
        print(f"{case} ndiff_median {statistics.median(ndiff) * 1000:.1f} ms")
        print(f"{case} ndiff_p95 {percentile(ndiff, 95) * 1000:.1f} ms")
        print(f"{case} ndiff_peak_alloc {ndiff_peak:.2f} MB")
        print(f"{case} ndiff_over_compare {statistics.median(ndiff) / statistics.median(ours):.2f}")
        with tempfile.TemporaryDirectory(prefix="bench-diff-") as folder:
            run, changes = end_to_end(longest.title, longest.paragraphs, paragraphs, Path(folder))
        print(f"{case} cli_changes {changes}")
        print(f"{case} cli_wall {run.seconds * 1000:.0f} ms")
        print(f"{case} cli_peak_rss {run.peak_rss_mb:.1f} MB")
        sys.stdout.flush()
    print(f"# load {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min) at the end")


if __name__ == "__main__":
    main()
