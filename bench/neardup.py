"""Near-duplicate signatures: the CRC-32 MinHash of archive/neardup.py beside the BLAKE2b
one it replaced, on the same corpus articles: CPU per body, and the pairs each finds.

    .venv/bin/python bench/neardup.py [--corpus ../shared/corpus] [--size 10000]

A pair is two articles whose estimated Jaccard similarity reaches neardup.SIMILAR among
the candidates their LSH bands give; "found by both" over "found by either" says how
much the hash changes what `list --duplicates` and search folding show.
"""

from __future__ import annotations

import argparse
import hashlib
import struct
import sys
import time
from collections import defaultdict
from pathlib import Path

from newscorpus import DEFAULT_CORPUS, read_corpus

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive import neardup  # noqa: E402
from archive.folding import fold_text  # noqa: E402


def blake2b_signature(paragraphs: list[str]) -> bytes | None:
    """The signature as release 0.1.0 made it (BLAKE2b of each 5-word shingle)."""
    words = neardup._WORD.findall(fold_text(" ".join(paragraphs)).lower())
    if len(words) < neardup.MIN_WORDS:
        return None
    slots = neardup.BANDS * neardup.ROWS
    bins = [0xFFFFFFFF] * slots
    for i in range(len(words) - neardup.SHINGLE_WORDS + 1):
        digest = hashlib.blake2b(" ".join(words[i:i + neardup.SHINGLE_WORDS]).encode(),
                                 digest_size=8).digest()
        value = int.from_bytes(digest, "little")
        slot, rest = value % slots, value >> 32
        if rest < bins[slot]:
            bins[slot] = rest
    return struct.pack(f"<{slots}I", *bins)


def pairs(signatures: list[bytes | None]) -> set[tuple[int, int]]:
    buckets: dict[int, list[int]] = defaultdict(list)
    for number, sig in enumerate(signatures):
        if sig is not None:
            for key in neardup.band_keys(sig):
                buckets[key].append(number)
    found = set()
    for members in buckets.values():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                similar = neardup.similarity(signatures[a], signatures[b]) >= neardup.SIMILAR
                if (a, b) not in found and similar:
                    found.add((a, b))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--size", type=int, default=10_000)
    args = parser.parse_args()
    bodies = [a.paragraphs for a in read_corpus(args.corpus, args.size)]
    results = {}
    for name, make in (("blake2b", blake2b_signature), ("crc32", neardup.signature)):
        started = time.process_time()
        signatures = [make(body) for body in bodies]
        cpu = (time.process_time() - started) / len(bodies) * 1000
        results[name] = pairs(signatures)
        print(f"{name} cpu_per_body {cpu:.3f} ms")
        print(f"{name} pairs {len(results[name])}")
    both = results["blake2b"] & results["crc32"]
    either = results["blake2b"] | results["crc32"]
    print(f"both pairs_found_by_both {len(both)}")
    print(f"both pairs_found_by_either {len(either)}")
    print(f"both agreement {len(both) / max(len(either), 1):.3f}")


if __name__ == "__main__":
    main()
