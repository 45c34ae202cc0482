"""Hostile inputs: time and peak memory against input size, each run in its own process.

    .venv/bin/python bench/hostile.py                      # every case at its default sizes
    .venv/bin/python bench/hostile.py bookmarks warc-bomb --timeout 300
    .venv/bin/python bench/hostile.py html-comments --sizes 140,168,196

    .venv/bin/python bench/hostile.py --against ../main --repeat 3   # before | after, one run

Each case prints one line per size: the median seconds and the peak RSS of the process
(MB), and how the time grew from the previous size beside how the size grew (equal when
the cost is linear, the square when quadratic). A run that passes --timeout is killed
and printed as "> T s". Function cases time the call alone inside the child (a call
under 50 ms is repeated; the input is built there and counts in its memory); `add`
cases time the whole `archive add` process. With --against, the code of another
checkout (its root goes first on PYTHONPATH) runs alternately with this one's, so both
see the same load on a shared machine.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import CHILD_ENV, machine_lines  # noqa: E402

MB = 1024 * 1024
WORDS = ("le conseil communal a voté le budget de la ville mardi soir après un long débat sur "
         "les écoles les routes et la piscine municipale dont la rénovation coûtera cher").split()


def html_comments(size: int) -> bytes:
    """Empty comments before something that is not a tag: exponential for a lazy `.*?`."""
    return b"<!---->" * (size // 7) + b"<x"


def unclosed_scripts(size: int) -> bytes:
    return b"<html><body><p>Un texte.</p>" + b"<script>" * (size // 8)


def bookmarks_export(links: int) -> str:
    """A Netscape bookmark file as browsers write it, all links in one folder: <DT> and <p>
    are never closed, so a tree builder nests each link inside the one before."""
    lines = ["<!DOCTYPE NETSCAPE-Bookmark-file-1>",
             '<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">',
             "<TITLE>Bookmarks</TITLE>", "<H1>Bookmarks</H1>", "<DL><p>",
             '    <DT><H3 ADD_DATE="1578225600">Autres favoris</H3>', "    <DL><p>"]
    lines += [f'        <DT><A HREF="https://www.example.be/{number}/article" '
              f'ADD_DATE="{1578225600 + number}">Article {number} sur le budget communal</A>'
              for number in range(links)]
    return "\n".join(lines + ["    </DL><p>", "</DL><p>"]) + "\n"


def prose(size: int, seed: int = 1) -> list[str]:
    """Paragraphs of ~400 bytes of French words, `size` bytes in all."""
    pick = random.Random(seed).choice
    paragraphs, total = [], 0
    while total < size:
        paragraph = " ".join(pick(WORDS) for _ in range(60)).capitalize() + "."
        paragraphs.append(paragraph)
        total += len(paragraph.encode()) + 8
    return paragraphs


def big_page(size: int) -> bytes:
    body = "".join(f"<p>{p}</p>\n" for p in prose(size))
    return (f"<html><head><meta charset='utf-8'><title>Une très longue page</title></head>"
            f"<body><article><h1>Une très longue page</h1>{body}</article></body></html>").encode()


def text_copy(lines: int) -> bytes:
    return ("Une très longue copie\n\n" + "\n".join(prose(lines * 400)[:lines]) + "\n").encode()


def nested_mhtml(levels: int) -> bytes:
    parts = [b"MIME-Version: 1.0\r\n"]
    for level in range(levels):
        parts.append(b'Content-Type: multipart/related; boundary="b%d"\r\n\r\n--b%d\r\n' % (level, level))
    parts.append(b"Content-Type: text/html\r\n\r\n<html><body><p>Fond.</p></body></html>\r\n")
    return b"".join(parts)


def write_warc_bomb(path: Path, payload: int) -> None:
    """A .warc.gz of one response record whose HTML payload inflates to `payload` bytes."""
    body_head = b"<html><body><p>"
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            b"Content-Length: %d\r\n\r\n" % payload)
    block = len(http) + payload
    head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://bomb.example/\r\n"
            b"WARC-Date: 2020-01-05T12:00:00Z\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-0>\r\n"
            b"Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n" % block)
    chunk = b"a " * (MB // 2)
    with gzip.open(path, "wb", compresslevel=9) as out:
        out.write(head + http + body_head)
        left = payload - len(body_head)
        while left > 0:
            out.write(chunk[:left])
            left -= len(chunk)
        out.write(b"\r\n\r\n")


@dataclass
class Case:
    """What one case measures, its default sizes and unit, and how a child runs it."""

    about: str
    sizes: list[int]
    unit: str
    child: Callable[[int, Path], None] | None = None  # runs the call in the child, timed
    add_input: Callable[[int, Path], tuple[Path, list[str]]] | None = None  # a file for `archive add`


def _sniff(size: int, _: Path) -> None:
    from archive.pages import sniff

    data = html_comments(size)
    _timed(lambda: sniff(data, ""))


def _extract_scripts(size: int, _: Path) -> None:
    from archive.extract import extract_article

    data = unclosed_scripts(size)
    _timed(lambda: extract_article(data))


def _bookmarks(links: int, _: Path) -> None:
    from archive.bookmarks import parse_bookmarks

    text = bookmarks_export(links)
    _timed(lambda: parse_bookmarks(text))


def _read_page(build: Callable[[int], bytes], name: str) -> Callable[[int, Path], None]:
    def run(size: int, _: Path) -> None:
        from archive.pages import read_page

        data = build(size)

        _timed(lambda: read_page(data, name, name))
    return run


def _warc_bomb(megabytes: int, folder: Path) -> tuple[Path, list[str]]:
    path = folder / f"bomb-{megabytes}.warc.gz"
    if not path.exists():
        write_warc_bomb(path, megabytes * MB)
    return path, ["--max-size", "50"]


def _page_file(megabytes: int, folder: Path) -> tuple[Path, list[str]]:
    path = folder / f"page-{megabytes}.html"
    if not path.exists():
        path.write_bytes(big_page(megabytes * MB - 4096))
    return path, []


CASES = {
    "html-comments": Case("archive.pages.sniff on empty comments then no tag", [112, 140, 168, 196, 8192],
                          "bytes", child=_sniff),
    "extract-scripts": Case("archive.extract.extract_article on unclosed <script>",
                            [30_000, 60_000, 120_000, 240_000], "bytes", child=_extract_scripts),
    "bookmarks": Case("archive.bookmarks.parse_bookmarks on a Netscape export",
                      [5_000, 10_000, 20_000, 40_000, 340_000], "links", child=_bookmarks),
    "mhtml-nested": Case("archive.pages.read_page on nested multipart MHTML", [1250, 2500, 5000, 10000],
                         "levels", child=_read_page(nested_mhtml, "nested.mhtml")),
    "big-page": Case("archive.pages.read_page on an HTML page of N MB", [6, 12, 25, 49], "MB",
                     child=_read_page(lambda n: big_page(n * MB), "page.html")),
    "text-copy": Case("archive.pages.read_page on a text copy of N lines", [12_500, 25_000, 50_000, 100_000],
                      "lines", child=_read_page(text_copy, "copy.txt")),
    "warc-bomb": Case("archive add --max-size 50 of a .warc.gz whose one record inflates to N MB",
                      [64, 256, 1024], "MB", add_input=_warc_bomb),
    "big-page-add": Case("archive add of an HTML page of N MB (extraction and indexing)", [12, 25, 49],
                         "MB", add_input=_page_file),
}


def _timed(call: Callable[[], object]) -> None:
    """Print the seconds one call takes, and what it raised, if anything. A call under
    50 ms is repeated for 0.2 s and the mean is printed, so microseconds still compare."""
    outcome, calls = "ok", 0
    started = time.perf_counter()
    while True:
        try:
            call()
        except Exception as error:  # noqa: BLE001 - the benchmark reports it instead
            outcome = f"{error.__class__.__name__}: {str(error)[:80]}"
        calls += 1
        elapsed = time.perf_counter() - started
        if elapsed >= 0.2 or (calls == 1 and elapsed >= 0.05):
            break
    print(f"seconds {elapsed / calls:.9f}", flush=True)
    print(f"outcome {outcome}", flush=True)


@dataclass
class Measured:
    seconds: float | None  # None: killed at the timeout
    peak_mb: float  # wait4's peak RSS of the child process alone
    outcome: str  # what the call raised, or the last line on stderr


def measure(command: list[str], timeout: float, cwd: Path, code: Path | None) -> Measured:
    """One child process running `command` with this checkout's code, or with the code of
    the checkout at `code` (first on its PYTHONPATH)."""
    env = {name: value for name, value in CHILD_ENV.items() if name != "PYTHONPATH"}  # from bytecode
    if code is not None:
        env["PYTHONPATH"] = str(code)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd, env=env, start_new_session=True)
        timer = threading.Timer(timeout, os.killpg, (child.pid, signal.SIGKILL))
        timer.start()
        _, status, usage = os.wait4(child.pid, 0)
        timer.cancel()
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        output, errors = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    peak = usage.ru_maxrss / 1024
    if child.returncode == -signal.SIGKILL:
        return Measured(None, peak, "killed")
    timed = [line for line in output.splitlines() if line.startswith("seconds ")]
    outcome = [line[8:] for line in output.splitlines() if line.startswith("outcome ")]
    return Measured(float(timed[-1].split()[1]) if timed else elapsed, peak,
                    (outcome or errors.strip().splitlines() or [""])[-1][:100])


def command_for(name: str, case: Case, size: int, work: Path) -> list[str]:
    if case.child is not None:
        return [sys.executable, str(Path(__file__).resolve()), "--child", name, str(size)]
    path, options = case.add_input(size, work)
    home = Path(tempfile.mkdtemp(dir=work))
    return [sys.executable, "-m", "cli.main", "--home", str(home), "add", str(path), *options]


def summary(runs: list[Measured], timeout: float) -> tuple[str, float | None]:
    """'median s  peak MB' over the runs, and the median (None if any run was killed)."""
    peak = max(run.peak_mb for run in runs)
    if any(run.seconds is None for run in runs):
        return f"> {timeout:g} s  {peak:.0f} MB", None
    seconds = statistics.median(run.seconds for run in runs if run.seconds is not None)
    return f"{_short(seconds)}  {peak:.0f} MB", seconds


def _short(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1e3:.1f} ms" if seconds >= 1e-3 else f"{seconds * 1e6:.1f} µs"


def run_case(name: str, case: Case, sizes: list[int], timeout: float, work: Path, repeat: int,
             against: Path | None) -> None:
    """One line per size: this checkout's median time and peak memory (and the other
    checkout's, run alternately under the same load), and the growth from the last size."""
    print(f"## {name}: {case.about}")
    codes = {"this": None, **({"other": against} if against else {})}
    previous: dict[str, tuple[int, float | None]] = {}
    for size in sizes:
        runs: dict[str, list[Measured]] = {label: [] for label in codes}
        for _ in range(repeat):
            for label, code in codes.items():  # alternately, so both see the same load
                # Each run is a fresh process, so that its peak RSS is its own.
                runs[label].append(measure(command_for(name, case, size, work), timeout, work, code))
        parts = []
        for label in codes:
            shown, seconds = summary(runs[label], timeout)
            growth = ""
            last_size, last_seconds = previous.get(label, (0, None))
            if last_seconds and seconds is not None:
                growth = f" (x{seconds / last_seconds:.3g} for size x{size / last_size:.3g})"
            outcome = runs[label][-1].outcome
            parts.append(f"{label}: {shown}{growth}" + (f" [{outcome}]" if outcome else ""))
            previous[label] = (size, seconds)
        print(f"{name} {size} {case.unit}  " + "  |  ".join(parts), flush=True)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        name, size = sys.argv[2], int(sys.argv[3])
        CASES[name].child(size, Path.cwd())
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", metavar="CASE",
                        help=f"cases to run (default: all): {', '.join(CASES)}")
    parser.add_argument("--sizes", help="comma-separated sizes instead of the case's defaults")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a run is killed")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size (the median is shown)")
    parser.add_argument("--against", type=Path, metavar="CHECKOUT",
                        help="the root of another checkout whose code runs beside this one's")
    args = parser.parse_args()
    unknown = [name for name in args.cases if name not in CASES]
    if unknown:
        parser.error(f"unknown case {unknown[0]!r}; choose from {', '.join(CASES)}")
    for line in machine_lines():
        print(line)
    if args.against:
        print(f"# other: the code of {args.against.resolve()}")
    with tempfile.TemporaryDirectory(prefix="hostile-") as folder:
        for name in args.cases or list(CASES):
            case = CASES[name]
            sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else case.sizes
            run_case(name, case, sizes, args.timeout, Path(folder), args.repeat, args.against)
    print(f"# load at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
