"""Property tests: no bytes, text copy or file name makes ingestion raise."""

from __future__ import annotations

import os
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.pages import PageError, read_page
from archive.printable import printable_name
from archive.textdump import parse_text_copy
from tests.conftest import SEED

SEED_LINES = SEED.read_text(encoding="utf-8").splitlines()
FURNITURE = ["Vos réactions", "Lire aussi", "PhotoNews", "© Belga", "Partager", "\u00a0", "",
             "Publié le 5 janvier 2020 à 14h32", "Par Jean Dupont",
             "Il vous reste 80% de cet article à lire."]

lines = st.lists(st.one_of(st.sampled_from(SEED_LINES + FURNITURE), st.text(max_size=200)), max_size=40)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines, st.sampled_from(["\n", "\r\n", "\r"]))
def test_text_copy_parser_never_raises_and_keeps_clean_paragraphs(parts, ending):
    article = parse_text_copy(ending.join(parts))
    assert "\n" not in article.title
    for paragraph in article.body:
        assert paragraph == paragraph.strip() and paragraph
        assert "\n" not in paragraph and "\r" not in paragraph


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_any_bytes_give_an_article_or_a_page_error(data):
    try:
        article = read_page(data, "fuzz", "fuzz.bin")
    except PageError as error:
        assert str(error)
    else:
        assert article.body and article.title


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(SEED_LINES), min_size=1, max_size=30), st.binary(max_size=50))
def test_mutated_text_copies_never_raise(picked, noise):
    data = "\n".join(picked).encode("utf-8")
    cut = len(data) // 2
    try:
        read_page(data[:cut] + noise + data[cut:], "fuzz", "fuzz.txt")
    except PageError:
        pass


@given(st.binary(min_size=1, max_size=60))
def test_any_file_name_prints_on_one_line_and_encodes(raw):
    printable = printable_name(os.fsdecode(raw))  # undecodable bytes arrive as surrogates
    assert "\n" not in printable and "\r" not in printable
    printable.encode("utf-8")  # storable in SQLite and printable on any terminal


@given(st.text(max_size=60))
def test_no_control_character_survives_printing_a_name(name):
    printable = printable_name(name)
    assert not any(unicodedata.category(char) in ("Cc", "Zl", "Zp", "Cs") for char in printable)
    assert printable_name(printable) == printable  # escaping twice changes nothing
