"""`archive check`: is every original intact, and is the index exactly the store?"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from archive.store import Store
from index.engines.base import Engine


@dataclass
class CheckReport:
    articles: int = 0
    indexed: int = 0
    database_problems: list[str] = field(default_factory=list)  # what SQLite's check found
    damaged_originals: list[str] = field(default_factory=list)
    missing_from_index: list[str] = field(default_factory=list)
    duplicated_in_index: list[str] = field(default_factory=list)
    orphans_in_index: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.database_problems or self.damaged_originals or self.index_problems)

    @property
    def index_problems(self) -> int:
        return len(self.missing_from_index) + len(self.duplicated_in_index) + len(self.orphans_in_index)

    def to_json(self) -> dict:
        return {**asdict(self), "ok": self.ok}


def check_archive(store: Store, engine: Engine, full: bool = False) -> CheckReport:
    """SQLite's own check of the file (quick_check, or integrity_check with `full`), every
    original hashed again, and the ids in the index compared with the store's."""
    problems = store.integrity_problems(full=full)
    if problems:  # reading a damaged file further may fail anywhere: report what SQLite says
        return CheckReport(database_problems=problems)
    report = CheckReport(articles=store.count())
    report.damaged_originals = store.damaged_originals()
    counts = engine.indexed_ids()
    report.indexed = sum(counts.values())
    stored = {article.id for article in store.iter_articles()}
    report.missing_from_index = sorted(stored - counts.keys())
    report.duplicated_in_index = sorted(i for i, n in counts.items() if n > 1)
    report.orphans_in_index = sorted(counts.keys() - stored)
    return report
