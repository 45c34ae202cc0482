"""The tantivy engine: the default, native-speed index (engine.py) and the query tree as
tantivy queries (query.py)."""

from index.engines.tantivy.engine import TantivyEngine

__all__ = ["TantivyEngine"]
