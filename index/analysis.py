"""French analysis for index and query: one Whoosh Tokenizer | Filter | … chain.

tokenize (words, grouped numbers, inner apostrophes and hyphens; NFD marks kept in the
word) → Unicode NFKC → elision (l' d' qu' …) → compounds (parts + joined form; a verb's
inverted pronoun is no compound: sont-ils, a-t-il) → numbers and ordinals (Roman
ordinals in figures: XXIe = 21e) → lowercase → accent and ligature folding → press
spellings (jihad = djihad, Daesh = Daech) → French stop words → Snowball French stemming
(with small French fixes, see FrenchStemFilter: votent = vote).

Folding runs *before* stemming. That makes accent-insensitivity true by construction:
fold is idempotent, so analyze(w) = stem(fold(w)) = stem(fold(fold(w))) = analyze(fold(w))
for every word w (tests/test_analysis.py checks it with hypothesis). Stemming first and
folding after is not: Snowball strips "é"/"ée" only when accented, so "présidée" gives
"présid" but "presidee" gives "preside", and "créée"/"creee" differ the same way. On
folded text FrenchStemFilter puts that rule back (a final "ee" is "ée"), so "présidée",
"presidee" and "présidé" all give "presid".

Each filter keeps the token's character offsets in the original text, which snippets
use to highlight exactly the words as written.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode
from whoosh.analysis import Filter, LowercaseFilter, StopFilter, Tokenizer
from whoosh.analysis.acore import Token
from whoosh.lang import stopwords_for_language
from whoosh.lang.snowball.french import FrenchStemmer

APOSTROPHES = "'’ʼ`´"
HYPHENS = "-‐‑"
JOINERS = HYPHENS + APOSTROPHES
# Words with an apostrophe that is not an elision: one word, never split.
WHOLE_WORDS = frozenset(
    "aujourd'hui presqu'île presqu'ile quelqu'un quelqu'une prud'homme prud'hommes "
    "prud'homal prud'homale entr'ouvert".split()
)
def _is_auxiliary(word: str) -> bool:
    """A conjugated form of avoir or être, as Whoosh's French stop list has them."""
    return word.startswith(("aur", "av", "ay", "eu", "fu", "ser", "soi", "soy", "som",
                            "ét", "êt"))


ELIDED = frozenset("l d j m n s t c qu jusqu lorsqu puisqu quoiqu".split())
# Whoosh's French list plus what it lacks ("les", "a" …), folded, because folding runs
# first and a user may type "a" for "à" and "etait" for "était". The list's longer forms
# of avoir and être stay searchable: "aurait", "serait", "étaient" carry meaning in
# news titles ("X aurait refusé"), and "avions" is also the plural of avion.
_BASE_STOP = {w for w in stopwords_for_language("fr") if len(w) < 5 or not _is_auxiliary(w)} | {
    "les", "a", "aux", "au", "du", "des", "ou", "où", "si", "ni", "donc", "car", "ça", "cet",
    "cette", "ceux", "celle", "celui", "y", "là", "ci", "dont", "ces", "ils", "elles", "leurs",
}
FRENCH_STOP_WORDS = frozenset({unidecode(w) for w in _BASE_STOP})
# Question words: a question is searched without them ("Pourquoi les gardiens sont-ils en
# grève ?" is gardiens, grève), folded. Several are also stop words.
QUESTION_WORDS = frozenset(
    "quel quelle quels quelles lequel laquelle lesquels lesquelles auquel auxquels auxquelles "
    "duquel desquels desquelles combien comment pourquoi quand ou qui que quoi".split()
)
# What a question's grammar adds around its subject: the longer forms of être and avoir
# (kept searchable elsewhere, see _BASE_STOP) and the modal verbs ("Où était située… ?",
# "Que doit mesurer… ?", "Comment peut-on… ?"). A question is searched without them.
QUESTION_FILLERS = frozenset(
    {unidecode(w) for w in stopwords_for_language("fr") if _is_auxiliary(w)}
    | set("peut peuvent pouvait pouvaient pourrait pourraient doit doivent devait devaient "
          "devrait devraient faut fallait faudrait".split())
)
# Words that may come before a question's question word: "En quelle année…", "À partir
# de quand…", "Dans quel pays…".
QUESTION_LEADS = frozenset(
    "a en dans de d par pour avec sur sous chez vers depuis pendant selon partir contre "
    "entre parmi jusqu apres avant durant".split()
)
# Prefixes that French writes glued, hyphenated or spaced ("antidjihadiste",
# "anti-djihadiste", "anti djihadiste"). Used at query time only: splitting them at
# index time would make "national" find "international".
PREFIXES = (
    "anti", "contre", "pro", "post", "pre", "neo", "ultra", "extra", "super", "hyper",
    "inter", "multi", "semi", "mini", "micro", "macro", "auto", "non", "vice", "sous",
    "demi", "pseudo", "euro", "franco", "islamo", "israelo",
)  # not co-, ex-, mi-: "commission", "expulsion", "mission" would split

