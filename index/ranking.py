"""Every tuned number of the ranking, each with the measurement that chose it.

The engines read these (never index/search.py), so a ranking change lands in all of them
at once. bench/relevance.py measures them. Figures below are tantivy's MRR@10 at
`--size 5000` (`.venv/bin/python bench/relevance.py --size 5000`, bench/README.md), as
known items with accents / without / inflected, detail, questions; the chosen setting
gives 0.994 / 0.994 / 0.991, 0.986, 0.788, and each line says what changing one number
alone gives.
"""

from __future__ import annotations

# BM25F in Whoosh, BM25 per field in OpenSearch: K1 0.8 and B 0.75 (commit 9e3ea2c).
# Tantivy's BM25 is fixed at K1 1.2, B 0.75 and cannot be set from Python.
BM25_K1 = 0.8
BM25_B = 0.75
# The title's weight per word. 4 suited headlines but sinks passages: many paragraphs share
# one title, and a title word lifted them all; it also sinks a detail of the body. At 4:
# detail 0.968, questions 0.786; at 2: 0.982, 0.788. The title a user remembers is found
# by the title bonuses below instead.
TITLE_BOOST = 1.0
# The title holding every plain word, wherever they are in it (two words or more).
# Without it: 0.986 / 0.987 / 0.972.
TITLE_ALL_BOOST = 3.0
# The title-together bonus: the query's words in the title in the order typed, each
# within TOGETHER_SLOP positions of the one before, add TOGETHER_BOOST × their score.
# In any order instead: 0.992 / 0.992 / 0.988 (a title is remembered in its order; the
# ties left are titles that hold the same words).
TOGETHER_SLOP = 6
TOGETHER_BOOST = 8.0
TOGETHER_ORDERED = True
# Each plain word as typed, folded but not stemmed, found in the article (the `words`
# field): "gouvernement" ranks articles that write it above "gouvernante". Detail 0.873
# without, 0.967 at 1; questions 0.775 without, 0.782 at 1.
EXACT_BOOST = 3.0
# Two consecutive plain words side by side in the text, in either order ("Etat
# islamique" typed without quotes). Without: 0.993 / 0.993 / 0.989, questions 0.786; at
# 4: questions 0.782; NEAR_SLOP 2: 0.993 / 0.993 / 0.990, questions 0.785.
NEAR_SLOP = 1
NEAR_BOOST = 2.0
# Relaxation: each plain word an article holds adds this constant, far above any score,
# so that a relaxed page ranks by how many words an article holds, then by score.
RELAXED_WORD_SCORE = 100_000.0
# ... except words in more than COMMON_SHARE of the articles (and more than
# COMMON_ARTICLES), which add only their score, as a search engine's frequency cutoff
# treats them ("année", "nom", "premier" in questions). Questions 0.775 counting every
# word, 0.779 with the cutoff at 10 %.
COMMON_SHARE = 0.05
COMMON_ARTICLES = 50
