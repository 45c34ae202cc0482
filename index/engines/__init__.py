"""The registry of engines: each name and how to open it, loaded only when chosen.

This is the only module that names the engines. `archive --help` imports nothing here
but the names, so no engine library is loaded for it.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from index.engines.base import IndexUnavailable

if TYPE_CHECKING:
    from index.engines.base import Engine

# name → (module, class, what it is, for --help). The first is the default.
REGISTRY = {
    "tantivy": ("index.engines.tantivy", "TantivyEngine",
                "native-speed files in the archive (default)"),
    "whoosh": ("index.engines.whoosh", "WhooshEngine", "pure-Python files in the archive"),
    "opensearch": ("index.engines.opensearch", "OpenSearchEngine",
                   "a cluster at $ARCHIVE_OPENSEARCH_URL"),
}
ENGINES = tuple(REGISTRY)
DEFAULT_ENGINE = ENGINES[0]


def engine_name(name: str | None = None) -> str:
    """The engine asked for: `name`, else $ARCHIVE_ENGINE, else the default."""
    chosen = (name or os.environ.get("ARCHIVE_ENGINE") or DEFAULT_ENGINE).strip().lower()
    if chosen not in REGISTRY:
        raise IndexUnavailable(f"unknown engine {chosen!r} (ARCHIVE_ENGINE): use "
                               + ", ".join(ENGINES))
    return chosen


def open_engine(home: Path, name: str | None = None) -> Engine:
    """The engine for the archive in `home` (see engine_name)."""
    module, cls, _ = REGISTRY[engine_name(name)]
    try:
        loaded = importlib.import_module(module)
    except ImportError as error:  # a native wheel missing for this platform, say
        raise IndexUnavailable(f"the {engine_name(name)} engine cannot load ({error}); "
                               "reinstall archive or choose another --engine") from None
    return getattr(loaded, cls).open(Path(home))