# A pronoun after a verb and a hyphen (sont-ils, a-t-il, qu'est-ce, celui-ci) is the
# verb then the pronoun, not a compound: "sont-ils" is not the word "sontils".
INVERTED_PRONOUNS = frozenset("je tu il elle on nous vous ils elles ce là la ci".split())
EUPHONIC_T = "t"  # a-t-il, va-t-on
NOT_INVERSIONS = frozenset({"rendez-vous", "jong-il"})  # nouns and names, not verb + pronoun
# Spellings the press writes both ways (Le Monde "djihadiste", AFP "jihadiste"), as
# (regular expression, the form indexed) on folded lowercase words: every engine applies
# the same ones (the OpenSearch settings are generated from this table).
PRESS_VARIANTS = (("(?<!d)jihad", "djihad"), ("daesh", "daech"), ("qaeda", "qaida"))

_SPACES = "\u00a0\u202f\u2009 "
_NUMBER_GROUPS = rf"\d{{1,3}}(?:[.,{_SPACES}]\d{{3}})+(?![\d])"
# Combining marks (re's \w has none): text typed or copied in NFD (macOS) keeps its
# accents inside the word.
_MARK = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u3099\u309a"
_WORD = rf"[^\W_][\w{_MARK}]*"
_JOIN = "[" + re.escape(APOSTROPHES + HYPHENS) + "]"
TOKEN_PATTERN = re.compile(
    rf"{_NUMBER_GROUPS}|\d+[.,]\d+(?![\w{_MARK}])|{_WORD}(?:{_JOIN}{_WORD})*"
)
_THOUSANDS = re.compile(_NUMBER_GROUPS)
_DIGIT_ORDINAL = re.compile(r"(\d+)(?:er|ère|ere|re|e|ème|eme|è|ᵉ|nd|nde|ᵉʳ)", re.IGNORECASE)
_ROMAN_ORDINAL = re.compile(r"([IVXLCDM]+)(e|è|ème|eme|er|ère|re|ᵉ)")
_FIRST_ENDINGS = ("er", "ère", "ere", "re", "ᵉʳ")


def _roman(number: int) -> str:
    tens, units = divmod(number, 10)
    return "X" * tens + ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")[units]


# Roman ordinals written in figures, up to XXXIXe (centuries, arrondissements, the Ve
# République): "XXIe siècle" finds "21e siècle". Only these: "Le", "De", "Ce" and "Me"
# are also Roman numerals followed by an e.
ROMAN_ORDINALS = {_roman(n): n for n in range(1, 40)}


