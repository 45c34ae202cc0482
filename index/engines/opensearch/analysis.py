"""The OpenSearch twin of index/analysis.py: index settings and mappings built from
OpenSearch's built-in analysis only, generated from the same constants (stop words,
elided articles, apostrophes, hyphens, whole words), so the two cannot drift silently.

french_archive (title, body) runs the steps of french_analyzer() in its order: marks,
elision, possessive 's, grouped numbers, ordinals, letter-digit and apostrophe joins,
inverted pronouns, hyphens (char filters, so the words keep Whoosh's positions) →
standard tokenizer → word_delimiter_graph (parts + joined form) → decimal comma →
Roman ordinals in figures → protect numbers and ordinals from the stemmer → lowercase →
asciifolding → press spellings → French stop words → the stem fixes of analysis.stem()
(third person plurals included) → Snowball French → the -dr/-du fix. french_surface (author,
site, the did-you-mean vocabulary) is surface_analyzer(): no stop words, no stemming.
Parity is measured by tests/test_opensearch_parity.py.
"""

from __future__ import annotations

import hashlib
import json

from index.analysis import (
    APOSTROPHES,
    ELIDED,
    EUPHONIC_T,
    FRENCH_STOP_WORDS,
    HYPHENS,
    INVERTED_PRONOUNS,
    NOT_INVERSIONS,
    NOT_THIRD_PLURAL,
    PRESS_VARIANTS,
    ROMAN_ORDINALS,
    WHOLE_WORDS,
)

# Bump when the mapping changes in a way the settings hash below does not show.
MAPPING_FORMAT = 3

_NOT_WORD_BEFORE = r"(?<![\p{L}\p{N}])"
_NOT_WORD_AFTER = r"(?![\p{L}\p{N}])"
_APOSTROPHE = "[" + "".join(APOSTROPHES) + "]"
_ORDINAL_ENDINGS = "ème|eme|ère|ere|er|re|nde|nd|e|è|ᵉʳ|ᵉ"
_KEEP = "\ue000"  # marks the apostrophe of a whole word while the others become joins
_HYPHEN = "[" + HYPHENS + "]"  # "-" first: a hyphen, not a range
_JOINERS = "".join(APOSTROPHES) + HYPHENS.replace("-", "\\-")
_JOINER = f"[{_JOINERS}]"
# The end of a token as FrenchTokenizer cuts it: no letter or digit next, nor a joiner
# that a letter or digit follows.
_TOKEN_END = rf"(?![\p{{L}}\p{{N}}_]|{_JOINER}[\p{{L}}\p{{N}}])"


def _alternatives(words) -> str:
    return "|".join(sorted(words, key=lambda w: (-len(w), w)))


def _whole_word_pattern() -> str:
    heads = {w.split("'")[0] for w in WHOLE_WORDS}
    tails = {w.split("'")[1] for w in WHOLE_WORDS}
    return (f"(?i){_NOT_WORD_BEFORE}({_alternatives(heads)}){_APOSTROPHE}"
            f"({_alternatives(tails)}){_NOT_WORD_AFTER}")


def _replace(pattern: str, replacement: str = "") -> dict:
    return {"type": "pattern_replace", "pattern": pattern, "replacement": replacement}


