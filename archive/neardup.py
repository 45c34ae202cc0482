"""Near-duplicate detection: MinHash over word shingles of the clean body, with LSH bands.

An agency story (AFP, Belga, Reuters) republished by several sites, or an article
updated in place, shares most of its 5-word shingles with the other copies. Two
bodies whose MinHash signatures agree on at least SIMILAR of their values are treated
as one story; LSH bands find the candidates without comparing every pair.
"""

from __future__ import annotations

import hashlib
import random
import re
import struct

from unidecode import unidecode

SHINGLE_WORDS = 5
BANDS, ROWS = 10, 6  # 60 values; two bodies of Jaccard 0.7 share a band with p ≈ 0.7
SIMILAR = 0.7  # estimated Jaccard similarity from which two bodies are one story
MIN_WORDS = 40  # shorter bodies (briefs, captions) are too small to judge
_MASK64 = (1 << 64) - 1
_RANDOM = random.Random(20200105)  # fixed: signatures must not change between runs
_SEEDS = tuple(_RANDOM.getrandbits(64) for _ in range(BANDS * ROWS))
_WORD = re.compile(r"\w+")


def signature(paragraphs: list[str]) -> bytes | None:
    """The MinHash signature of a body (60 unsigned 32-bit values), or None if too short."""
    text = unidecode(" ".join(paragraphs)).lower()
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS:
        return None
    hashes = {
        int.from_bytes(hashlib.blake2b(" ".join(words[i:i + SHINGLE_WORDS]).encode(), digest_size=8)
                       .digest(), "little")
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }
    values = [min((h ^ seed) * 0x9E3779B97F4A7C15 & _MASK64 for h in hashes) >> 32 for seed in _SEEDS]
    return struct.pack(f"<{len(values)}I", *values)


def band_keys(sig: bytes) -> list[int]:
    """One key per LSH band: signatures sharing a key are candidate near-duplicates."""
    keys = []
    for band in range(BANDS):
        chunk = sig[band * ROWS * 4:(band + 1) * ROWS * 4]
        digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    count = len(a) // 4
    left, right = struct.unpack(f"<{count}I", a), struct.unpack(f"<{count}I", b)
    return sum(x == y for x, y in zip(left, right, strict=True)) / count
