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


def test_each_word_is_searched_in_the_title_and_the_body():
    term = parse("soldats").query
    assert isinstance(term, wq.Or)
    assert {q.fieldname for q in term.subqueries} == {"title", "body"}


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
    ("published:2020-13", "bad date"),
    ("published:2020-02-30", "bad date"),
    ("published:hier", "bad date"),
    ("published:2021..2020", "start is after the end"),
    ("published:..", "give at least one end"),
    ("", "empty"),
    ("le la les", "stop words"),
    ("- ! ?", "no words"),
    ('"(("', "no words"),
    ("x" * 1001, "too long"),
])
def test_what_cannot_be_read_even_literally_gets_one_clear_line(text, message):
    with pytest.raises(QueryError, match=message) as error:
        parse(text)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("text, reason, searched", [
    ("Isaac:Rebirth Iwata", "unknown field isaac:", "Isaac Rebirth Iwata"),
    ("sont)elles réduites", "unbalanced parenthesis", "sont elles réduites"),
    ('"État islamique', "unbalanced quote", "État islamique"),
    ("(Irak OR Iran", "unbalanced parenthesis", "Irak OR Iran"),
    ("Irak OR", "OR needs a word", "Irak or"),
    ("Irak NOT", "NOT needs a word", "Irak not"),
    ("Irak a*", "too short", "Irak a"),
])
def test_text_that_is_not_valid_syntax_is_searched_as_its_words(text, reason, searched):
    parsed = parse(text)
    assert reason in parsed.literal and "\n" not in parsed.literal
    assert parsed.text == searched


def test_valid_syntax_is_not_read_literally():
    assert parse("(Irak OR Iran) -Otan title:Soleimani").literal is None


@pytest.mark.parametrize("text", ["-" * 300 + "x", "(" * 330, "(" * 330 + "x", "NOT " * 200 + "x",
                                  "(" * 40 + "x" + ")" * 40])
def test_absurdly_deep_nesting_is_a_query_error_not_a_crash(text):
    with pytest.raises(QueryError, match="nests"):
        parse(text[:1000])


@pytest.mark.parametrize("text", [
    "Pourquoi les gardiens de prison sont-ils en grève ?", "combien de morts", "gardiens grève ?",
    "Qu'est-ce que le CETA", "Est-ce que le CETA est ratifié", "En quelle année est né Hugo",
    "À partir de quand", "Où est Charlie",
])
def test_a_question_ends_with_a_question_mark_or_starts_with_a_question_word(text):
    assert parse(text + " x" if text == "À partir de quand" else text).question


@pytest.mark.parametrize("text", ["gardiens prison grève", "Le Monde quand", "ou bien"])
def test_other_queries_are_not_questions(text):
    assert not parse(text).question


def test_a_question_is_searched_without_its_question_words_and_grammar():
    parsed = parse("Pourquoi les gardiens de prison sont-ils en grève ?")
    assert [word.text for word in parsed.plain] == ["gardiens", "prison", "grève"]
    assert parsed.dropped == ["Pourquoi"]
    parsed = parse("Comment peut-on accéder au Louvre ?")
    assert [word.text for word in parsed.plain] == ["accéder", "Louvre"]
    assert [word.text for word in parse("Qu'est-ce que le CETA ?").plain] == ["CETA"]


def test_question_words_are_words_outside_a_question():
    assert [word.text for word in parse("Macron pourquoi").plain] == ["Macron", "pourquoi"]


def test_plain_words_are_listed_apart_from_phrases_fields_and_exclusions():
    parsed = parse('soldats "État islamique" title:Irak -Otan coalition')
    assert [word.text for word in parsed.plain] == ["soldats", "coalition"]
    assert len(parsed.required) == 2 and len(parsed.excluded) == 1


def test_a_top_level_or_has_no_plain_words_to_relax():
    assert parse("Irak OR Iran").plain == []
    assert [w.text for w in parse("(Irak OR Iran) soldats").plain] == ["soldats"]


def test_quoted_phrases_are_highlighted_as_phrases_not_word_by_word():
    parsed = parse('"État islamique" Irak')
    assert parsed.phrases == [(["etat", "islam"], 1)]
    assert parsed.terms == {"irak"}


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
