"""Web benchmark (issue 17): `archive serve` answering the 200 bench queries, one client.

    .venv/bin/python bench/serve.py --home DIR/home [--size N] [--queries 200]
        [--corpus ../shared/corpus] [--engine tantivy] [--starts 5]

Starts the real `archive --home H serve --port 0` as a new process and times, per query
(after 20 warm-up queries), over one kept-alive HTTP connection as a browser would:
the search page (results, snippets, site facets and the timeline), `/api/search` (the
JSON of `search --json`), `/api/facets`, and the reading view of the first hit with its
marks. The server-side split of both pages (search, facets, render; article, marks,
render) is read from the Server-Timing header each page sends. Then start to first
page: a new `archive serve` until `/` answered, --starts times (the first start of an
archive without an index of this engine builds it: that one is reported apart and not
counted).

The queries are drawn as bench/search.py draws them, from the same N articles
bench/ingest.py added (the size defaults to the manifest ingest.py --keep left).
Prints one figure per line, then the table.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlencode

from newscorpus import DEFAULT_CORPUS, bench_articles
from searchqueries import draw_queries
from timing import archive_command, machine_lines, percentile

WARM_UP = 20
KINDS = ("search_page", "api_search", "api_facets", "article_page")
TARGETS = {"search_page": {10_000: 80, 100_000: 150}, "article_page": {0: 30},
           "api_facets": {100_000: 15}}


def figure(name: str, value: float | int | str, unit: str = "") -> None:
    if isinstance(value, float):
        value = f"{value:.2f}" if value < 100 else f"{value:.0f}"
    print(f"serve {name} {value}{(' ' + unit) if unit else ''}", flush=True)


class Served:
    """A running `archive serve --port 0`, its address read from its one line."""

    def __init__(self, home: Path, engine: str):
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            archive_command() + ["--home", str(home), "--engine", engine, "serve", "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if not found:
            self.process.kill()
            raise SystemExit(f"archive serve did not start: {line!r} {self.process.stderr.read()}")
        self.port = int(found.group(1))
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        self.connection.request("GET", path)
        response = self.connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()

    def stop(self) -> None:
        self.connection.close()
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()


def start_to_first_page(home: Path, engine: str) -> float:
    """Seconds from launching `archive serve` to the first page's last byte."""
    served = Served(home, engine)
    status, _, _ = served.get("/")
    seconds = time.perf_counter() - served.started
    served.stop()
    if status != 200:
        raise SystemExit(f"the first page answered {status}")
    return seconds


def split(header: str) -> dict[str, float]:
    """Server-Timing 'search;dur=12.3, facets;dur=1.2' → {'search': 12.3, 'facets': 1.2}."""
    parts = {}
    for entry in header.split(","):
        name, _, duration = entry.strip().partition(";dur=")
        if duration:
            parts[name] = float(duration)
    return parts


def timed(served: Served, path: str) -> tuple[float, dict[str, str], bytes]:
    started = time.perf_counter()
    status, headers, body = served.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        raise RuntimeError(f"{path} answered {status}: {body[:200]!r}")
    return elapsed, headers, body