class FrenchTokenizer(Tokenizer):
    """Words of letters and digits, keeping inner apostrophes (for elision) and hyphens
    (for compounds) and grouped numbers ("5.000", "5 000" with a normal, non-breaking
    or thin space) as one token."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for index, match in enumerate(TOKEN_PATTERN.finditer(value)):
            token.text = match.group(0)
            token.boost = 1.0
            token.stopped = False
            token.protected = False  # set by NumberFilter: numbers are not stemmed
            if keeporiginal:
                token.original = token.text
            if positions:
                token.pos = start_pos + index
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


class UnicodeFilter(Filter):
    """NFKC: decomposed accents (NFD) recomposed, ﬁ → fi, ᵉ → e, full-width → ASCII."""

    def __call__(self, tokens):
        for token in tokens:
            if not token.text.isascii():
                token.text = unicodedata.normalize("NFKC", token.text)
            yield token


class ElisionFilter(Filter):
    """Drop elided articles and pronouns: l'État → État, qu'il → il, jusqu'à → à.
    "aujourd'hui" is not an elision and stays one word; "Trump's" loses its "'s"."""

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            while True:
                match = _ELISION.match(text)
                if not match:
                    break
                if hasattr(token, "startchar"):
                    token.startchar += match.end()
                text = text[match.end():]
            if len(text) > 2 and text[-2] in APOSTROPHES and text[-1] in "sS":
                text = text[:-2]
                if hasattr(token, "endchar"):
                    token.endchar -= 2
            token.text = text
            yield token


_ELISION = re.compile(
    rf"(?:{'|'.join(sorted(ELIDED, key=len, reverse=True))})[{re.escape(APOSTROPHES)}](?=\w)",
    re.IGNORECASE,
)


class CompoundFilter(Filter):
    """A hyphenated word gives its parts, at consecutive positions, and the joined form
    at the first part's position: "anti-djihadiste" → anti, djihadiste, antidjihadiste;
    "États-Unis" → États, Unis, ÉtatsUnis. So all three spellings share terms. Words
    with a non-elided apostrophe ("Époqu'Auto") or mixing letters and digits ("4MATIC",
    "COVID19") are split the same way. An inverted pronoun is not joined: "sont-ils" is
    sont, ils; "a-t-il" is a, t, il (all three stop words)."""

    def __call__(self, tokens):
        shift = 0
        for token in tokens:
            if hasattr(token, "pos"):
                token.pos += shift
            parts = _split_compound(token.text)
            if len(parts) == 1:
                yield token
                continue
            text, first_pos = token.text, getattr(token, "pos", 0)
            start = getattr(token, "startchar", 0)
            head = len(parts) - _inverted_parts(text, parts)  # the parts joined
            offset = head_end = 0
            for number, part in enumerate(parts):
                offset = text.index(part, offset)
                token.text = part
                if hasattr(token, "pos"):
                    token.pos = first_pos + number
                if hasattr(token, "startchar"):
                    token.startchar, token.endchar = start + offset, start + offset + len(part)
                offset += len(part)
                if number < head:
                    head_end = offset
                yield token
            shift += len(parts) - 1
            if head < 2:
                continue
            if hasattr(token, "pos"):
                token.pos = first_pos
            if hasattr(token, "startchar"):
                token.startchar, token.endchar = start, start + head_end
            token.text = "".join(parts[:head])
            yield token


_NUMBER = re.compile(rf"[\d.,{_SPACES}]+")
_LETTERS_OR_DIGITS = re.compile(r"\d+|[^\W\d_]+")
_JOINER = re.compile("[" + re.escape(JOINERS) + "]")


def joins_as_compound(word: str) -> bool:
    """Whether a word's parts are also indexed joined (anti-djihadiste: yes; sont-ils,
    a-t-il: no, a verb and its inverted pronoun)."""
    while match := _ELISION.match(word):
        word = word[match.end():]
    parts = _split_compound(word)
    return len(parts) - _inverted_parts(word, parts) >= 2


def _inverted_parts(text: str, parts: list[str]) -> int:
    """How many of the last parts are an inverted pronoun (sont-ils: 1, a-t-il: 2)."""
    if len(parts) < 2 or not _HYPHEN.search(text) or text.lower() in NOT_INVERSIONS:
        return 0
    last = parts[-1].lower()
    if last not in INVERTED_PRONOUNS or not _HYPHEN_BEFORE_LAST.search(text):
        return 0
    if len(parts) >= 3 and parts[-2].lower() == EUPHONIC_T and _HYPHEN_T.search(text):
        return 2
    return 1


_HYPHEN = re.compile("[" + HYPHENS + "]")
_HYPHEN_BEFORE_LAST = re.compile("[" + HYPHENS + r"][^\W\d_]+$")
_HYPHEN_T = re.compile("[" + HYPHENS + "][tT][" + HYPHENS + r"][^\W\d_]+$")


def _split_compound(text: str) -> list[str]:
    """Parts of a word joined by hyphens or by apostrophes that are not elisions
    ("Époqu'Auto", "Z'amours"); the few words with an inner apostrophe stay whole."""
    if text.isalpha():
        return [text]  # most words: the fast path
    if not _JOINER.search(text):
        return _split_digits(text)
    if _fold_apostrophes(text).lower() in WHOLE_WORDS:
        return [text]
    return [piece for part in _JOINER.split(text) if part for piece in _split_digits(part)]


def _split_digits(text: str) -> list[str]:
    """"4MATIC" → 4, MATIC; "A320" → A, 320; ordinals (1er, 3e, XXe) stay whole."""
    if text.isalpha() or _NUMBER.fullmatch(text) or _DIGIT_ORDINAL.fullmatch(text):
        return [text]
    return _LETTERS_OR_DIGITS.findall(text) or [text]


def _fold_apostrophes(text: str) -> str:
    return re.sub("[" + re.escape(APOSTROPHES) + "]", "'", text)


class NumberFilter(Filter):
    """One term per number: 5.000, 5 000, 5,000 and 5000 → 5000; decimals keep a comma
    (2,5 and 2.5 → 2,5); ordinals 1er/1re → 1er, 3e/3ème → 3e, XXe/XXème → 20e, Ier → 1er.
    Numbers and ordinals are marked so the stemmer leaves them alone."""

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            if text[:1].isdigit():
                token.protected = True
                if _THOUSANDS.fullmatch(text):
                    token.text = re.sub(r"\D", "", text)
                elif (ordinal := _DIGIT_ORDINAL.fullmatch(text)):
                    first = ordinal.group(1) == "1" and text[1:].lower() in ("er", "ère", "ere", "re", "ᵉʳ")
                    token.text = ordinal.group(1) + ("er" if first else "e")
                else:
                    token.text = text.replace(".", ",")
            elif (roman := _ROMAN_ORDINAL.fullmatch(text)):
                token.protected = True
                number = ROMAN_ORDINALS.get(roman.group(1))
                if number is None:
                    token.text = roman.group(1) + "e"
                elif number == 1 and roman.group(2) in _FIRST_ENDINGS:
                    token.text = "1er"
                else:
                    token.text = f"{number}e"
            yield token


class AccentFoldFilter(Filter):
    """Fold accents and ligatures (é → e, œ → oe, æ → ae) and unify apostrophes, so the
    terms are the same whether or not the user types accents."""

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            if not text.isascii():
                token.text = fold(text)
            yield token


class PressVariantFilter(Filter):
    """One spelling for the words the press writes two ways (PRESS_VARIANTS): jihadiste
    → djihadiste, Daesh → Daech, al-Qaeda → al-Qaida."""

    def __call__(self, tokens):
        for token in tokens:
            if _VARIANT_LETTERS.search(token.text):
                token.text = press_spelling(token.text)
            yield token


_VARIANTS = [(re.compile(pattern), form) for pattern, form in PRESS_VARIANTS]
_VARIANT_LETTERS = re.compile("jihad|daesh|qaeda")


def press_spelling(word: str) -> str:
    """The indexed spelling of a folded lowercase word (PRESS_VARIANTS)."""
    for pattern, form in _VARIANTS:
        word = pattern.sub(form, word)
    return word


@lru_cache(maxsize=100_000)
def fold(text: str) -> str:
    """Accent and ligature folding of one word (idempotent: fold(fold(w)) == fold(w))."""
    folded = unidecode(unicodedata.normalize("NFC", text))
    return folded.replace("`", "'").replace("’", "'")


class FrenchStemFilter(Filter):
    """Snowball French on folded words, with the rules folding takes away put back:
    a final "ee"/"ees" is the participle "ée"/"ées" (presidee → presid); a plural s
    goes before Snowball runs, so plural and singular stem alike; -ais words
    stem with their feminine (français = française); and two
    verb-group fixes Snowball lacks: suspendre/suspendu → suspend, like "suspend"."""

    def __call__(self, tokens):
        for token in tokens:
            if not token.protected:
                token.text = stem(token.text)
            yield token


_STEMMER = FrenchStemmer()
# Snowball strips a plural s last, and only when no other suffix matched, so a plural
# and its singular can stem apart ("conflits" → conflit but "conflit" → confl;
# "commissions" → comm but "commission" → commiss) or the s stays (détenus, radios,
# amis). The s of a plural goes first. Not after s, nor in -ais/-ois/-uis, which are
# mostly singulars (français, mois, depuis).
_PLURAL_S = re.compile(r"(?<!s)(?<!ai)(?<!oi)(?<!ui)s$")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of one folded, lowercased word."""
    word = singular_verb(word)
    if len(word) > 4 and word.endswith(("ee", "ees")):
        word = word[:-1] if word.endswith("ee") else word[:-2] + "s"
    if len(word) > 3 and _PLURAL_S.search(word):
        word = word[:-1]
    elif len(word) > 5 and word.endswith("ais"):
        word += "e"  # français, anglais, palais: not the verb ending -ais Snowball strips
    stemmed = _STEMMER.stem(word)
    if len(stemmed) > 4 and stemmed.endswith(("dr", "du")):
        stemmed = stemmed[:-1]
    return stemmed


