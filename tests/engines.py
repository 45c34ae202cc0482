"""Test support for running one behaviour on every engine: an archive home indexed by
each engine (the cluster's only when the session cluster could start), and the tools a
test needs to reach behind an engine's back (damage it, write stray entries, hold its
writer) the way a crash, a bug or another process would."""

from __future__ import annotations

import json
import warnings
from contextlib import contextmanager
from pathlib import Path

import pytest

from archive.article import Article
from archive.store import Store
from index.engines import ENGINES, open_engine
from index.schema import document

FILE_ENGINES = ("tantivy", "whoosh")


@contextmanager
def cluster_environment(request, index: str):
    """ARCHIVE_OPENSEARCH_* for the session cluster with an index of its own, or None
    (with a warning) when no cluster can start here."""
    try:
        cluster = request.getfixturevalue("opensearch_cluster")
    except pytest.skip.Exception as skipped:
        warnings.warn(f"the opensearch engine is left out: {skipped}", stacklevel=2)
        yield None
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARCHIVE_OPENSEARCH_URL", cluster.url)
        patch.setenv("ARCHIVE_OPENSEARCH_INDEX", index)
        patch.setenv("ARCHIVE_OPENSEARCH_REPLICAS", "0")
        yield cluster
        engine = open_engine(Path("."), "opensearch")
        engine.client.indices.delete(index=index, ignore_unavailable=True)
        engine.close()


def index_folder(home: Path, engine: str) -> Path:
    return Path(home) / {"tantivy": "tantivy", "whoosh": "index"}[engine]


def damage(home: Path, engine: str) -> None:
    """Overwrite the files an engine reads first with garbage, as a bad disk would."""
    folder = index_folder(home, engine)
    targets = ["meta.json"] if engine == "tantivy" else [p.name for p in folder.glob("_MAIN_*.toc")]
    assert targets, f"nothing to damage in {folder}"
    for name in targets:
        (folder / name).write_bytes(b"\x00garbage")


def write_behind_the_store(home: Path, engine: str, articles: list[Article]) -> None:
    """Index entries the store does not know of (orphans) or has already (duplicates),
    written straight into the index as a bug or a foreign process would."""
    if engine == "tantivy":
        from index.engines.tantivy.engine import article_schema, document_json, open_index

        index = open_index(index_folder(home, engine), article_schema())
        writer = index.writer(50_000_000, 1)
        for article in articles:
            writer.add_json(document_json(document(article)))
        writer.commit()
        writer.wait_merging_threads()
    elif engine == "whoosh":
        from whoosh import index as whoosh_index

        from index.engines.whoosh import _fields

        writer = whoosh_index.open_dir(index_folder(home, engine)).writer()
        for article in articles:
            writer.add_document(**_fields(document(article)))
        writer.commit()
    else:
        from index.engines.opensearch.engine import document as cluster_document

        engine_ = open_engine(Path(home), "opensearch")
        for article in articles:
            engine_.client.index(index=engine_.config.index, id=article.id,
                                 body=cluster_document(article), refresh=True)
        engine_.close()


@contextmanager
def writer_held(home: Path, engine: str):
    """Another archive process holding the engine's writer lock."""
    from index.engines.files import LocalIndex

    name = index_folder(home, engine).name
    with LocalIndex(home, name, 0, engine).writer_lock():
        yield


def stored_seq(home: Path) -> int:
    with Store.open(home) as store:
        return store.last_seq()


def state_of(home: Path, engine: str) -> dict:
    return json.loads((index_folder(home, engine) / "synced.json").read_text())


__all__ = ["ENGINES", "FILE_ENGINES", "cluster_environment", "damage", "index_folder",
           "state_of", "stored_seq", "write_behind_the_store", "writer_held"]