def char_filters() -> dict:
    """Steps Whoosh does inside its tokenizer and first filters, done on the text so
    the standard tokenizer sees one word where FrenchTokenizer does."""
    return {
        # NFD text (macOS): asciifolding leaves combining marks alone; dropping them
        # before folding gives the terms of NFKC then folding.
        "french_combining_marks": _replace(r"\p{M}+"),
        # l'État → État, kept as a char filter so the word starts after the article.
        "french_elision": _replace(
            rf"(?<![\p{{L}}\p{{N}}{''.join(APOSTROPHES)}])(?i:{_alternatives(ELIDED)})"
            rf"{_APOSTROPHE}(?=[\p{{L}}\p{{N}}])"),
        "french_possessive": _replace(rf"(?<=[\p{{L}}\p{{N}}]){_APOSTROPHE}[sS]{_NOT_WORD_AFTER}"),
        # FrenchTokenizer ends a grouped number before a decimal part: 1.234,56 → 1234, 56.
        "french_grouped_number_end": _replace(
            r"(?<![\d.,])(\d{1,3}(?:[.,\u00a0\u202f\u2009 ]\d{3})+)[.,](?=\d)", "$1 "),
        "french_number_groups": _replace(r"(?<=\d)[.,\u00a0\u202f\u2009 ](?=\d{3}(?!\d))"),
        "french_first_ordinal": _replace(
            rf"(?i){_NOT_WORD_BEFORE}1(?:ère|ere|er|re|ᵉʳ){_NOT_WORD_AFTER}", "1er"),
        "french_ordinals": _replace(
            rf"(?i){_NOT_WORD_BEFORE}(?!1er{_NOT_WORD_AFTER})(\d+)(?:{_ORDINAL_ENDINGS})"
            rf"{_NOT_WORD_AFTER}", "$1e"),
        # François Ier, Ire: 1er, as 1er and 1re are.
        "french_first_roman": _replace(
            rf"{_NOT_WORD_BEFORE}I(?:ère|ere|er|re|ᵉʳ){_NOT_WORD_AFTER}", "1er"),
        "french_roman_ordinals": _replace(
            rf"{_NOT_WORD_BEFORE}([IVXLCDM]+)(?:ème|eme|ère|ere|er|re|e|è|ᵉ){_NOT_WORD_AFTER}",
            "$1e"),
        # 4MATIC, COVID19, A320: letters and digits split like a compound; not 3e, 1er.
        "french_letter_digit": _replace(
            rf"(\p{{L}}(?=\p{{N}})|\p{{N}}(?!(?i:{_ORDINAL_ENDINGS}){_NOT_WORD_AFTER})(?=\p{{L}}))",
            "$1_"),
        "french_whole_words": _replace(_whole_word_pattern(), f"$1{_KEEP}$2"),
        # Époqu'Auto: an apostrophe that is not an elision joins like a hyphen.
        "french_apostrophe_joins": _replace(
            rf"(?<=[\p{{L}}\p{{N}}]){_APOSTROPHE}(?=[\p{{L}}\p{{N}}])", "_"),
        "french_whole_words_restored": {"type": "mapping", "mappings": [f"{_KEEP} => '"]},
        **_not_inversions(),
        # sont-ils, a-t-il, qu'est-ce: the verb then its pronoun, not a compound.
        "french_inverted_t": _replace(
            rf"(?iu)(?<=[\p{{L}}\p{{N}}]){_HYPHEN}{EUPHONIC_T}{_HYPHEN}"
            rf"({_alternatives(INVERTED_PRONOUNS)}){_TOKEN_END}", f" {EUPHONIC_T} $1"),
        "french_inverted": _replace(
            rf"(?iu)(?<=[\p{{L}}\p{{N}}]){_HYPHEN}({_alternatives(INVERTED_PRONOUNS)}){_TOKEN_END}",
            " $1"),
        # "_" keeps a compound one token for word_delimiter_graph (the standard
        # tokenizer splits on hyphens and would lose the joined form).
        "french_hyphens": {"type": "mapping", "mappings": [f"{h} => _" for h in HYPHENS]},
    }


def _not_inversions() -> dict:
    """rendez-vous and the like: their hyphen joins them before inversions are split."""
    filters = {}
    for number, word in enumerate(sorted(NOT_INVERSIONS)):
        head, tail = word.split("-")
        filters[f"french_not_inversion_{number}"] = _replace(
            rf"(?iu)(?<![\p{{L}}\p{{N}}{_JOINERS}])({head}){_HYPHEN}({tail}){_TOKEN_END}", "$1_$2")
    return filters


_CHAR_FILTERS = [
    "french_combining_marks", "french_elision", "french_possessive", "french_grouped_number_end",
    "french_number_groups",
    "french_first_ordinal", "french_first_roman", "french_ordinals", "french_roman_ordinals",
    "french_letter_digit", "french_whole_words", "french_apostrophe_joins",
    "french_whole_words_restored",
    *(f"french_not_inversion_{n}" for n in range(len(NOT_INVERSIONS))),
    "french_inverted_t", "french_inverted", "french_hyphens",
]
_SURFACE_CHAR_FILTERS = [name for name in _CHAR_FILTERS
                         if name not in ("french_first_ordinal", "french_first_roman",
                                         "french_ordinals", "french_roman_ordinals")]


