"""Every tuned number of the ranking, each with the measurement that chose it.

The engines read these (never index/search.py), so a ranking change lands in all of them
at once. bench/relevance.py measures them (known-item MRR@10 on the news corpus).
"""

from __future__ import annotations

# BM25F in Whoosh, BM25 per field in OpenSearch: K1 0.8 and B 0.75 (commit 9e3ea2c).
# Tantivy's BM25 is fixed at K1 1.2, B 0.75 and cannot be set from Python.
BM25_K1 = 0.8
BM25_B = 0.75
# The title's weight at query time: 4 beat 2 and 3 on bench/relevance.py (commit 9e3ea2c).
TITLE_BOOST = 4.0
# The title-together bonus: the query's words within TOGETHER_SLOP positions of each other
# in the title, in any order, add TOGETHER_BOOST × their score (commit c28fd65).
TOGETHER_SLOP = 6
TOGETHER_BOOST = 8.0
