"""`archive add --feed` and `archive feeds`, through the real CLI, against a news site on
127.0.0.1: items added once, changed items as new versions, vanished and repeated items
left alone, the feed's dates, and bad feeds failing one line each."""

from __future__ import annotations

import json
import socket
import sqlite3
from datetime import datetime

import pytest

from tests.feedsite import PARIS, FeedSite, Item, sample_items


@pytest.fixture
def site():
    server = FeedSite(sample_items())
    yield server
    server.close()


def add(run, *args: str):
    result = run("add", "--timeout", "10", *args, "--json")
    return result, json.loads(result.stdout)


def listed(run) -> dict[str, dict]:
    return {a["title"]: a for a in json.loads(run("list", "--json").stdout)}


def test_a_feed_adds_the_page_of_each_item_and_a_second_read_adds_nothing(run, site):
    result, report = add(run, "--feed", f"{site.url}/feed.xml")
    assert result.exit_code == 0, result.output
    assert report["added"] == 3 and report["failed"] == 0
    assert report["feeds"] == [{"url": f"{site.url}/feed.xml", "title": "La Gazette locale",
                                "items": 3, "fetched": 3}]
    assert set(listed(run)) == {"Crue de la Meuse à Namur", "Grève à la SNCB", "Le budget communal voté"}
    fetched = site.page_hits()

    again = run("add", "--feed", f"{site.url}/feed.xml")
    assert again.exit_code == 0, again.output
    assert "3 items, 0 to fetch" in again.stdout and again.stdout.rstrip().endswith(
        "0 added, 0 already archived, 0 failed")
    assert site.page_hits() == fetched, "a second read fetched the pages again"

    [feed] = json.loads(run("feeds", "--json").stdout)
    assert feed["url"] == f"{site.url}/feed.xml" and feed["title"] == "La Gazette locale"
    assert feed["items"] == 3 and feed["last_added"] == 0 and feed["added"] == 3
    assert feed["read_at"] >= feed["added_at"] and feed["error"] is None
    text = run("feeds").stdout
    assert f"{site.url}/feed.xml  La Gazette locale" in text and "3 items, 0 added (3 in all)" in text


def test_an_item_takes_the_feed_date_when_its_page_has_none(run, site):
    assert add(run, "--feed", f"{site.url}/feed.xml")[0].exit_code == 0
    articles = listed(run)
    assert articles["Crue de la Meuse à Namur"]["published"] == "2020-01-05T14:32:00+01:00"
    assert articles["Grève à la SNCB"]["published"] == "2020-01-06T08:15:00+01:00"  # the page's own


def test_an_atom_feed_with_relative_links_adds_its_entries(run, site):
    result, report = add(run, "--feed", f"{site.url}/atom.xml")
    assert result.exit_code == 0, result.output
    assert report["added"] == 3
    assert listed(run)["Le budget communal voté"]["published"] == "2020-01-07T00:00:00+01:00"
    urls = {json.loads(run("show", a["id"], "--json").stdout)["url"] for a in listed(run).values()}
    assert urls == {f"{site.url}/article/{key}" for key in ("crue", "greve", "budget")}


def test_new_changed_vanished_and_returning_items_are_each_handled_once(run, site):
    feed = f"{site.url}/feed.xml"
    assert add(run, "--feed", feed)[0].exit_code == 0
    crue, greve, budget = site.items
    site.items = [greve, budget, Item("pont", "Le pont fermé", "Le pont de Jambes restera fermé "
                                      "jusqu'à la fin des travaux de rénovation du tablier.",
                                      datetime(2020, 1, 8, tzinfo=PARIS))]
    budget.text = "Le conseil communal a rejeté le budget après six heures de débats animés."
    budget.updated = datetime(2020, 1, 7, 18, 0, tzinfo=PARIS)
    result, report = add(run, "--feed", feed)
    assert result.exit_code == 0, result.output
    statuses = {entry["title"]: entry["status"] for entry in report["inputs"]}
    assert statuses == {"Le pont fermé": "added", "Le budget communal voté": "updated"}
    budget_id = listed(run)["Le budget communal voté"]["id"]
    shown = json.loads(run("show", budget_id, "--json").stdout)
    assert "rejeté" in shown["body"][0]
    assert len(json.loads(run("show", budget_id, "--versions", "--json").stdout)["versions"]) == 2
    assert "Crue de la Meuse à Namur" in listed(run), "a vanished item's article stays"

    site.items = [crue, greve, budget]  # the vanished item comes back, unchanged
    result, report = add(run, "--feed", feed)
    assert result.exit_code == 0 and report["inputs"] == [] and report["feeds"][0]["fetched"] == 0
    [record] = json.loads(run("feeds", "--json").stdout)
    assert record["added"] == 4 and record["items"] == 3


