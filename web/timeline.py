"""The timeline of matches per month, drawn on the server as inline SVG geometry: no
chart library and no script, each bar a link that narrows to its month."""

from __future__ import annotations

from dataclasses import dataclass

from web.french import count, month

MIN_MONTHS = 12
WIDTH, HEIGHT, AXIS = 320, 100, 16  # the SVG viewBox, about its size on the page: bars above year labels


@dataclass
class Bar:
    """One month: its key (YYYY-MM), count, and its rectangle in the viewBox."""

    key: str
    articles: int
    x: float
    y: float
    width: float
    height: float

    @property
    def label(self) -> str:
        return f"{month(self.key)} : {count(self.articles, 'article')}"


@dataclass
class Timeline:
    bars: list[Bar]
    years: list[tuple[float, str]]  # x of each January (or of the first month), year
    width: int = WIDTH
    height: int = HEIGHT
    axis: int = AXIS

    @property
    def first(self) -> str:
        return self.bars[0].key

    @property
    def last(self) -> str:
        return self.bars[-1].key


def months_between(first: str, last: str) -> list[str]:
    """Every YYYY-MM from first to last, both included."""
    year, number = int(first[:4]), int(first[5:7])
    out = []
    while f"{year:04d}-{number:02d}" <= last:
        out.append(f"{year:04d}-{number:02d}")
        year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    return out


def _back(key: str, months: int) -> str:
    year, number = int(key[:4]), int(key[5:7]) - months
    while number < 1:
        year, number = year - 1, number + 12
    return f"{year:04d}-{number:02d}"


def timeline(months: list[tuple[str, int]]) -> Timeline | None:
    """Bars for every month from the first match to the last, at least MIN_MONTHS wide
    (months without a match have no bar); None when no match has a date."""
    counts = dict(months)
    if not counts:
        return None
    first, last = min(counts), max(counts)
    span = months_between(first, last)
    if len(span) < MIN_MONTHS:
        first = _back(last, MIN_MONTHS - 1)
        span = months_between(first, last)
    tallest = max(counts.values())
    step = WIDTH / len(span)
    gap = min(2.0, step * 0.2)
    room = HEIGHT - AXIS - 4
    bars, years = [], []
    for position, key in enumerate(span):
        n = counts.get(key, 0)
        height = max(2.0, room * n / tallest) if n else 0.0
        bars.append(Bar(key, n, round(position * step + gap / 2, 2), round(room + 4 - height, 2),
                        round(step - gap, 2), round(height, 2)))
        if key.endswith("-01") or position == 0:
            years.append((round(position * step, 2), key[:4]))
    if len(years) > 1 and years[1][0] - years[0][0] < 30:
        years.pop(0)  # the first month's year label would overlap the next January's
    return Timeline(bars, years)
