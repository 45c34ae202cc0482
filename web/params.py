"""The parameters of a request, read with caps: a query of at most MAX_QUERY_CHARS, pages
and offsets that stop at MAX_OFFSET, known sorts only. Errors name the parameter."""

from __future__ import annotations

import re
from collections.abc import Mapping

# Past the query language's own limit (1,000 characters), so that its one-line message is
# the one shown; this cap only keeps a megabyte-long q from reaching the parser.
MAX_QUERY_CHARS = 4096
MAX_FIELD_CHARS = 200
MAX_OFFSET = 10_000  # the deepest result a page may start at (a cluster's window too)
MAX_LIMIT = 1000
MAX_PAGE = 1000
SORTS = ("relevance", "date")
_DATE = re.compile(r"\d{4}(-\d{1,2}(-\d{1,2})?)?")
_MONTH = re.compile(r"\d{4}-\d{2}")


class BadParameter(Exception):
    """A parameter the pages cannot use; the message names it, in one line."""


class Params:
    def __init__(self, values: Mapping[str, str]):
        self.values = values

    def text(self, name: str, cap: int = MAX_FIELD_CHARS) -> str | None:
        value = self.values.get(name, "").strip()
        if len(value) > cap:
            raise BadParameter(f"{name} is too long ({len(value)} characters, at most {cap})")
        return value or None

    def query(self, required: bool = False) -> str:
        value = self.text("q", MAX_QUERY_CHARS) or ""
        if required and not value:
            raise BadParameter("the query is empty: give q")
        return value

    def site(self) -> str | None:
        return self.text("site")

    def date(self, name: str) -> str | None:
        value = self.text(name, 10)
        if value and not _DATE.fullmatch(value):
            raise BadParameter(f"{name} {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        return value

    def month(self) -> str | None:
        value = self.text("mois", 7)
        if value and not (_MONTH.fullmatch(value) and 1 <= int(value[5:]) <= 12):
            raise BadParameter(f"mois {value!r} is not a month (YYYY-MM)")
        return value

    def sort(self) -> str:
        value = self.text("sort", 20) or "relevance"
        if value not in SORTS:
            raise BadParameter(f"unknown sort {value!r} (use relevance or date)")
        return value

    def number(self, name: str, default: int | None, low: int, high: int) -> int | None:
        raw = self.text(name, 12)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise BadParameter(f"{name} {raw!r} is not a whole number") from None
        if not low <= value <= high:
            raise BadParameter(f"{name} {value} is out of range ({low} to {high})")
        return value

    def page(self) -> int:
        return self.number("page", 1, 1, MAX_PAGE) or 1

    def limit(self, default: int | None) -> int | None:
        return self.number("limit", default, 1, MAX_LIMIT)

    def offset(self) -> int:
        return self.number("offset", 0, 0, MAX_OFFSET) or 0

    def version(self) -> int | None:
        return self.number("version", None, 1, 1_000_000)

    def flag(self, name: str) -> bool:
        return self.values.get(name, "") not in ("", "0", "false", "non")
