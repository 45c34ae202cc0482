"""Publication dates as ISO 8601, from meta tags, JSON-LD and French bylines."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from unidecode import unidecode

MONTHS = {
    "janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4,
    "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9,
    "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12,
    "dec": 12, "january": 1, "february": 2, "march": 3, "april": 4, "may": 5,
    "june": 6, "july": 7, "august": 8, "september": 9, "october": 10, "november": 11,
    "december": 12,
}

_TIME = r"(?:\s*(?:a|,|-)?\s*(\d{1,2})\s*(?:h|:)\s*(\d{2})?)?"
_WORDY = re.compile(
    r"\b(\d{1,2})(?:er)?\s+([a-z]{3,9})\.?\s+(\d{4})" + _TIME, re.IGNORECASE
)
_NUMERIC = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2}(?!\d))" + _TIME)
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?")


def parse_iso(value: str) -> str | None:
    """Normalise an ISO-like timestamp ("2020-01-05T14:32:00+0100") to ISO 8601."""
    match = _ISO.search(value.strip())
    if not match:
        return None
    text = match.group(0).replace(" ", "T").replace("Z", "+00:00")
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.isoformat() if "T" in text else moment.date().isoformat()


def parse_french_date(text: str) -> str | None:
    """Find a date in a French byline ("Publié le 5 janvier 2020 à 14h32", "05/01/2020 14:32")."""
    folded = unidecode(text).lower()
    match = _WORDY.search(folded)
    if match and match.group(2).rstrip(".") in MONTHS:
        day, month, year = int(match.group(1)), MONTHS[match.group(2).rstrip(".")], int(match.group(3))
        return _build(year, month, day, match.group(4), match.group(5))
    match = _NUMERIC.search(folded)
    if match:
        day, month, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        year += 2000 if year < 100 else 0  # "09/02/21": bylines of this century
        return _build(year, month, day, match.group(4), match.group(5))
    return parse_iso(text)


def _build(year: int, month: int, day: int, hour: str | None, minute: str | None) -> str | None:
    try:
        if hour is not None:
            return datetime(year, month, day, int(hour), int(minute or 0)).isoformat()
        return datetime(year, month, day).date().isoformat()
    except ValueError:
        return None


def with_local_offset(value: str, region: str = "") -> str:
    """Give a local time read off a byline the UTC offset of where the page is from:
    Eastern time for Canadian French (lang fr-CA), else Central European time (France,
    Belgium, Switzerland), with each zone's summer-time rule. Dates alone stay dates."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if "T" not in value or moment.tzinfo is not None:
        return value
    if region.lower() in ("ca", "us"):
        start = _nth_sunday(moment.year, 3, 2).replace(hour=2)
        end = _nth_sunday(moment.year, 11, 1).replace(hour=2)
        hours = -4 if start <= moment < end else -5
    else:
        start = _last_sunday(moment.year, 3).replace(hour=2)
        end = _last_sunday(moment.year, 10).replace(hour=3)
        hours = 2 if start <= moment < end else 1
    return moment.replace(tzinfo=timezone(timedelta(hours=hours))).isoformat()


def _nth_sunday(year: int, month: int, n: int) -> datetime:
    first = datetime(year, month, 1)
    return first + timedelta(days=(6 - first.weekday()) % 7 + 7 * (n - 1))


def _last_sunday(year: int, month: int) -> datetime:
    last = datetime(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)
