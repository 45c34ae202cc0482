"""The query language: what each construct parses to, and clear errors for bad syntax."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from index.query import QueryError, lex, parse, parse_period_range, period


def kinds(text: str) -> list[str]:
    return [lexeme.kind for lexeme in lex(text)]


def test_lexer_reads_operators_phrases_fields_and_words():
    assert kinds('(Irak OR Iran) -Otan NOT x "l\'État" title:y') == [
        "(", "word", "OR", "word", ")", "-", "word", "NOT", "word", "phrase", "field", "word"]


def test_lowercase_or_and_not_are_words_not_operators():
    assert kinds("or and not") == ["word", "word", "word"]


def test_a_hyphen_inside_a_word_is_not_a_negation():
    assert kinds("anti-djihadiste") == ["word"]


def test_french_quotes_make_a_phrase():
    assert kinds("«État islamique»") == ["phrase"]


def test_all_words_are_required_by_default():
    parsed = parse("soldats irakiens").query
    assert isinstance(parsed, wq.And) and len(parsed.subqueries) == 2


def test_each_word_is_searched_in_the_title_weighted_above_the_body():
    term = parse("soldats").query
    assert isinstance(term, wq.Or)
    boosts = {q.fieldname: q.boost for q in term.subqueries}
    assert boosts["title"] > boosts["body"]


def test_or_gives_either():
    assert isinstance(parse("Irak OR Iran").query, wq.Or)


def test_minus_and_not_exclude():
    for text in ("Irak -Otan", "Irak NOT Otan"):
        parsed = parse(text).query
        assert isinstance(parsed, wq.And)
        assert any(isinstance(q, wq.Not) for q in parsed.subqueries)


def test_only_excluded_words_mean_everything_but_those():
    parsed = parse("-Otan").query
    assert isinstance(parsed.subqueries[0], wq.Every)


def test_a_phrase_keeps_word_order_across_elisions_and_accents():
    assert parse('"l’État islamique"').query == parse('"etat islamique"').query


def test_numbers_typed_with_spaces_are_one_number():
    assert parse("5 000 soldats").query == parse("5000 soldats").query


def test_excluded_words_are_not_highlighted():
    assert parse("Irak -Otan").terms == {"irak"}


def test_prefix_star_keeps_the_stem_too():
    parsed = parse("soldats*")
    assert parsed.prefixes == {"soldats", "soldat"}


def test_fields_target_their_field():
    parsed = parse("title:Irak author:Dupont site:lesoir").query
    assert {q.fieldname for q in parsed.subqueries} == {"title", "author", "site"}


@pytest.mark.parametrize("text, start, end", [
    ("2020", datetime(2020, 1, 1), datetime(2020, 12, 31, 23, 59, 59, 999999)),
    ("2020-02", datetime(2020, 2, 1), datetime(2020, 2, 29, 23, 59, 59, 999999)),
    ("2020-01..2020-03", datetime(2020, 1, 1), datetime(2020, 3, 31, 23, 59, 59, 999999)),
    ("2019-12-31..2020-01-01", datetime(2019, 12, 31), datetime(2020, 1, 1, 23, 59, 59, 999999)),
    ("2020-01..", datetime(2020, 1, 1), None),
    ("..2020-03", None, datetime(2020, 3, 31, 23, 59, 59, 999999)),
])
def test_date_ranges_cover_whole_periods_including_dashed_end_dates(text, start, end):
    assert parse_period_range(text) == (start, end)


def test_a_day_is_one_whole_day():
    first, last = period("2020-01-05")
    assert (first.day, last.day, last.hour) == (5, 5, 23)


@pytest.mark.parametrize("text, message", [
    ('"État islamique', "unbalanced quote"),
    ("(Irak OR Iran", "unbalanced parenthesis"),
    ("Irak)", "unbalanced parenthesis"),
    ("foo:bar", "unknown field foo:"),
    ("published:2020-13", "bad date"),
    ("published:2020-02-30", "bad date"),
    ("published:hier", "bad date"),
    ("published:2021..2020", "start is after the end"),
    ("published:..", "give at least one end"),
    ("Irak OR", "OR needs a word"),
    ("Irak NOT", "NOT needs a word"),
    ("", "empty"),
    ("le la les", "stop words"),
    ("- ! ?", "no words"),
    ("a*", "too short"),
    ("x" * 1001, "too long"),
])
def test_bad_syntax_gets_one_clear_line(text, message):
    with pytest.raises(QueryError, match=message) as error:
        parse(text)
    assert "\n" not in str(error.value)


def test_a_colon_followed_by_a_space_is_plain_punctuation():
    assert parse("Mort de Soleimani: la coalition").terms == {"mort", "soleiman", "coalit"}


def test_a_time_is_not_a_field():
    parse("12:30 Irak")


@given(st.text(max_size=80))
@settings(max_examples=300)
def test_parsing_any_text_gives_a_query_or_a_query_error(text):
    try:
        parsed = parse(text)
    except QueryError:
        return
    assert isinstance(parsed.query, wq.Query)


@given(st.lists(st.sampled_from(['Irak', 'OR', 'NOT', '-', '(', ')', '"', 'title:', 'x*',
                                 'published:2020', 'l’État', '5 000', 'anti-', ':']), max_size=10))
def test_parsing_any_mix_of_operators_gives_a_query_or_a_query_error(parts):
    try:
        parse(" ".join(parts))
    except QueryError:
        pass
