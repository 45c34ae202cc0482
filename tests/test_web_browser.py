"""`archive serve` in a real Chromium (Debian's, driven by Playwright): the real server as
a subprocess on the session's test archive (tests/web_fixtures.py).

Every test fails on a console error or warning (a CSP violation, a 404) and on any
dialog; requests may go to the server only. Screenshots of every page, light and dark,
are kept in build/screenshots/ (or $ARCHIVE_SCREENSHOTS) for a person to look at.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest

from tests import web_fixtures
from tests.web_fixtures import ROOT

web_archive, server = web_fixtures.web_archive, web_fixtures.server  # the session's fixtures

pytest.importorskip("starlette", reason="the web tests need the web extra: pip install '.[web]'")
playwright = pytest.importorskip("playwright.sync_api", reason="the browser tests need playwright "
                                 "(the test extra)")

CHROMIUM = os.environ.get("ARCHIVE_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium reaches for its update and sync
# services, which a closed network refuses with console noise.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
SHOTS = Path(os.environ.get("ARCHIVE_SCREENSHOTS", ROOT / "build" / "screenshots"))
TIMEOUT_MS = 20_000


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"the browser tests need Chromium at {CHROMIUM} (Debian: apt-get install "
                    "chromium); not found")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS,
                                          timeout=60_000)
        yield launched
        launched.close()


class Watched:
    """A page whose console errors and warnings, dialogs and requests off the server are
    recorded; `check()` fails the test on any."""

    def __init__(self, page, server_url: str):
        self.page, self.server_url = page, server_url
        self.problems: list[str] = []
        self.elsewhere: list[str] = []
        self.allowed_console: re.Pattern | None = None
        page.set_default_timeout(TIMEOUT_MS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("dialog", self._dialog)
        page.on("request", self._request)

    def _console(self, message) -> None:
        if message.type in ("error", "warning"):
            if self.allowed_console and self.allowed_console.search(message.text):
                return
            self.problems.append(f"console {message.type}: {message.text}")

    def _dialog(self, dialog) -> None:
        self.problems.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _request(self, request) -> None:
        if not request.url.startswith(self.server_url + "/") and not request.url.startswith("data:"):
            self.elsewhere.append(request.url)

    def goto(self, path: str, status: int = 200):
        response = self.page.goto(self.server_url + path)
        assert response is not None and response.status == status, (path, response and response.status)
        return response

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    def check(self) -> None:
        assert self.problems == []
        assert self.elsewhere == []


@pytest.fixture
def open_page(browser, server):
    """Pages in fresh contexts (light by default); each checked when the test ends."""
    made: list[tuple[object, Watched]] = []

    def make(**options) -> Watched:
        context = browser.new_context(viewport={"width": 1200, "height": 900}, **options)
        watched = Watched(context.new_page(), server.url)
        made.append((context, watched))
        return watched

    yield make
    for context, watched in made:
        try:
            watched.check()
        finally:
            context.close()


@pytest.fixture
def page(open_page) -> Watched:
    return open_page()


def hit_titles(page) -> list[str]:
    return page.page.locator("ol.hits > li h2").all_inner_texts()


def shown_total(page) -> int:
    text = page.page.locator("#compte").inner_text()
    return int(re.match(r"([\d\u202f]+) résultats?", text).group(1).replace("\u202f", ""))


# --- searching ----------------------------------------------------------------------------

def test_a_search_by_keyboard_finds_what_the_cli_finds(page, web_archive):
    page.goto("/")
    page.page.keyboard.press("/")
    assert page.page.evaluate("document.activeElement.id") == "q"
    page.page.keyboard.type("coalition")
    page.page.keyboard.press("Enter")
    page.page.wait_for_url("**/recherche?q=coalition")
    expected = web_archive.cli_json("search", "coalition")
    assert shown_total(page) == expected["total"]
    assert hit_titles(page) == [hit["title"] for hit in expected["hits"]]
    assert f"{expected['total']} résultats" in page.page.locator("#compte").inner_text()
    page.shot("search-light")


def test_a_search_by_click_and_french_plurals_for_zero_and_one(page, web_archive):
    page.goto("/")
    page.page.fill("#q", "gabarits")
    page.page.click("form[role=search] button")
    page.page.wait_for_url("**/recherche?q=gabarits")
    assert page.page.locator("#compte").inner_text().startswith("1 résultat ")
    page.page.fill("#q", "introuvablissime")
    page.page.click("form[role=search] button")
    page.page.wait_for_url("**/recherche?q=introuvablissime")
    assert page.page.locator("#compte").inner_text() == "0 résultat"


def test_snippets_mark_inflected_accented_and_elided_forms(page):
    page.goto("/recherche?q=" + quote("soldat etat"))
    marked = set(page.page.locator("ol.hits mark").all_inner_texts())
    assert {"soldat", "soldats", "État"} <= marked
    page.goto("/recherche?q=inondation")
    marked |= set(page.page.locator("ol.hits mark").all_inner_texts())
    assert {"inondations", "inondation", "Inondations"} <= marked
    assert not any(text.startswith(("l'", "d'")) for text in marked)  # the elision is not the word


def test_the_did_you_mean_link_runs_the_corrected_search(page, web_archive):
    page.goto("/recherche?q=coalitoin")
    link = page.page.locator(".suggestion a")
    assert link.inner_text() == "coalition"
    link.click()
    page.page.wait_for_url("**/recherche?q=coalition")
    assert shown_total(page) == web_archive.cli_json("search", "coalition")["total"]


def test_pages_are_stable_and_the_date_sort_puts_the_newest_first(page, web_archive):
    page.goto("/recherche?q=coalition")
    first = hit_titles(page)
    total = web_archive.cli_json("search", "coalition")["total"]
    assert f"page 1 sur {-(-total // 10)}" in page.page.locator(".pager").inner_text()
    page.page.click(".pager a[rel=next]")
    second = hit_titles(page)
    assert "page 2 sur" in page.page.locator(".pager").inner_text()
    assert second and not set(second) & set(first)
    later = web_archive.cli_json("search", "coalition", "--offset", "10")["hits"]
    assert second == [hit["title"] for hit in later]
    page.page.click(".pager a[rel=prev]")
    assert hit_titles(page) == first
    page.page.select_option("#tri", "date")
    page.page.click("form.sort button")
    page.page.wait_for_url("**sort=date**")
    dates = page.page.locator("ol.hits time").evaluate_all("els => els.map(e => e.dateTime)")
    assert dates == sorted(dates, reverse=True) and len(dates) == 10
    newest = web_archive.cli_json("search", "coalition", "--sort", "date")["hits"]
    assert hit_titles(page) == [hit["title"] for hit in newest]


def test_a_site_facet_click_narrows_to_its_count_and_the_counts_add_up(page):
    page.goto("/recherche?q=coalition")
    total = shown_total(page)
    entries = page.page.locator("ul.sites li")
    counts = [int(n) for n in entries.locator(".n").all_inner_texts()]
    assert sum(counts) == total
    entries.filter(has_text="Le Soir").locator("a").click()
    page.page.wait_for_url("**site=Le+Soir**")
    assert shown_total(page) == counts[entries.all_inner_texts().index(
        next(t for t in entries.all_inner_texts() if t.startswith("Le Soir")))]
    page.shot("search-facet-site-light")


def test_a_timeline_bar_click_narrows_to_that_month(page):
    page.goto("/recherche?q=coalition")
    bars = page.page.locator("figure.timeline svg a")
    labels = bars.evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert len(labels) >= 12
    months = {label: int(re.search(r": (\d+) article", label).group(1)) for label in labels}
    undated = page.page.locator(".undated")
    assert sum(months.values()) + (int(undated.inner_text().split()[0]) if undated.count() else 0) \
        == shown_total(page)
    label = next(label for label in labels if label.startswith("mars 2020"))
    page.page.locator(f'figure.timeline svg a[aria-label="{label}"]').click()
    page.page.wait_for_url("**since=2020-03&until=2020-03**")
    assert shown_total(page) == months[label]
    assert page.page.locator('figure.timeline svg a[aria-current="true"]').get_attribute(
        "aria-label") == label
    page.shot("search-facet-month-light")


# --- reading ------------------------------------------------------------------------------

def test_the_reading_view_marks_every_form_and_n_jumps_to_the_next_mark(page):
    page.goto("/recherche?q=" + quote("soldat"))
    page.page.locator("ol.hits > li h2 a").first.click()
    page.page.wait_for_url("**/article/**")
    marks = page.page.locator("article mark")
    count = marks.count()
    assert count >= 2
    assert page.page.locator("#mark-count").inner_text().startswith(f"{count} occurrence")
    assert {t.lower() for t in marks.all_inner_texts()} >= {"soldat"}
    page.page.keyboard.press("n")
    assert page.page.evaluate("document.activeElement.id") == "m1"
    page.page.keyboard.press("n")
    assert page.page.evaluate("document.activeElement.id") == "m2"
    page.page.keyboard.press("Shift+N")
    assert page.page.evaluate("document.activeElement.id") == "m1"
    style = page.page.evaluate("""() => { const p = document.querySelector('.reading .body p');
        const s = getComputedStyle(p); return [s.fontFamily, s.hyphens,
        document.querySelector('.reading').getBoundingClientRect().width,
        parseFloat(getComputedStyle(document.documentElement).fontSize)]; }""")
    assert "serif" in style[0] and style[1] == "auto" and style[2] <= 40 * style[3] + 1
    page.shot("article-marks-light")


def test_the_reading_view_shows_site_author_french_date_and_a_safe_original_link(page, web_archive):
    article = web_archive.cli_json("show", web_archive.ids["seed"])
    page.goto(f"/article/{article['id']}")
    assert page.page.locator("article").get_attribute("lang") == "fr"
    meta = page.page.locator("article .meta").inner_text()
    assert article["site"] in meta
    for role in ("story0",):
        copy = web_archive.cli_json("show", web_archive.ids[role])
        page.goto(f"/article/{copy['id']}")
        assert "mars 2020" in page.page.locator("article .meta time").inner_text()
        link = page.page.locator("a", has_text="Lire sur le site d'origine")
        assert link.get_attribute("href") == copy["url"]
        assert link.get_attribute("rel") == "noopener noreferrer nofollow"


def test_versions_list_each_kept_version_with_its_text(page, web_archive):
    wanted = web_archive.ids["versioned"]
    versions = web_archive.cli_json("show", wanted, "--versions")["versions"]
    page.goto(f"/article/{wanted}")
    items = page.page.locator("section.versions details")
    assert items.count() == len(versions) == 2
    for item, version in zip(items.all(), versions, strict=True):
        assert version["sha256"] in item.text_content()
    items.first.locator("summary").click()
    assert "version du matin" in items.first.locator(".version-text").inner_text()
    assert "(actuelle)" in items.nth(1).locator("summary").inner_text()
    page.shot("article-versions-light")


def test_the_same_story_panel_lists_the_copies_in_publication_order(page, web_archive):
    group = next(g["articles"] for g in web_archive.cli_json("list", "--duplicates")
                 if web_archive.ids["story1"] in [a["id"] for a in g["articles"]])
    page.goto(f"/article/{web_archive.ids['story1']}")
    rows = page.page.locator("aside.same-story li")
    assert rows.count() == len(group) == 3
    dates = rows.locator("time").evaluate_all("els => els.map(e => e.dateTime)")
    assert dates == sorted(dates)
    assert "publié en premier" in rows.first.inner_text()
    assert rows.filter(has_text="publié en premier").count() == 1
    assert rows.filter(has_text="(cet article)").count() == 1
    page.shot("article-same-story-light")


def test_the_sandboxed_original_runs_no_script_and_loads_nothing_remote(open_page, web_archive):
    page = open_page()
    # The page's own scripts and remote loads are refused by the sandbox CSP, and
    # Chromium says so on the console: those refusals are what this test expects.
    page.allowed_console = re.compile(r"Content Security Policy|sandboxed|Blocked script")
    refused: list[str] = []
    page.page.on("requestfailed", lambda request: refused.append(
        f"{request.url} {request.failure}"))
    page.goto(f"/article/{web_archive.ids['script']}/original")
    page.page.wait_for_load_state("load")
    assert page.page.evaluate("document.title") == "<script>alert('titre')</script> Alerte aux " \
        "marées <img src=x onerror=alert(1)>"  # the page's script would have set "exécuté"
    # Chromium announces the page's remote loads, and its CSP refuses each before any
    # connection (Playwright reports the failure as "csp", not as a DNS error).
    remote, page.elsewhere = page.elsewhere, []
    # The sandbox runs no script, so the remote one is not even requested.
    assert sorted(remote) == ["https://tracker.example/pixel.gif?id=42",
                              "https://tracker.example/spy.css"]
    assert sorted(line.split(" ")[0] for line in refused if line.startswith("https:")) == sorted(remote)
    assert all(line.endswith(" csp") for line in refused), refused
    page.shot("original-sandboxed")


def test_hostile_pages_render_as_text(page, web_archive):
    page.goto(f"/article/{web_archive.ids['script']}")
    assert page.page.locator("h1").inner_text() == ("<script>alert('titre')</script> Alerte aux "
                                                    "marées <img src=x onerror=alert(1)>")
    assert page.page.locator("main script, main img, main [onerror]").count() == 0
    assert "<script>alert('corps')</script>" in page.page.locator("article .body").inner_text()
    page.shot("hostile-script-light")
    page.goto(f"/article/{web_archive.ids['template']}")
    assert page.page.locator("h1").inner_text().startswith("{{ 7*7 }} et {% include 'base.html' %}")
    assert "Ni ${7*7} ni <%= 7*7 %> ni {{ config }}" in page.page.locator("article").inner_text()
    page.goto(f"/article/{web_archive.ids['bidi']}")
    assert page.page.locator("h1").get_attribute("dir") == "auto"
    assert "\u202etxet esrever\u202c" in page.page.locator("h1").inner_text()
    page.goto(f"/article/{web_archive.ids['jslink']}")
    assert page.page.locator("a[href^='javascript:' i]").count() == 0
    assert "javascript:alert(document.cookie)" in page.page.locator("article code").inner_text()
    page.goto(f"/article/{web_archive.ids['long']}?q=marathon")
    assert page.page.locator("article mark").count() >= 181
    page.goto("/recherche?q=" + quote("marées"))
    assert "<script>alert('titre')</script>" in hit_titles(page)[0]
    assert page.page.locator("main script, main img").count() == 0


# --- browsing and stats -------------------------------------------------------------------

def test_browsing_by_site_and_month_lists_the_newest_first_paged(page, web_archive):
    page.goto("/parcourir")
    assert page.page.locator("#compte").inner_text().startswith(
        f"{len(web_archive.cli_json('list'))} articles")
    page.page.locator("ul.sites a", has_text="Le Monde").click()
    page.page.wait_for_url("**site=Le+Monde**")
    dates = page.page.locator("ol.listing time").evaluate_all("els => els.map(e => e.dateTime)")
    assert dates == sorted(dates, reverse=True) and len(dates) == 20
    page.page.click(".pager a[rel=next]")
    later = page.page.locator("ol.listing time").evaluate_all("els => els.map(e => e.dateTime)")
    assert later[0] <= dates[-1]
    page.page.locator("figure.timeline svg a").first.click()
    page.page.wait_for_url("**mois=**")
    assert "Le Monde" in page.page.locator("h1").inner_text()
    page.shot("browse-light")


def test_the_stats_page_counts_articles_per_month(page, web_archive):
    stats = web_archive.cli_json("stats")
    page.goto("/statistiques")
    assert f"{stats['articles']} articles" in page.page.locator("dl.figures").inner_text()
    rows = page.page.locator("table.months").first.locator("tbody tr td")
    assert sum(int(n) for n in rows.all_inner_texts()) == stats["articles"]
    page.shot("stats-light")


# --- without JavaScript, in the dark, for everyone -----------------------------------------

def test_the_whole_flow_works_with_javascript_off(open_page, web_archive):
    page = open_page(java_script_enabled=False)
    page.goto("/")
    page.page.fill("#q", "coalition")
    page.page.press("#q", "Enter")
    page.page.wait_for_url("**/recherche?q=coalition")
    assert shown_total(page) == web_archive.cli_json("search", "coalition")["total"]
    page.page.click(".pager a[rel=next]")
    page.page.wait_for_url("**page=2**")
    page.page.select_option("#tri", "date")
    page.page.click("form.sort button")
    page.page.wait_for_url("**sort=date**")
    page.page.locator("figure.timeline svg a").last.click()
    page.page.wait_for_url("**since=**")
    page.page.locator("ol.hits > li h2 a").first.click()
    page.page.wait_for_url("**/article/**")
    assert page.page.locator("article mark").count() >= 1
    page.page.click("a.next-mark")
    assert page.page.url.endswith("#m1")
    page.page.locator("section.versions").scroll_into_view_if_needed()
    page.shot("article-javascript-off")


def test_dark_mode_follows_the_system_setting(open_page):
    light, dark = open_page(color_scheme="light"), open_page(color_scheme="dark")
    backgrounds = []
    for each in (light, dark):
        each.goto("/recherche?q=coalition")
        backgrounds.append(each.page.evaluate(
            "getComputedStyle(document.documentElement).backgroundColor"))
    assert backgrounds[0] == "rgb(253, 252, 249)" and backgrounds[1] == "rgb(23, 22, 26)"
    dark.shot("search-dark")


def pages_to_scan(ids: dict[str, str]) -> list[tuple[str, str, int]]:
    return [("home", "/", 200), ("search", "/recherche?q=coalition", 200),
            ("search-filtered", "/recherche?q=coalition&site=Le+Soir&since=2020-03&until=2020-03", 200),
            ("search-empty", "/recherche?q=introuvablissime", 200),
            ("search-error", "/recherche?q=le", 400),
            ("article", f"/article/{ids['story1']}?q=coalition", 200),
            ("article-versions", f"/article/{ids['versioned']}", 200),
            ("article-hostile", f"/article/{ids['script']}", 200),
            ("browse", "/parcourir?site=Le+Soir", 200), ("stats", "/statistiques", 200),
            ("not-found", "/article/ffffffffffff", 404)]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_has_no_accessibility_violation(open_page, web_archive, scheme):
    # bypass_csp lets the test inject axe-core; the pages themselves allow no inline script.
    page = open_page(color_scheme=scheme, bypass_csp=True)
    page.allowed_console = re.compile(r"status of 40[04]")  # the error pages' own status
    found = {}
    for name, path, status in pages_to_scan(web_archive.ids):
        page.goto(path, status=status)
        page.page.add_script_tag(path=str(AXE))
        result = page.page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
        }""")
        if result:
            found[name] = result
        page.shot(f"{name}-{scheme}")
    assert found == {}


def test_axe_core_is_vendored_with_its_licence():
    assert AXE.read_text()[:40].startswith("/*! axe v4.14.1")
    assert "Mozilla Public License" in (AXE.parent / "LICENSE").read_text()