def singular_verb(word: str) -> str:
    """A verb's third person plural as its singular, which Snowball stems (votent → vote,
    manifestent → manifeste, créent → crée), leaving alone the imperfect (-aient, which
    Snowball stems), adverbs and nouns in -ement/-amment/-emment, vient and tient (third
    person singular), and the words in NOT_THIRD_PLURAL."""
    if (len(word) >= 6 and word.endswith("ent") and not word.endswith(_NOT_PLURAL_ENDINGS)
            and word not in NOT_THIRD_PLURAL):
        return word[:-2]
    return word


_NOT_PLURAL_ENDINGS = ("aient", "ement", "amment", "emment", "vient", "tient")
# Words in -ent that are not a verb's third person plural (or mostly not: président,
# violent), as the news corpus writes them, folded; and two verbs whose singular is
# another word (voient/voie, soient/soie).
NOT_THIRD_PLURAL = frozenset("""
    absent absolument accent accident adherent adjacent adolescent affluent aliment ambient
    ambivalent antecedent apparent ardent argent argument assentiment assidument assortiment
    auvent batiment blanchiment chatiment ciment client coefficient coherent coincident
    comment competent compliment compartiment concurrent confident confluent conscient
    consent consequent containment content continent contingent convalescent convergent
    copresident corpulent couvent current decadent decent deficient detergent detriment
    development different diligent dissident divergent document dument efficient eloquent
    emergent eminent empowerment endowment entertainment environment eperdument equivalent
    escient establishment evident excedent excellent feculent fervent fibrociment flament
    fluorescent fragment frequent gentiment goulument government hexavalent hyperpresident
    imminent impeachment impenitent impertinent imprudent incandescent incident incoherent
    incompetent inconscient inconsequent inconvenient indecent indefiniment independent
    indifferent indigent indulgent indument infiniment influent infotainment ingredient
    inherent innocent insolent instrument intelligent intermittent investment jacent joliment
    jument latent laurent ligament lorient lucent medicament mecontent moment monument
    negligent nogent occident omnipresent orient paravent parent parliament patent patient
    permanent pertinent piment poliment polyvalent precedent president pressentiment
    pretendument prevalent prudent quasiment recent recipient recurrent regent regiment
    resident resolument ressent ressentiment reticent segment sentiment serment serpent
    silent soient souvent strident student subconscient suraccident talent temperament
    tencent testament torrent tourment transparent trident trivalent truculent turbulent
    urgent vincent violent virulent voient vraiment
""".split())


