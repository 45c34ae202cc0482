"""Snippets: whole-word fragments of the original text with every matched form highlighted."""

from __future__ import annotations

import unicodedata

from index.query import parse
from index.snippets import ELLIPSIS, MAX_SNIPPETS, make_snippets


def snippets(paragraphs: list[str], query: str):
    parsed = parse(query)
    return make_snippets(paragraphs, frozenset(parsed.terms), tuple(sorted(parsed.prefixes)),
                         phrases=parsed.phrases)


def highlighted(paragraphs: list[str], query: str) -> list[str]:
    return [s.text[a:b] for s in snippets(paragraphs, query) for a, b in s.highlights]


FILLER = ("Le conseil municipal a longuement débattu du budget de la commune, puis des "
          "travaux de voirie prévus pour le printemps prochain dans le quartier de la gare. ")


def test_every_matched_form_is_highlighted_as_written():
    body = ["Les soldats irakiens et un soldat irakien, puis les forces irakiennes."]
    assert highlighted(body, "soldat irakien") == [
        "soldats", "irakiens", "soldat", "irakien", "irakiennes"]


def test_elided_words_highlight_the_word_not_the_article():
    assert highlighted(["La lutte contre l’État islamique continue."], "etat") == ["État"]


def test_accents_typed_or_not_highlight_the_original():
    assert highlighted(["Manifestation à Téhéran."], "teheran") == ["Téhéran"]


def test_phrases_highlight_each_of_their_words():
    assert highlighted(["Le groupe État islamique recule."], '"etat islamique"') == [
        "État", "islamique"]


def test_a_phrase_highlights_its_words_only_where_they_make_the_phrase():
    body = ["Les États-Unis et la République islamique d'Iran s'opposent au groupe État "
            "islamique, qui recule."]
    assert highlighted(body, '"État islamique"') == ["État", "islamique"]


def test_the_fragment_with_the_phrase_comes_first():
    body = ["Les États-Unis et la République islamique d'Iran s'opposent, et l'Irak aussi.",
            FILLER * 3, "Plus loin, le groupe État islamique recule en Irak."]
    found = snippets(body, '"État islamique" Irak')
    assert found[0].text.startswith("Plus loin")
    assert [found[0].text[a:b] for a, b in found[0].highlights] == ["État", "islamique", "Irak"]
    assert [found[1].text[a:b] for a, b in found[1].highlights] == ["Irak"]


def test_a_phrase_across_an_elision_and_a_stop_word_is_found():
    assert highlighted(["Il défend le droit à l’avortement."], '"droit à l\'avortement"') == [
        "droit", "avortement"]


def test_compounds_highlight_once_whole():
    assert highlighted(["Abou Mehdi al-Mouhandis est mort."], "al-Mouhandis") == ["al-Mouhandis"]


def test_numbers_highlight_in_any_spelling():
    assert highlighted(["Quelque 5\u00a0000 soldats."], "5.000") == ["5\u00a0000"]


def test_prefix_queries_highlight_the_words_they_expand_to():
    assert highlighted(["Le confinement est confirmé."], "confin*") == ["confinement"]


def test_highlights_are_offsets_into_the_snippet_text():
    for snippet in snippets(["Après l’attaque contre Soleimani, Téhéran a juré de se venger."],
                            "Soleimani Téhéran"):
        assert [snippet.text[a:b] for a, b in snippet.highlights] == ["Soleimani", "Téhéran"]


def test_fragments_are_whole_words_with_an_ellipsis_at_each_cut():
    paragraph = FILLER * 3 + "Le maire a annoncé la fermeture du musée. " + FILLER * 3
    [snippet] = snippets([paragraph], "musée")
    assert snippet.text.startswith(ELLIPSIS + " ") and snippet.text.endswith(" " + ELLIPSIS)
    inner = snippet.text[2:-2]
    assert inner in paragraph
    start = paragraph.index(inner)
    assert paragraph[start - 1] == " " and paragraph[start + len(inner)] == " "


def test_an_unbroken_paragraph_has_no_ellipsis():
    [snippet] = snippets(["Le musée ferme."], "musée")
    assert snippet.text == "Le musée ferme."


def test_the_best_fragments_have_the_most_distinct_terms():
    body = ["Le budget de la culture augmente. " + FILLER * 2,
            FILLER * 2 + "Le budget du musée et le budget de la culture sont votés. " + FILLER * 2]
    parsed = parse("budget musée culture")
    [best] = make_snippets(body, frozenset(parsed.terms), limit=1)
    assert "musée" in best.text and "culture" in best.text


def test_at_most_three_fragments_in_text_order():
    body = [FILLER + f"Le musée numéro {n} ouvre. " + FILLER for n in range(6)]
    found = snippets(body, "musée")
    assert len(found) == MAX_SNIPPETS
    numbers = [int(s.text.split("numéro ")[1].split()[0]) for s in found]
    assert numbers == sorted(numbers)


def test_adjacent_fragments_are_merged():
    paragraph = "Le musée ouvre. " + "Le " * 40 + "musée ferme."
    assert len(snippets([paragraph], "musée")) == 1


def test_long_articles_past_32_kib_get_snippets_from_anywhere():
    body = [FILLER * 3 for _ in range(100)] + ["Enfin, le port de Zanzibar rouvre."]
    assert sum(len(p) for p in body) > 32 * 1024
    assert highlighted(body, "Zanzibar") == ["Zanzibar"]


def test_a_title_only_hit_shows_the_opening():
    [snippet] = snippets(["Premier paragraphe de l'article.", "Second."], "Zanzibar")
    assert snippet.text == "Premier paragraphe de l'article." and snippet.highlights == []


def test_decomposed_text_is_highlighted_at_the_right_place():
    text = unicodedata.normalize("NFD", "Manifestation à Téhéran hier.")
    [snippet] = snippets([text], "Téhéran")
    [(a, b)] = snippet.highlights
    assert unicodedata.normalize("NFC", snippet.text[a:b]) == "Téhéran"
