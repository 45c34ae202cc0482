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


def test_an_index_from_another_version_is_rebuilt_by_the_next_command(run, home, seeded):
    import json
    state = home / "index" / "synced.json"
    state.write_text(json.dumps({"seq": json.loads(state.read_text())["seq"], "format": 1}))
    result = run("search", "Soleimani", "--json")
    assert result.exit_code == 0, result.output
    assert "built by another version of archive; rebuilding it" in result.stderr
    assert json.loads(result.stdout)["total"] == 1
    assert json.loads(state.read_text())["format"] > 1


def test_a_large_sync_indexes_in_parallel_processes_and_finds_everything(tmp_path, monkeypatch):
    from index import indexer
    from index.consistency import check_archive

    monkeypatch.setattr(indexer, "PARALLEL_MIN", 10)
    store = Store.open(tmp_path, create=True)
    store.add_many([(Article(title=f"Dépêche {n}", body=[f"Le conseil numéro {n} a voté."]),
                     f"p{n}".encode()) for n in range(40)])
    index = ArchiveIndex(tmp_path)
    assert index.sync(store) == 40
    report = check_archive(store, index)
    assert report.ok and report.indexed == 40
    from index.search import search
    assert search(index, store, "conseil voté").total == 40
    assert [hit.article.title for hit in search(index, store, "numéro 17").hits][:1] == ["Dépêche 17"]
    index.close()
    store.close()