def french_analyzer():
    """The analyzer used for titles and bodies at index time and for queries."""
    return (
        FrenchTokenizer()
        | UnicodeFilter()
        | ElisionFilter()
        | CompoundFilter()
        | NumberFilter()
        | LowercaseFilter()
        | AccentFoldFilter()
        | PressVariantFilter()
        | StopFilter(stoplist=FRENCH_STOP_WORDS, minsize=1, renumber=False)
        | FrenchStemFilter()
    )


def surface_analyzer():
    """Words as written, lowercased and folded but not stemmed: the spelling vocabulary
    for did-you-mean, and the analyzer of the author and site fields."""
    return (
        FrenchTokenizer()
        | UnicodeFilter()
        | ElisionFilter()
        | CompoundFilter()
        | LowercaseFilter()
        | AccentFoldFilter()
    )


class SurfaceRecorder(Filter):
    """Keeps each token's text as it is before numbers, case and accents are touched, so
    one pass of the French chain also yields the surface chain's words (index_terms)."""

    def __call__(self, tokens):
        for token in tokens:
            token.surface = token.text
            yield token


def _recording_analyzer():
    return (
        FrenchTokenizer()
        | UnicodeFilter()
        | ElisionFilter()
        | CompoundFilter()
        | SurfaceRecorder()
        | NumberFilter()
        | LowercaseFilter()
        | AccentFoldFilter()
        | PressVariantFilter()
        | StopFilter(stoplist=FRENCH_STOP_WORDS, minsize=1, renumber=False)
        | FrenchStemFilter()
    )


