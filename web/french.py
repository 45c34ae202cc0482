"""French words for the pages: counts with their plural, dates and months as a reader
writes them ("1er janvier 2020", "2 résultats")."""

from __future__ import annotations

from datetime import date

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def count(number: int, singular: str, plural: str | None = None) -> str:
    """'0 résultat', '1 résultat', '2 résultats': French takes the singular for 0 and 1.
    Thousands are grouped with a narrow no-break space, as French typography does."""
    word = singular if abs(number) < 2 else (plural or singular + "s")
    return f"{number:,}".replace(",", "\u202f") + " " + word


def day(value: str | None) -> str | None:
    """An ISO date (or date-time) as '5 janvier 2020' ('1er' for the first); the text as
    it is when it is not a date."""
    if not value:
        return None
    try:
        moment = date.fromisoformat(value[:10])
    except ValueError:
        return value
    first = "1er" if moment.day == 1 else str(moment.day)
    return f"{first} {MONTHS[moment.month - 1]} {moment.year}"


def month(value: str) -> str:
    """'2020-01' as 'janvier 2020'."""
    year, number = value.split("-")[:2]
    return f"{MONTHS[int(number) - 1]} {year}"


def short_month(value: str) -> str:
    """'2020-01' as 'janv. 2020', for tight labels."""
    name = month(value)
    word, year = name.split(" ")
    return (word if len(word) <= 4 else word[:4].rstrip("é") + ".") + " " + year