def run_queries(served: Served, texts: list[str]) -> tuple[dict[str, list[float]],
                                                            dict[str, list[float]], int]:
    """Wall ms per request kind, the pages' server-side split ("page part"), and errors."""
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    parts: dict[str, list[float]] = {}
    errors = 0
    for number, text in enumerate(texts):
        counted = number >= WARM_UP
        try:
            page, headers, _ = timed(served, "/recherche?" + urlencode({"q": text}))
            api, _, body = timed(served, "/api/search?" + urlencode({"q": text}))
            facets, _, _ = timed(served, "/api/facets?" + urlencode({"q": text}))
            hits = json.loads(body)["hits"]
            article, reading = None, {}
            if hits:
                article, reading, _ = timed(served, f"/article/{hits[0]['id']}?q={quote(text)}")
        except RuntimeError as error:
            errors += counted
            print(f"# error: {error}")
            continue
        if not counted:
            continue
        times["search_page"].append(page)
        times["api_search"].append(api)
        times["api_facets"].append(facets)
        if article is not None:
            times["article_page"].append(article)
        for page_kind, sent in (("search page", headers), ("article page", reading)):
            for name, ms in split(sent.get("server-timing", "")).items():
                parts.setdefault(f"{page_kind} {name}", []).append(ms)
    return times, parts, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, required=True, help="an archive home made by ingest.py")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--size", type=int, help="articles the queries are drawn from "
                        "(default: the kept manifest's, else 10000)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--engine", default=os.environ.get("ARCHIVE_ENGINE", "tantivy"))
    parser.add_argument("--starts", type=int, default=5, help="timed starts of the server")
    args = parser.parse_args()
    manifest = args.home.parent / "manifest.json"
    size = args.size or (json.loads(manifest.read_text())["size"] if manifest.exists() else 10_000)
    for line in machine_lines():
        print(line)
    queries = draw_queries(bench_articles(args.corpus, size), args.queries)
    texts = [q.text for q in queries[:WARM_UP]] + [q.text for q in queries]
    print(f"# engine {args.engine}; {len(queries)} queries drawn from {size} articles "
          f"(+{WARM_UP} warm-up), one client, one kept-alive connection")

    first = start_to_first_page(args.home, args.engine)  # may build this engine's index
    figure("first_start_seconds", first, "s (not counted: may build the index)")
    starts = [start_to_first_page(args.home, args.engine) for _ in range(args.starts)]

    served = Served(args.home, args.engine)
    try:
        times, parts, errors = run_queries(served, texts)
    finally:
        served.stop()
    stats = {kind: {p: percentile(values, p) for p in (50, 95, 99)} for kind, values in times.items()
             if values}
    for kind, values in stats.items():
        for p, value in values.items():
            figure(f"{kind}_p{p}", value, "ms")
        figure(f"{kind}_requests", len(times[kind]))
    for name, values in parts.items():
        figure(f"server_{name.replace(' ', '_')}_p50", percentile(values, 50), "ms")
        figure(f"server_{name.replace(' ', '_')}_p95", percentile(values, 95), "ms")
    figure("start_to_first_page_p50", percentile(starts, 50), "s")
    figure("start_to_first_page_max", max(starts), "s")
    figure("errors", errors)
    print(f"# load at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min)")
    print_table(size, stats, parts, starts)


def print_table(size: int, stats: dict, parts: dict[str, list[float]], starts: list[float]) -> None:
    names = {"search_page": "search page (results, snippets, facets, timeline)",
             "api_search": "`/api/search` (= `search --json`)", "api_facets": "`/api/facets`",
             "article_page": "article page (reading view with marks)"}
    print()
    print(f"| {size:,} articles, one client | p50 (ms) | p95 (ms) | p99 (ms) | target p95 |")
    print("|---|---:|---:|---:|---|")
    for kind, values in stats.items():
        goal = TARGETS.get(kind, {})
        target = goal.get(size, goal.get(0))
        shown = f"≤ {target} ms: {'met' if values[95] <= target else 'NOT met'}" if target else ""
        print(f"| {names[kind]} | {values[50]:.1f} | {values[95]:.1f} | {values[99]:.1f} | {shown} |")
    for name, values in parts.items():
        print(f"| {name}, server-side | {percentile(values, 50):.1f} | "
              f"{percentile(values, 95):.1f} | {percentile(values, 99):.1f} | |")
    verdict = "met" if max(starts) <= 1.5 else "NOT met"
    print(f"| start to first page (s), {len(starts)} starts | {percentile(starts, 50):.2f} | "
          f"max {max(starts):.2f} | | ≤ 1.5 s: {verdict} |")


if __name__ == "__main__":
    sys.exit(main())
