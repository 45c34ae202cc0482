"""The OpenSearch index settings (index/engines/opensearch/analysis.py), without a cluster."""

from __future__ import annotations

import json

from index.analysis import FRENCH_STOP_WORDS
from index.engines.opensearch.analysis import index_body
from index.ranking import BM25_B, BM25_K1
from tests.conftest import ROOT

WRITTEN = ROOT / "engines" / "opensearch" / "verify" / "french-index.json"


def test_the_stop_words_are_those_of_the_whoosh_analyzer():
    stop = index_body(1, 0, BM25_K1, BM25_B)["settings"]["analysis"]["filter"]["french_stop"]
    assert set(stop["stopwords"]) == FRENCH_STOP_WORDS


def test_bm25_parameters_are_those_of_the_whoosh_ranking():
    similarity = index_body(1, 0, BM25_K1, BM25_B)["settings"]["similarity"]["default"]
    assert (similarity["k1"], similarity["b"]) == (BM25_K1, BM25_B)


def test_the_settings_file_for_curl_is_the_generated_one():
    assert json.loads(WRITTEN.read_text()) == index_body(2, 1, BM25_K1, BM25_B), (
        "engines/opensearch/verify/french-index.json is stale: write it again with the "
        "command in engines/opensearch/README.md (French analysis)")


def test_another_analysis_gives_another_format():
    body = index_body(1, 0, BM25_K1, BM25_B)
    other = index_body(1, 0, BM25_K1, 0.5)
    assert body["mappings"]["_meta"]["format"] != other["mappings"]["_meta"]["format"]
    assert index_body(3, 2, BM25_K1, BM25_B)["mappings"]["_meta"] == body["mappings"]["_meta"]