_SHARED = french_analyzer()
_RECORDING = _recording_analyzer()


def analyze(text: str) -> list[str]:
    """The index terms of a text, in order (for tests and query inspection)."""
    return [token.text for token in _SHARED(text)]


@lru_cache(maxsize=500_000)
def token_analysis(word: str) -> tuple[tuple[str | None, int, int, int, str], ...]:
    """What the French chain makes of one token alone, as (index term, or None for a stop
    word; position from the token's first; start and end offsets in the token; the word as
    written, folded). Every filter of the chain works token by token, so a text's analysis
    is the concatenation of its tokens' (tests/test_analysis.py checks it); news text
    repeats its words, so most tokens are analysed once per process."""
    if word.isalpha() and (word.isascii() or unicodedata.is_normalized("NFKC", word)) \
            and not _JOINER.search(word) and not _ROMAN_ORDINAL.fullmatch(word):
        # Most words: letters only (ʼ is a letter to Python, and an elision to us), already
        # composed, not an ordinal. The chain's filters
        # then do nothing but lowercase, fold, respell, drop a stop word and stem (10x faster).
        folded = _folded(word)
        term = press_spelling(folded) if _VARIANT_LETTERS.search(folded) else folded
        stopped = not term or term in FRENCH_STOP_WORDS  # the stop filter drops "" too
        return ((None if stopped else stem(term), 0, 0, len(word), folded),)
    return tuple((None if t.stopped else t.text, t.pos, t.startchar, t.endchar, _folded(t.surface))
                 for t in _RECORDING(word, positions=True, chars=True, removestops=False))


def _folded(surface: str) -> str:
    surface = surface.lower()
    return surface if surface.isascii() else fold(surface)


@lru_cache(maxsize=500_000)
def _token_terms(word: str) -> tuple[int, tuple[tuple[str, int], ...], tuple[str, ...]]:
    """(positions the token takes, its (term, position from the token's first), its
    surface words) for index_terms."""
    analysed = token_analysis(word)
    width = max((relative for _, relative, _, _, _ in analysed), default=0) + 1
    terms = tuple((term, relative) for term, relative, _, _, _ in analysed if term is not None)
    return width, terms, tuple(surface for _, _, _, _, surface in analysed)


def index_terms(text: str) -> tuple[list[tuple[str, int]], list[str]]:
    """One pass over a text for an engine that is fed analysed tokens: its French index
    terms with their positions (french_analyzer), and its words as written, in order
    (surface_analyzer). Two passes of the chain cost 0.61 + 0.40 ms per article."""
    terms: list[tuple[str, int]] = []
    words: list[str] = []
    position = 0
    for word in TOKEN_PATTERN.findall(text):
        width, analysed, surfaces = _token_terms(word)
        words += surfaces
        if width == 1 and len(analysed) == 1:
            terms.append((analysed[0][0], position))  # most words: one term
        else:
            terms += [(term, position + relative) for term, relative in analysed]
        position += width
    return terms, words


def term_offsets(text: str) -> list[tuple[int, int, str]]:
    """(start, end, index term) of every non-stop word of the text, for highlighting."""
    return [(start, end, term) for start, end, term, _ in term_positions(text)]


def term_positions(text: str) -> list[tuple[int, int, str, int]]:
    """(start, end, index term, position) of every non-stop word of the text: the
    positions the index gives them, for finding a phrase in a snippet."""
    found = []
    position = 0
    for match in TOKEN_PATTERN.finditer(text):
        at, width = match.start(), 0
        for term, relative, start, end, _ in token_analysis(match.group(0)):
            if term is not None:
                found.append((at + start, at + end, term, position + relative))
            width = max(width, relative + 1)
        position += width or 1
    return found
