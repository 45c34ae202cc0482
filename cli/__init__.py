"""cli: the `archive` command line."""
