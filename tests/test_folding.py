"""Folding whole texts: the same as unidecode, character for character."""

from __future__ import annotations

import warnings

from hypothesis import given, settings
from hypothesis import strategies as st
from unidecode import unidecode

from archive.folding import fold_text


@given(st.text())
@settings(max_examples=300)
def test_folding_gives_what_unidecode_gives_for_any_text(text):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = unidecode(text)
    assert fold_text(text) == expected


def test_french_text_folds_accents_ligatures_and_quotes():
    assert fold_text("L’État «suspend» l'œuvre à Téhéran") == "L'Etat <<suspend>> l'oeuvre a Teheran"
