"""The French analyzer: each filter alone, then the whole chain, then properties."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from unidecode import unidecode

from index.analysis import (
    FRENCH_STOP_WORDS,
    AccentFoldFilter,
    CompoundFilter,
    ElisionFilter,
    FrenchStemFilter,
    FrenchTokenizer,
    NumberFilter,
    UnicodeFilter,
    analyze,
    fold,
    french_analyzer,
    index_terms,
    stem,
    surface_analyzer,
    term_offsets,
)


def run(chain, text: str) -> list[str]:
    return [token.text for token in chain(text)]


def spans(text: str) -> list[tuple[str, str]]:
    """(term, the original text it came from) for each token of the full chain."""
    return [(t.text, text[t.startchar:t.endchar]) for t in french_analyzer()(text, chars=True)]


# --- each filter alone ------------------------------------------------------------

def test_tokenizer_keeps_inner_apostrophes_hyphens_and_grouped_numbers():
    text = "l’État, anti-djihadiste 5 000 5.000 5\u00a0000 5\u202f000 2,5 % 1er"
    assert run(FrenchTokenizer(), text) == [
        "l’État", "anti-djihadiste", "5 000", "5.000", "5\u00a0000", "5\u202f000", "2,5", "1er"]


def test_tokenizer_keeps_decomposed_accents_inside_the_word():
    nfd = unicodedata.normalize("NFD", "Téhéran")
    assert run(FrenchTokenizer(), nfd) == [nfd]


def test_unicode_filter_recomposes_nfd_and_ligature_characters():
    chain = FrenchTokenizer() | UnicodeFilter()
    assert run(chain, unicodedata.normalize("NFD", "élève")) == ["élève"]
    assert run(chain, "ﬁnance") == ["finance"]


@pytest.mark.parametrize("word, expected", [
    ("l'État", "État"), ("l’État", "État"), ("lʼÉtat", "État"), ("d'Irak", "Irak"),
    ("j'accuse", "accuse"), ("m'inquiète", "inquiète"), ("n'oublie", "oublie"),
    ("s'engage", "engage"), ("t'aime", "aime"), ("c'est", "est"), ("qu'il", "il"),
    ("jusqu'à", "à"), ("lorsqu'Emmanuel", "Emmanuel"), ("puisqu'elle", "elle"),
    ("quoiqu'Airbus", "Airbus"), ("L'Élysée", "Élysée"), ("qu'aujourd'hui", "aujourd'hui"),
    ("aujourd'hui", "aujourd'hui"), ("Trump's", "Trump"),
])
def test_elision_filter_drops_elided_words_but_not_aujourdhui(word, expected):
    assert run(FrenchTokenizer() | ElisionFilter(), word) == [expected]


def test_elision_keeps_offsets_on_the_word_itself():
    assert spans("contre l’État")[-1] == ("etat", "État")


def test_compound_filter_gives_parts_then_the_joined_form():
    chain = FrenchTokenizer() | CompoundFilter()
    assert run(chain, "anti-djihadiste") == ["anti", "djihadiste", "antidjihadiste"]
    assert run(chain, "Époqu'Auto") == ["Époqu", "Auto", "ÉpoquAuto"]
    assert run(chain, "aujourd'hui") == ["aujourd'hui"]


def test_compound_parts_take_consecutive_positions_and_the_joined_form_the_first():
    tokens = [(t.text, t.pos) for t in french_analyzer()("coalition anti-djihadiste emmenée",
                                                           positions=True)]
    assert tokens == [("coalit", 0), ("anti", 1), ("djihad", 2), ("antidjihad", 1), ("emmen", 3)]


@pytest.mark.parametrize("number, expected", [
    ("5.000", "5000"), ("5 000", "5000"), ("5\u00a0000", "5000"), ("5\u202f000", "5000"),
    ("5\u2009000", "5000"), ("5,000", "5000"), ("5000", "5000"), ("1.000.000", "1000000"),
    ("2,5", "2,5"), ("2.5", "2,5"), ("2020", "2020"), ("1er", "1er"), ("1re", "1er"),
    ("1ère", "1er"), ("3e", "3e"), ("3ème", "3e"), ("XXe", "20e"), ("XXème", "20e"),
    ("XXIe", "21e"), ("Ier", "1er"), ("Ire", "1er"), ("IIe", "2e"), ("Ve", "5e"),
    ("XXXIXe", "39e"), ("Le", "Le"), ("De", "De"), ("Me", "Me"),
])
def test_number_filter_gives_one_term_per_number_and_ordinal(number, expected):
    assert run(FrenchTokenizer() | NumberFilter(), number) == [expected]


def test_accent_fold_filter_folds_accents_and_ligatures():
    chain = FrenchTokenizer() | AccentFoldFilter()
    assert run(chain, "État cœur Æsop Téhéran") == ["Etat", "coeur", "AEsop", "Teheran"]


def test_fold_is_idempotent_on_examples():
    for word in ("État", "cœur", "l’été", "naïve"):
        assert fold(fold(word)) == fold(word)


@pytest.mark.parametrize("a, b", [
    ("soldat", "soldats"), ("irakien", "irakiennes"), ("suspendre", "suspend"),
    ("suspendu", "suspend"), ("élection", "élections"), ("présidentielle", "présidentielles"),
    ("présidée", "présidé"), ("conflit", "conflits"), ("commission", "commissions"),
    ("détenu", "détenus"), ("français", "françaises"), ("journal", "journaux"),
])
def test_stem_filter_gives_inflections_one_stem(a, b):
    chain = FrenchTokenizer() | AccentFoldFilter() | FrenchStemFilter()
    assert run(chain, a) == run(chain, b)


def test_stem_filter_leaves_numbers_alone():
    chain = FrenchTokenizer() | NumberFilter() | FrenchStemFilter()
    assert run(chain, "1er 2020 XXe") == ["1er", "2020", "20e"]


def test_stop_words_include_les_des_du_au_aux_and_folded_forms():
    for word in ("les", "des", "du", "au", "aux", "a", "ete", "etes", "meme"):
        assert word in FRENCH_STOP_WORDS
    assert analyze("les des du au aux à été êtes même") == []


def test_ils_elles_and_leurs_are_stop_words_like_il_and_elle():
    assert analyze("ils elles leurs il elle leur") == []


def test_long_forms_of_avoir_and_etre_stay_searchable():
    assert analyze("Johnny aurait refusé") == ["johnny", "aur", "refus"]
    assert analyze("avions") == ["avion"]


@pytest.mark.parametrize("text, terms", [
    ("sont-ils", []), ("a-t-il", []), ("Qu'est-ce", []), ("est-ce", []), ("peut-on", ["peut"]),
    ("Va-t-elle", ["va"]), ("celui-ci", []), ("ce jour-là", ["jour"]),
])
def test_a_verb_and_its_inverted_pronoun_are_two_words_not_a_compound(text, terms):
    assert analyze(text) == terms


def test_an_inversion_keeps_the_positions_of_its_words():
    tokens = [(t.text, t.pos) for t in french_analyzer()("grève a-t-il duré", positions=True)]
    assert tokens == [("grev", 0), ("dur", 4)]


def test_nouns_that_look_like_inversions_stay_compounds():
    assert "rendezvou" in analyze("rendez-vous")
    assert "jongil" in analyze("Kim Jong-il")


@pytest.mark.parametrize("plural, singular", [
    ("votent", "vote"), ("manifestent", "manifeste"), ("créent", "crée"), ("arrivent", "arrive"),
    ("travaillent", "travaille"), ("estiment", "estime"),
])
def test_a_third_person_plural_stems_like_its_singular(plural, singular):
    assert analyze(plural) == analyze(singular)


@pytest.mark.parametrize("word, other", [
    ("président", "préside"), ("moment", "mome"), ("Laurent", "Laure"), ("vient", "vie"),
    ("voient", "voie"), ("soient", "soie"), ("client", "clie"), ("parent", "pare"),
])
def test_words_in_ent_that_are_not_plural_verbs_keep_their_stem(word, other):
    assert analyze(word) != analyze(other)


def test_the_imperfect_plural_is_left_to_snowball():
    assert analyze("votaient") == analyze("votait")


@pytest.mark.parametrize("a, b", [
    ("jihadiste", "djihadiste"), ("jihad", "djihad"), ("anti-jihadiste", "anti-djihadiste"),
    ("Daesh", "Daech"), ("al-Qaeda", "al-Qaïda"), ("XXIe siècle", "21e siècle"),
    ("Ve République", "5e République"), ("François Ier", "François 1er"),
])
def test_press_spellings_and_roman_ordinals_give_one_term(a, b):
    assert analyze(a) == analyze(b)


# --- the chain ---------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("État", "etat"), ("l'État", "Etat"), ("Téhéran", "teheran"), ("cœur", "coeur"),
    ("Œuvre", "oeuvre"), ("événement", "evenement"), ("élections présidentielles",
                                                     "election presidentielle"),
    ("États-Unis", "Etats-Unis"), ("5 000", "5.000"), ("5,000", "5000"),
    (unicodedata.normalize("NFD", "Téhéran"), "Téhéran"), ("XXe siècle", "XXème siècle"),
])
def test_chain_gives_the_same_terms_for_variants(a, b):
    assert analyze(a) == analyze(b)


def test_chain_keeps_years_ordinals_and_percentages():
    assert analyze("le 1er janvier 2020, au XXe siècle, 2,5 %") == [
        "1er", "janvi", "2020", "20e", "siecl", "2,5"]


def test_chain_offsets_point_at_the_words_as_written():
    text = "l’État et les États-Unis"
    assert spans(text) == [("etat", "État"), ("etat", "États"), ("uni", "Unis"),
                           ("etatsun", "États-Unis")]


# --- properties --------------------------------------------------------------------

french_letters = st.sampled_from(list("abcdeéèêëfghiîïjklmnoôœpqrstuùûüvwxyzçàâæ"))
french_words = st.text(french_letters, min_size=1, max_size=15)


@given(st.text())
@settings(max_examples=300)
def test_analysis_never_crashes_on_any_unicode(text):
    for token in french_analyzer()(text, chars=True, positions=True):
        assert token.startchar <= token.endchar
        assert isinstance(token.text, str)


@given(french_words)
def test_a_word_without_accents_gives_the_same_terms(word):
    assert analyze(word) == analyze(unidecode(word))


@given(st.text())
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


latin_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x24F))


@given(latin_text)
def test_nfd_and_nfc_text_give_the_same_terms(text):
    assert analyze(unicodedata.normalize("NFD", text)) == analyze(unicodedata.normalize("NFC", text))


@given(french_words)
def test_upper_and_lower_case_give_the_same_terms(word):
    assert analyze(word.upper()) == analyze(word.lower()) or "ß" in word


@given(st.text(st.sampled_from(list("abcdefghijklmnopqrstuvwxyz")), min_size=1, max_size=12))
def test_stem_is_stable_under_the_cache(word):
    assert stem(word) == stem(word)


# --- one pass, token by token: the same as the chains ------------------------------

news_like = st.text(st.sampled_from(list("aàbcçdeéèêfghijlmnoôpqrstuœ'’ʼ`´‐‑- .,0123456789ÉLQXVI"
                                         "\u00a0ﬁᵉ")), max_size=80)


@given(st.one_of(st.text(max_size=80), news_like))
@settings(max_examples=500, deadline=None)  # the first examples fill the analysis caches
def test_one_pass_gives_the_french_terms_at_their_positions_and_the_surface_words(text):
    terms, words = index_terms(text)
    assert terms == [(t.text, t.pos) for t in french_analyzer()(text, positions=True)]
    assert words == [t.text for t in surface_analyzer()(text)]


@given(st.one_of(st.text(max_size=80), news_like))
@settings(max_examples=500, deadline=None)
def test_term_offsets_are_the_chains_offsets(text):
    assert term_offsets(text) == [(t.startchar, t.endchar, t.text)
                                  for t in french_analyzer()(text, chars=True)]


@pytest.mark.parametrize("text", ["jihadistes", "Daesh", "al-Qaeda", "XXIe", "votent", "sont-ils"])
def test_one_pass_respells_and_stems_as_the_chain(text):
    assert index_terms(text)[0] == [(t.text, t.pos) for t in french_analyzer()(text, positions=True)]
