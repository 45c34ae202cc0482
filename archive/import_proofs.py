"""Which articles an import may change: only those its entries prove.

An entry proves its article when the id is the start of its original's sha256 (an
article's first version) and, when the archive holds the article already, that original
is one of the archive's own; an entry naming a version the archive keeps from that very
original stands for it unread (the archive checked those bytes when it kept them), so a
second import of a file stays quick. An entry that does not prove its id (a later
version) waits for one that does; one (id, version) is one original, so an entry
bringing other bytes for a kept version is refused in a line, never dropped silently.
"""

from __future__ import annotations

import pickle
import tempfile
from pathlib import Path
from typing import BinaryIO

from archive.article import ID_LENGTH, Article
from archive.store import Store

Entry = tuple[str, Article, bytes, bool]  # where it is, the version, its original, whether removed


class ImportProofs:
    """The proofs an import has seen so far, and the entries waiting for one."""

    def __init__(self, store: Store, problems: list[str], spool_dir: Path):
        self._store, self._problems, self.spool_dir = store, problems, spool_dir
        self._proven: set[str] = set()
        self._taken: dict[tuple[str, int], str] = {}  # (id, version) -> sha256 this import keeps
        self._waiting: dict[str, list[tuple[int, int]]] = {}  # id -> (offset, size) in the spool
        self._spool: BinaryIO | None = None
        self._ready: list[Entry] = []  # waited, proven since by an entry passed over
        self.already = 0

    def kept(self, article_id: str, version: int) -> str | None:
        """The sha256 of the original the archive (or this import) keeps for a version."""
        return self._taken.get((article_id, version)) or self._store.version_sha(article_id, version)

    def passes_over(self, where: str, article_id: str, version: int, sha: str) -> bool:
        """Whether an entry need not be decoded: its version is kept already, from the same
        original (then it may prove its article). Other bytes are reported here."""
        kept = self.kept(article_id, version)
        if kept is None:
            return False
        if kept != sha:
            self._problems.append(self._clash(where, article_id, version, kept))
            return True
        self.already += 1
        if _proves(article_id, sha):
            self._ready += self._prove(article_id)
        return True

    def proves(self, article_id: str) -> bool:
        """Whether an entry of this import proved the article (so it may label it)."""
        return article_id in self._proven

    def ready(self) -> list[Entry]:
        """The waiting entries an entry passed over has proven since."""
        ready, self._ready = self._ready, []
        return ready

    def admit(self, entry: Entry) -> list[Entry]:
        """The entries to import now: this one if it is proven, with those that waited
        for its proof; an entry that cannot be proven yet waits (spooled in the home)."""
        where, article, _, _ = entry
        assert article.id and article.sha256 and article.version
        kept = self.kept(article.id, article.version)
        if kept is not None:
            if kept != article.sha256:
                self._problems.append(self._clash(where, article.id, article.version, kept))
                return []
            self.already += 1  # kept already: import_versions would leave it as it is
            return self._prove(article.id) if _proves(article.id, article.sha256) else []
        proves = _proves(article.id, article.sha256)
        if proves and article.id not in self._proven and self._foreign(article):
            self._problems.append(f"{where}: article {article.id} is already kept from other bytes; "
                                  "this entry does not prove it is the same article, skipped")
            return []
        if not proves and article.id not in self._proven:
            self._wait(entry)
            return []
        self._taken[(article.id, article.version)] = article.sha256
        return [entry, *self._prove(article.id)]

    def finish(self) -> None:
        """One line for each entry that waited for a proof in vain."""
        for article_id in list(self._waiting):
            for where, _, _, _ in self._released(article_id):
                self._problems.append(
                    f"{where}: nothing proves this is article {article_id} (its id is not the start "
                    "of the sha256 of an original this import carries), skipped")

    def close(self) -> None:
        if self._spool is not None:
            self._spool.close()
            self._spool = None

    def _foreign(self, article: Article) -> bool:
        """Whether the archive holds this article from originals other than this one."""
        shas = {version.sha256 for version in self._store.versions(article.id)}
        return bool(shas) and article.sha256 not in shas

    def _prove(self, article_id: str) -> list[Entry]:
        if article_id in self._proven:
            return []
        self._proven.add(article_id)
        return [admitted for entry in self._released(article_id) for admitted in self.admit(entry)]

    def _wait(self, entry: Entry) -> None:
        if self._spool is None:
            self._spool = tempfile.TemporaryFile(dir=self.spool_dir)
        self._spool.seek(0, 2)
        offset = self._spool.tell()
        self._spool.write(pickle.dumps(entry, pickle.HIGHEST_PROTOCOL))
        self._waiting.setdefault(entry[1].id or "", []).append((offset, self._spool.tell() - offset))

    def _released(self, article_id: str) -> list[Entry]:
        entries = []
        for offset, size in self._waiting.pop(article_id, []):
            assert self._spool is not None
            self._spool.seek(offset)
            entries.append(pickle.loads(self._spool.read(size)))  # our own spool, written above
        return entries

    @staticmethod
    def _clash(where: str, article_id: str, version: int, kept: str) -> str:
        return (f"{where}: version {version} of {article_id} is already kept from other bytes "
                f"(sha256 {kept[:12]}…); this one is skipped")


def _proves(article_id: str, sha: str) -> bool:
    return len(article_id) >= ID_LENGTH and sha.startswith(article_id)
