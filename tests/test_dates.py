"""Dates as ISO 8601: from meta tags and JSON-LD, from French bylines, with local offsets."""

from __future__ import annotations

import pytest

from archive.dates import parse_french_date, parse_iso, with_local_offset


@pytest.mark.parametrize(("value", "iso"), [
    ("2020-01-05T14:32:00+01:00", "2020-01-05T14:32:00+01:00"),
    ("2020-01-05T14:32:00+0100", "2020-01-05T14:32:00+01:00"),
    ("2020-01-05T13:32:00Z", "2020-01-05T13:32:00+00:00"),
    ("2022-08-03T11:20:00.000Z", "2022-08-03T11:20:00+00:00"),
    ("2020-01-05", "2020-01-05"),
    ("not a date", None),
])
def test_iso_timestamps_are_normalised(value, iso):
    assert parse_iso(value) == iso


@pytest.mark.parametrize(("line", "iso"), [
    ("Publié le 5 janvier 2020 à 14h32", "2020-01-05T14:32:00"),
    ("05/01/2020 14:32", "2020-01-05T14:32:00"),
    ("Mis à jour le 1er févr. 2021 à 9h05", "2021-02-01T09:05:00"),
    ("Le 3 août 2022", "2022-08-03"),
    ("Publié: 03.08.2022, 13h20", "2022-08-03T13:20:00"),
    ("17 février 2020 14 h 32", "2020-02-17T14:32:00"),
    ("le 31 février 2020", None),
])
def test_french_bylines_give_the_local_time(line, iso):
    assert parse_french_date(line) == iso


@pytest.mark.parametrize(("local", "region", "iso"), [
    ("2020-01-05T14:32:00", "", "2020-01-05T14:32:00+01:00"),
    ("2020-07-05T14:32:00", "be", "2020-07-05T14:32:00+02:00"),
    ("2024-03-31T01:59:00", "fr", "2024-03-31T01:59:00+01:00"),  # summer time starts at 2:00
    ("2024-03-31T03:00:00", "fr", "2024-03-31T03:00:00+02:00"),
    ("2024-10-27T03:00:00", "ch", "2024-10-27T03:00:00+01:00"),  # and ends at 3:00
    ("2020-02-17T14:32:00", "ca", "2020-02-17T14:32:00-05:00"),
    ("2020-07-17T14:32:00", "ca", "2020-07-17T14:32:00-04:00"),
    ("2020-01-05", "", "2020-01-05"),  # a date alone has no offset
    ("2020-01-05T14:32:00+00:00", "", "2020-01-05T14:32:00+00:00"),  # an offset is kept
])
def test_local_times_get_the_offset_of_their_region(local, region, iso):
    assert with_local_offset(local, region) == iso
