"""index: French analysis, the Whoosh schema, indexing and search."""
