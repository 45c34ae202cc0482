"""archive: pages and articles, and the archive of record that keeps them."""

__version__ = "0.1.0"
