"""The derived index: tiered merging keeps big segments out of small commits."""

from __future__ import annotations

from whoosh import index as whoosh_index

from archive.article import Article
from archive.store import Store
from index.indexer import MERGE_FANIN, ArchiveIndex


def test_small_commits_merge_by_tiers_and_search_still_sees_everything(tmp_path):
    store = Store.open(tmp_path, create=True)
    index = ArchiveIndex(tmp_path)
    for number in range(MERGE_FANIN + 3):
        store.add_many([(Article(title=f"Article {number}", body=[f"Texte numéro {number}."]),
                         f"page {number}".encode())])
        index.sync(store)
    index.close()
    opened = whoosh_index.open_dir(tmp_path / "index")
    counts = sorted(segment.doc_count_all() for segment in opened._segments())
    # once ten one-document segments stood, the next commit wrote them into its own segment
    assert counts == [1, 1, MERGE_FANIN + 1]
    assert opened.doc_count() == MERGE_FANIN + 3
    opened.close()
    store.close()
