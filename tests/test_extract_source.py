"""The cuts made in a page's source before parsing: the same cuts the lazy regular
expressions made, in work linear in the page's length whatever the markup.

Nothing here is timed: each scan counts the characters its searches go over, and for
hostile pages of 10 KB to 1 MB that count stays under a few times the page's length.
The regular expressions they replace went over the rest of the page again from every
unclosed tag, n²/2 characters (bench/extraction_linear.py prints the times)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.extract import extract_article
from archive.extract.source import Scan, cut_unseen, cut_void_tags, head_tags, json_ld_texts, strip_source

# What the previous code cut with regular expressions (quadratic on unclosed tags).
REGEX_UNSEEN = re.compile(r"<(script|style|svg|template|iframe|object|canvas)\b[^>]*>.*?</\1\s*>|<!--.*?-->",
                          re.IGNORECASE | re.DOTALL)
REGEX_VOID = re.compile(r"<(?:img|source|link|meta|input|wbr|track|param|area)\b[^>]*>", re.IGNORECASE)
REGEX_JSON_LD = re.compile(r"<script\b[^>]*?type\s*=\s*[\"']?application/ld\+json[^>]*>(.*?)</script\s*>",
                           re.IGNORECASE | re.DOTALL)

HOSTILE = {
    "unclosed scripts": "<script>",
    "a script tag without its >": "<script ",
    "images without >": "<img ",
    "unclosed comments": "<!--",
    "empty comments": "<!---->",
    "a style around scripts": "<style><script>",
    "unclosed JSON-LD scripts": '<script type="application/ld+json">',
    "meta tags without >": "<meta ",
    "whitespace after a tag": ">          ",
}
SIZES = (10_000, 100_000, 1_000_000)
LINEAR = 6  # characters gone over, per character of the page


def repeated(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_source_cuts_go_over_a_hostile_page_a_bounded_number_of_times(case, size):
    html = repeated(HOSTILE[case], size)
    assert strip_source(html)[1] <= LINEAR * size
    for reader in (json_ld_texts, head_tags):
        scan = Scan(html)
        reader(scan)
        assert scan.scanned <= LINEAR * size


@pytest.mark.parametrize("size", SIZES)
def test_frame_cut_of_closings_before_openings_is_linear(size):
    html = "</nav>" * (size // 11) + "<nav>" * (size // 11)  # as many of each: the cut runs
    assert strip_source(html)[1] <= LINEAR * size


def test_a_page_after_an_unclosed_script_still_gives_its_article_before_it():
    paragraph = "<p>" + "Le conseil municipal a voté le budget de la ville pour l'an prochain. " * 3 + "</p>"
    html = f"<html><body><article><h1>Le budget voté</h1>{paragraph * 2}</article>" + "<script>" * 30_000
    article = extract_article(html.encode())
    assert article.title == "Le budget voté" and len(article.body) == 1


MARKUP = st.lists(st.sampled_from([
    "<script>", "</script>", "<SCRIPT type=x>", "</script >", "<style>", "</style>", "<svg>", "</svg>",
    "<!--", "-->", "<iframe src=a>", "</iframe>", "<img src=x>", "<img", "<meta a=b>", "<p>", "</p>",
    "texte", " ", ">", "<", "<scripts>", "<template>", "</template>", "<link rel=a>",
]), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(MARKUP)
def test_the_scan_cuts_exactly_what_the_regular_expressions_cut(html):
    assert cut_unseen(Scan(html)) == REGEX_UNSEEN.sub(" ", html)
    assert cut_void_tags(Scan(html)) == REGEX_VOID.sub(" ", html)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([
    "<script>", "</script>", '<script type="application/ld+json">', "<script type='application/ld+json' a>",
    '{"a": 1}', "texte", ">", "<", "</script >",
]), max_size=30).map("".join))
def test_json_ld_texts_are_what_the_regular_expression_found(html):
    assert json_ld_texts(Scan(html)) == REGEX_JSON_LD.findall(html)
