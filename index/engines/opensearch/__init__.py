"""The OpenSearch engine: the derived index on a cluster (engine.py), its analysis settings
built from index/analysis.py's constants (analysis.py), and the query tree as DSL (query.py)."""

from index.engines.opensearch.engine import ClusterConfig, OpenSearchEngine

__all__ = ["ClusterConfig", "OpenSearchEngine"]
