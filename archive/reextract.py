"""Re-run the current cleaner on the kept originals; keep changed texts as new versions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from archive.article import Article
from archive.pages import PageError, read_page
from archive.store import Store

COMPARED = ("title", "body", "author", "published", "site", "url", "lang")


@dataclass
class ReextractReport:
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def to_json(self, unknown: list[str]) -> dict:
        return {"changed": self.changed, "unchanged": self.unchanged,
                "failed": [{"id": i, "error": e} for i, e in self.failed], "unknown": unknown}


def reextract(store: Store, articles: Iterable[Article],
              progress: Callable[[int], None] | None = None) -> ReextractReport:
    """Extract each article's current original again; a different result becomes the
    article's new version (the old one is kept)."""
    report = ReextractReport()
    for article in articles:
        original = store.original(article.id)
        try:
            if original is None:
                raise PageError("its original is missing")
            fresh = read_page(original, article.origin or "", name_hint=article.origin or "")
        except PageError as error:
            report.failed.append((article.id, str(error)))
        else:
            fresh.url = fresh.url or article.url
            if any(getattr(fresh, name) != getattr(article, name) for name in COMPARED):
                fresh.id, fresh.sha256, fresh.added_at = article.id, article.sha256, article.added_at
                store.replace_text(fresh)
                report.changed.append(article.id)
            else:
                report.unchanged += 1
        if progress:
            progress(1)
    return report