def test_an_item_listed_twice_or_in_two_feeds_is_archived_once(run, site):
    result, report = add(run, "--feed", f"{site.url}/twice.xml", "--feed", f"{site.url}/feed.xml")
    assert result.exit_code == 0, result.output
    assert report["added"] == 3 and len(report["inputs"]) == 3
    assert [read["items"] for read in report["feeds"]] == [3, 3]
    assert len(listed(run)) == 3
    assert site.page_hits() == 3
    assert [f["added"] for f in json.loads(run("feeds", "--json").stdout)] == [3, 0]
    assert add(run, "--feed", f"{site.url}/feed.xml")[1]["feeds"][0]["fetched"] == 0


def test_a_page_that_failed_is_fetched_again_on_the_next_read(run, site):
    site.items[0].status = 404
    result, report = add(run, "--feed", f"{site.url}/feed.xml")
    assert result.exit_code == 1 and report["added"] == 2
    assert f"archive: {site.url}/article/crue: HTTP 404" in result.stderr
    site.items[0].status = 200
    result, report = add(run, "--feed", f"{site.url}/feed.xml")
    assert result.exit_code == 0 and report["added"] == 1
    assert [entry["title"] for entry in report["inputs"]] == ["Crue de la Meuse à Namur"]


def test_a_sloppy_feed_with_a_bare_ampersand_and_french_day_names_still_reads(run, site):
    site.extra_pages["/article/sloppy"] = Item("sloppy", "Match nul et colère",
                                               "Les supporters ont envahi la pelouse après le coup "
                                               "de sifflet final, furieux de l'arbitrage.")
    result, report = add(run, "--feed", f"{site.url}/sloppy.xml")
    assert result.exit_code == 0, result.output
    assert report["feeds"][0]["title"] == "Sports & loisirs"
    assert listed(run)["Match nul et colère"]["published"] == "2020-01-06T10:00:00+01:00"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_bad_feeds_fail_with_one_line_each_and_the_other_feeds_go_on(run, site):
    dead = f"http://127.0.0.1:{closed_port()}/feed.xml"
    bad = {f"{site.url}/not-a-feed.xml": "not an rss or atom feed",
           f"{site.url}/huge.xml": "too large",
           f"{site.url}/loop.xml": "redirect",
           dead: "connection"}
    result = run("add", "--max-size", "1", "--timeout", "10", *[f"--feed={url}" for url in bad],
                 "--feed", f"{site.url}/feed.xml", "seeds-missing.html")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("archive: ")]
    assert len(errors) == 5, result.stderr
    for url, why in bad.items():
        [line] = [e for e in errors if e.startswith(f"archive: {url}: ")]
        assert why in line.lower(), line
    assert "Traceback" not in result.stderr
    assert result.stdout.rstrip().endswith("3 added, 0 already archived, 5 failed")
    assert len(listed(run)) == 3
    assert [f["url"] for f in json.loads(run("feeds", "--json").stdout)] == [f"{site.url}/feed.xml"]


def test_a_feed_that_fails_after_working_keeps_its_record_with_the_error(run, site):
    feed = f"{site.url}/feed.xml"
    assert add(run, "--feed", feed)[0].exit_code == 0
    site.close()
    result = run("add", "--timeout", "2", "--feed", feed)
    assert result.exit_code == 1 and f"archive: {feed}: " in result.stderr
    [record] = json.loads(run("feeds", "--json").stdout)
    assert record["added"] == 3 and record["error"] and record["failed_at"] >= record["read_at"]
    assert "failed" in run("feeds").stdout


def test_a_feed_address_must_be_http_and_no_feeds_lists_nothing(run, seeded):
    result = run("add", "--feed", "feed.xml")
    assert result.exit_code == 2 and "--feed takes the http(s) address" in result.stderr
    listing = run("feeds")
    assert listing.exit_code == 0 and listing.stdout == ""
    assert json.loads(run("feeds", "--json").stdout) == []


def test_an_archive_made_before_feeds_were_kept_gets_their_tables(run, home, site, seeded):
    db = sqlite3.connect(home / "archive.db")
    db.executescript("DROP TABLE feeds; DROP TABLE feed_items;")
    db.close()
    assert json.loads(run("feeds", "--json").stdout) == []
    assert add(run, "--feed", f"{site.url}/feed.xml")[0].exit_code == 0
    assert len(json.loads(run("feeds", "--json").stdout)) == 1
