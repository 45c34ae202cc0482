"""Time against input size of the source cuts on hostile pages: the lazy regular
expressions of the previous extractor beside the linear scans, one run.

    .venv/bin/python bench/extraction_linear.py [--sizes 15000,30000,60000,120000,240000]
        [--budget 20]

For each hostile page (unclosed <script>, <img without ">", unclosed comments…) and each
size, prints "<case> <size> regex-s <seconds>" (the previous cuts: _PRESTRIP, _VOID and
the JSON-LD reader), "scan-s" (archive.extract.source: the same cuts), "extract-s" (the
whole extract_article) and "scan-chars/char" (characters the scans went over per
character of the page). CPU seconds of this process. The regular expressions are not
run past a size once one of them took more than --budget seconds (quadratic: the next
size would take four times as long).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.extract import extract_article  # noqa: E402
from archive.extract.source import Scan, json_ld_texts, strip_source  # noqa: E402

OLD_PRESTRIP = re.compile(r"<(script|style|svg|template|iframe|object|canvas)\b[^>]*>.*?</\1\s*>|<!--.*?-->",
                          re.IGNORECASE | re.DOTALL)
OLD_VOID = re.compile(r"<(?:img|source|link|meta|input|wbr|track|param|area)\b[^>]*>", re.IGNORECASE)
OLD_JSON_LD = re.compile(r"<script\b[^>]*?type\s*=\s*[\"']?application/ld\+json[^>]*>(.*?)</script\s*>",
                         re.IGNORECASE | re.DOTALL)
CASES = {
    "unclosed-script": "<script>",
    "script-without-gt": "<script ",
    "img-without-gt": "<img ",
    "unclosed-comment": "<!--",
    "unclosed-json-ld": '<script type="application/ld+json">',
}


def old_cuts(html: str) -> None:
    OLD_VOID.sub(" ", OLD_PRESTRIP.sub(" ", html))
    OLD_JSON_LD.findall(html)


def new_cuts(html: str) -> int:
    scan = Scan(html)
    json_ld_texts(scan)
    return strip_source(html)[1] + scan.scanned


def cpu(function, *args) -> tuple[float, object]:
    started = time.process_time()
    result = function(*args)
    return time.process_time() - started, result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="15000,30000,60000,120000,240000")
    parser.add_argument("--budget", type=float, default=20.0, help="seconds: stop the regex past this")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"# load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for case, unit in CASES.items():
        over_budget = False
        for size in sizes:
            html = (unit * (size // len(unit) + 1))[:size]
            if over_budget:
                print(f"{case} {size} regex-s skipped")
            else:
                seconds, _ = cpu(old_cuts, html)
                over_budget = seconds > args.budget
                print(f"{case} {size} regex-s {seconds:.3f}")
            seconds, scanned = cpu(new_cuts, html)
            print(f"{case} {size} scan-s {seconds:.4f}")
            print(f"{case} {size} scan-chars/char {scanned / size:.2f}")
            seconds, _ = cpu(extract_article, html.encode())
            print(f"{case} {size} extract-s {seconds:.4f}")
    print(f"# load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