def token_filters() -> dict:
    """Compounds, numbers, folding, stop words and the Snowball stemmer with the fixes
    of analysis.stem(); digit-initial words and ordinals are not stemmed (NumberFilter)."""
    return {
        "french_compounds": {
            "type": "word_delimiter_graph", "generate_word_parts": True,
            "generate_number_parts": True, "split_on_case_change": False,
            "split_on_numerics": False, "stem_english_possessive": False,
            "preserve_original": False, "catenate_all": True,
            "type_table": ["' => ALPHA", "\\u2019 => ALPHA", ". => DIGIT", ", => DIGIT"],
        },
        "french_decimal_comma": _replace(r"^(\d+)\.(\d+)$", "$1,$2"),
        # XXIe → 21e (ROMAN_ORDINALS), protected from the stemmer like every ordinal.
        "french_roman_figures": {"type": "stemmer_override", "rules": [
            f"{roman}e => {number}e" for roman, number in ROMAN_ORDINALS.items()]},
        "french_protected": {"type": "keyword_marker",
                             "keywords_pattern": r"^(?:\d.*|[IVXLCDM]+e)$"},
        **{f"french_variant_{n}": _replace(pattern, form)
           for n, (pattern, form) in enumerate(PRESS_VARIANTS)},
        "french_stop": {"type": "stop", "stopwords": sorted(FRENCH_STOP_WORDS)},
        # analysis.singular_verb(): votent → vote, not moment, vient, votaient.
        "french_third_plural": _replace(
            rf"^(?!(?:{_alternatives(NOT_THIRD_PLURAL)})$)(\D.{{2,}})"
            r"(?<!ai)(?<!em)(?<!amm)(?<!emm)(?<!vi)(?<!ti)ent$", "$1e"),
        # analysis.stem(), branch by branch; \D leaves numbers alone as NumberFilter does.
        "french_participle_ee": _replace(r"^(\D.{2,}e)e$", "$1"),
        "french_participle_ees": _replace(r"^(\D.{1,}e)es$", "$1s"),
        "french_plural_s": _replace(r"^(\D.{2,})(?<!s)(?<!ai)(?<!oi)(?<!ui)s$", "$1"),
        "french_ais": _replace(r"^(\D.{2,}ais)$", "$1e"),
        "french_snowball": {"type": "stemmer", "language": "french"},
        "french_stem_dr_du": _replace(r"^(\D.{2,}d)[ru]$", "$1"),
    }


def analyzers() -> dict:
    return {
        "french_archive": {
            "tokenizer": "standard", "char_filter": _CHAR_FILTERS,
            "filter": ["french_compounds", "flatten_graph", "french_decimal_comma",
                       "french_roman_figures", "french_protected", "lowercase", "asciifolding",
                       *(f"french_variant_{n}" for n in range(len(PRESS_VARIANTS))),
                       "french_stop", "french_third_plural", "french_participle_ee",
                       "french_participle_ees", "french_plural_s", "french_ais",
                       "french_snowball", "french_stem_dr_du"],
        },
        "french_surface": {
            "tokenizer": "standard", "char_filter": _SURFACE_CHAR_FILTERS,
            "filter": ["french_compounds", "flatten_graph", "lowercase", "asciifolding"],
        },
    }


def mappings() -> dict:
    """Fields as in index/schema.py: stemmed title, body and note, plain author and site,
    the tag keys, the date, `words` (title and body as written) for did-you-mean, and
    the facet columns."""
    text = {"type": "text", "analyzer": "french_archive", "copy_to": "words"}
    surface = {"type": "text", "analyzer": "french_surface"}
    return {
        "dynamic": "strict",
        "properties": {
            "title": text, "body": text, "author": surface, "site": surface,
            # schema.url_words (lowercase, unaccented) and schema.domains, as sent
            "url": {"type": "text", "analyzer": "whitespace"},
            "domains": {"type": "keyword"},
            # the user's: tag keys (each one whole term) and the note (French, no did-you-mean)
            "tags": {"type": "keyword"},
            "note": {"type": "text", "analyzer": "french_archive"},
            "published": {"type": "date", "format": "strict_date_optional_time"},
            "words": {**surface, "index_options": "docs", "norms": False},
            # the facet columns (index/schema.py): the site as written, the month YYYYMM
            "site_name": {"type": "keyword"},
            "month": {"type": "integer"},
        },
    }


def index_body(shards: int, replicas: int, k1: float, b: float) -> dict:
    """The body of the create-index request; `_meta.format` fingerprints the analysis."""
    settings = {
        "number_of_shards": shards, "number_of_replicas": replicas,
        # Every sync ends with an explicit refresh; between syncs, fewer small segments.
        "refresh_interval": "30s",
        "similarity": {"default": {"type": "BM25", "k1": k1, "b": b}},
        "analysis": {"char_filter": char_filters(), "filter": token_filters(),
                     "analyzer": analyzers()},
    }
    body = {"settings": settings, "mappings": mappings()}
    body["mappings"]["_meta"] = {"format": analysis_format(body)}
    return body


def analysis_format(body: dict) -> str:
    """A short fingerprint of the analysis and fields: another one means another index."""
    shape = {"analysis": body["settings"]["analysis"],
             "similarity": body["settings"]["similarity"],
             "properties": body["mappings"]["properties"], "format": MAPPING_FORMAT}
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:16]
