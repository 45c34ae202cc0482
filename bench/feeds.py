"""Feed polling: `archive add --feed` on a feed of N items served on 127.0.0.1 (pages made
from the corpus' articles), then the same command again (nothing new: nothing fetched),
then again once the feed lists 10 more items; beside it, the parse of the feed by feedparser and by the
standard library's ElementTree (the alternative to the dependency).

    .venv/bin/python bench/feeds.py ../shared/corpus/fr-news.jsonl.gz 1000 [runs]

Prints one figure per line: seconds of each read (median over the runs), what each
added, the pages fetched, the parse times, and the load average.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from timing import CHILD_ENV  # child processes from compiled bytecode, as installed

ARCHIVE = Path(sys.executable).parent / "archive"


def corpus(path: Path, count: int) -> list[dict]:
    found = []
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record.get("title") and record.get("body"):
                found.append(record)
            if len(found) == count:
                break
    return found


def page(record: dict) -> bytes:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in record["body"].split("\n\n") if p.strip())
    return (f'<html lang="fr"><head><meta charset="utf-8"><title>{escape(record["title"])}</title>'
            f"</head><body><nav>Accueil</nav><article><h1>{escape(record['title'])}</h1>{paragraphs}"
            "</article></body></html>").encode()


def feed(records: list[dict], base: str) -> bytes:
    items = []
    for number, record in enumerate(records):
        try:
            date = format_datetime(datetime.fromisoformat(record["published"]))
        except (KeyError, TypeError, ValueError):
            date = None
        items.append(f"<item><title>{escape(record['title'])}</title><link>{base}/a/{number}</link>"
                     f"<guid>{escape(record['id'])}</guid>" + (f"<pubDate>{date}</pubDate>" if date else "")
                     + f"<description>{escape(record['body'][:300])}</description></item>")
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Corpus</title>'
            f"<link>{base}/</link>{''.join(items)}</channel></rss>").encode()


class Server:
    def __init__(self, records: list[dict]):
        self.records, self.hits, self.count = records, 0, len(records)
        bench = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                if self.path == "/feed.xml":
                    body, kind = bench.feed, "application/rss+xml"
                else:
                    bench.hits += 1
                    body, kind = page(bench.records[int(self.path.rsplit("/", 1)[1])]), "text/html"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.show(len(records) - 10)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def show(self, count: int) -> None:
        self.feed = feed(self.records[:count], self.url)


def read(home: Path, url: str) -> tuple[float, dict]:
    started = time.perf_counter()
    done = subprocess.run([str(ARCHIVE), "--home", str(home), "add", "--feed", url, "--json"],
                          capture_output=True, text=True, timeout=3600, env=CHILD_ENV)
    seconds = time.perf_counter() - started
    assert done.returncode == 0, done.stderr[-2000:]
    return seconds, json.loads(done.stdout)


def parse_times(data: bytes, runs: int = 5) -> tuple[float, float]:
    import feedparser

    def median(work) -> float:
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            work()
            times.append(time.perf_counter() - started)
        return statistics.median(times)

    return (median(lambda: feedparser.parse(io.BytesIO(data), sanitize_html=False,
                                            resolve_relative_uris=False)),
            median(lambda: ET.fromstring(data).findall("./channel/item")))


def main() -> None:
    path, count = Path(sys.argv[1]), int(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    records = corpus(path, count + 10)
    server = Server(records)
    subprocess.run([str(ARCHIVE), "--help"], capture_output=True, env=CHILD_ENV)  # bytecode, untimed
    figures: dict[str, list[float]] = {"first": [], "second": [], "third": []}
    for _ in range(runs):
        server.show(count)
        with tempfile.TemporaryDirectory() as folder:
            home = Path(folder) / "home"
            server.hits = 0
            seconds, first = read(home, f"{server.url}/feed.xml")
            figures["first"].append(seconds)
            fetched_first = server.hits
            seconds, second = read(home, f"{server.url}/feed.xml")
            figures["second"].append(seconds)
            fetched_second = server.hits - fetched_first
            server.show(count + 10)
            seconds, third = read(home, f"{server.url}/feed.xml")
            figures["third"].append(seconds)
    print(f"items {count}, then {count + 10}; runs {runs}")
    print(f"first read: {statistics.median(figures['first']):.2f} s, added {first['added']}, "
          f"failed {first['failed']}, pages fetched {fetched_first}")
    print(f"second read (nothing new): {statistics.median(figures['second']):.2f} s, added "
          f"{second['added']}, pages fetched {fetched_second}")
    print(f"third read (10 new items): {statistics.median(figures['third']):.2f} s, added {third['added']}")
    fp, et = parse_times(server.feed)
    print(f"parse of the {len(server.feed) / 1e6:.1f} MB feed: feedparser {fp * 1000:.0f} ms, "
          f"ElementTree {et * 1000:.1f} ms ({fp / et:.0f}x)")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
