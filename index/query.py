"""The query language, parsed by hand into Whoosh queries.

    soldats irakiens          all words required (each in the title or the body)
    Irak OR Iran              either word; AND is the default and may be written
    NOT Otan, -Otan           without the word
    "l'État islamique"        exact phrase, across elisions, accents and stop words
    (Irak OR Iran) -Otan      grouping
    title:Soleimani  author:Dupont  site:"Le Soir"  site:lemonde.fr  published:2020-01..2020-03
    url:lemonde.fr/international  words of the article's URL, in this order
    tag:benalla  tag:"affaire Benalla"   a whole tag name (case and accents aside)
    note:témoin               words of the user's note (French analysis)
    djihad*                   words starting with a prefix

A question ("Pourquoi les gardiens sont-ils en grève ?") is searched without its
question words; text that is not valid syntax ("Isaac:Rebirth", "sont)elles") is read
as the plain words it holds, and the parsed query says why (`literal`). The top-level
plain words are listed apart (`plain`), for index/search.py to relax them.

Whoosh's own parser is not used: its plugins split "anti-djihadiste" and "5 000" into
unrelated words, DateParserPlugin misreads dashed end dates ("2020-01..2020-03"), and
it passes the analyzer over prefixes, which stems "soldats*" to nothing useful.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import datetime

from whoosh import query as wq

from archive.tags import tag_key
from index import ranking
from index.analysis import (
    PREFIXES,
    QUESTION_FILLERS,
    QUESTION_LEADS,
    QUESTION_WORDS,
    fold,
    french_analyzer,
    joins_as_compound,
    stem,
    surface_analyzer,
)
from index.schema import FRENCH_FIELDS, SEARCH_FIELDS, url_words

MAX_QUERY_CHARS = 1000
MAX_NESTING = 20  # parentheses and NOT inside each other: deeper is no query a person types
QUOTES = {'"': '"', "«": "»", "“": "”", "„": "“"}
KNOWN_FIELDS = ("title", "author", "site", "published", "body", "url", "tag", "note")
_DOMAIN = re.compile(r"(?:www\.)?((?:[a-z0-9-]+\.)+[a-z]{2,})\.?", re.IGNORECASE)
_NUMBER_SPACES = re.compile(r"(?<![\d,.])(\d{1,3})((?:[ \u00a0\u202f\u2009]\d{3})+)(?![\d,.])")
_FIELD = re.compile(r"([A-Za-z]+):(?=[^\s)])")
_WORD_CHARS = re.compile(r'[^\s()"«»“”„]+')
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")

_TEXT = french_analyzer()
_SURFACE = surface_analyzer()


class QueryError(Exception):
    """The query cannot be run; the message says why, in one line, for the user."""


class QuerySyntaxError(QueryError):
    """The text is not valid query syntax; parse() then reads it as plain words."""


@dataclass
class QueryWord:
    """A plain word of the query: what was typed, its query, and its index terms (one
    list per way the word can match: a compound matches joined or as its parts)."""

    text: str
    query: wq.Query
    variants: list[list[str]] = field(default_factory=list)


@dataclass
class ParsedQuery:
    """The Whoosh query and what relaxation, snippets and suggestions need to know."""

    query: wq.Query
    terms: set[str] = field(default_factory=set)  # index terms to highlight anywhere
    phrases: list[tuple[list[str], int]] = field(default_factory=list)  # (terms, slop)
    prefixes: set[str] = field(default_factory=set)  # prefix* stems to highlight
    words: list[tuple[int, int, str]] = field(default_factory=list)  # plain words typed
    text: str = ""  # the query as parsed (numbers joined); `words` offsets point into it
    # When the query is one list of required parts (no top-level OR): its plain words,
    # the other required parts (phrases, fields, groups, prefixes) and the excluded ones.
    plain: list[QueryWord] = field(default_factory=list)
    required: list[wq.Query] = field(default_factory=list)
    excluded: list[wq.Query] = field(default_factory=list)
    question: bool = False  # a question: its question words are not searched for
    dropped: list[str] = field(default_factory=list)  # the question words left out
    literal: str | None = None  # why the text was read as plain words, if it was
    # Set by index/search.py build_query: the ranking bonuses, the option filters, and
    # whether the plain words may be relaxed.
    bonus: wq.Query | None = None
    filters: list[wq.Query] = field(default_factory=list)
    relaxable: bool = False


@dataclass
class _Lexeme:
    kind: str  # "(", ")", "OR", "AND", "NOT", "-", "field", "phrase", "word"
    text: str
    start: int = 0
    end: int = 0
    glued: bool = False  # a field value written right after "field:"


def parse(text: str) -> ParsedQuery:
    """The Whoosh query for the user's text; raises QueryError for an unusable query.
    Text that is not valid syntax is searched as the plain words it holds."""
    text = " ".join(text.split())
    if not text:
        raise QueryError("the query is empty")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is too long ({len(text)} characters, at most {MAX_QUERY_CHARS})")
    text = normalize_numbers(text)
    try:
        return _parse(text)
    except QuerySyntaxError as error:
        reason = str(error)
    try:  # the words with their operators: "(Irak OR Iran" is Irak OR Iran
        parsed = _parse(literal_words(text, operators=True))
    except QuerySyntaxError:
        parsed = _parse(literal_words(text))
    parsed.literal = reason
    return parsed


def _parse(text: str) -> ParsedQuery:
    parser = _Parser(text, lex(text), question=is_question(text))
    built = parser.parse_all()
    if built is None and not any(char.isalnum() for char in text):
        raise QueryError(f"the query {text!r} has no words to search for")
    if built is None:
        raise QueryError(f"the query {text!r} has only common words (stop words such as "
                         "le, la, les, de, des); add a word that says what to find")
    parser.result.query = built
    parser.result.text = text
    return parser.result


_SYNTAX = re.compile(r'[()"«»“”„]|(?<![\w])[-]+|\*+(?![\w])|(?<=\w):(?=\S)')


def literal_words(text: str, operators: bool = False) -> str:
    """The words of a text that is not valid syntax: parentheses, quotes, a leading - or
    a field's colon become spaces; OR, AND and NOT stay operators if `operators`, else
    they are words too."""
    words = _SYNTAX.sub(" ", text).split()
    if operators:
        return " ".join(words)
    return " ".join(w.lower() if w in ("OR", "AND", "NOT") else w for w in words)


_LETTERS = re.compile(r"[^\W\d_]+")


def is_question(text: str) -> bool:
    """A question ends with "?" or starts with a question word, perhaps after a
    preposition: "Pourquoi…", "Qu'est-ce…", "Est-ce que…", "En quelle année…"."""
    if text.rstrip().endswith("?"):
        return True
    lowered = text.lower()
    if lowered.startswith("est-ce"):
        return True
    for word in _LETTERS.findall(lowered):
        if word in QUESTION_STARTS:
            return True
        if fold(word) not in QUESTION_LEADS:
            return False
    return False


# "où" but not "ou" (or) starts a question.
QUESTION_STARTS = (QUESTION_WORDS - {"ou"}) | {"où", "qu"}


def _question_word(text: str) -> bool:
    """A question word, or a verb a question's grammar adds ("était", "peut-on")."""
    folded = fold(text.lower()).rstrip("?")
    if "-" in folded and not joins_as_compound(text):
        folded = folded.split("-")[0]
    return folded in QUESTION_WORDS or folded in QUESTION_FILLERS


def lex(text: str) -> list[_Lexeme]:
    """Split the query into parentheses, operators, phrases, field names and words."""
    lexemes: list[_Lexeme] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == " ":
            i += 1
        elif char in "()":
            lexemes.append(_Lexeme(char, char, i, i + 1))
            i += 1
        elif char in QUOTES or char in "»”":
            close = QUOTES.get(char)
            end = text.find(close, i + 1) if close else -1
            if end == -1 and char == "„":
                end = text.find("”", i + 1)
            if end == -1:
                raise QuerySyntaxError(f"unbalanced quote {char} in the query: close the phrase "
                                       f"with {close or char}")
            lexemes.append(_Lexeme("phrase", text[i + 1:end], i, end + 1, _after_field(lexemes, i)))
            i = end + 1
        elif char == "-" and (i + 1 < len(text) and text[i + 1] not in " )") and not _after_field(lexemes, i):
            lexemes.append(_Lexeme("-", "-", i, i + 1))
            i += 1
        elif (match := _FIELD.match(text, i)) and not text[i].isdigit() and not _after_field(lexemes, i):
            lexemes.append(_Lexeme("field", match.group(1).lower(), i, match.end()))
            i = match.end()
        else:
            match = _WORD_CHARS.match(text, i)
            assert match is not None  # every other character starts a lexeme above
            word = match.group(0)
            kind = word if word in ("OR", "AND", "NOT") else "word"
            lexemes.append(_Lexeme(kind, word, i, match.end(), _after_field(lexemes, i)))
            i = match.end()
    return lexemes


def _after_field(lexemes: list[_Lexeme], at: int) -> bool:
    return bool(lexemes) and lexemes[-1].kind == "field" and lexemes[-1].end == at


class _Parser:
    """Recursive descent: or := and ("OR" and)*; and := unary+; unary := NOT unary | primary."""

    def __init__(self, text: str, lexemes: list[_Lexeme], question: bool = False):
        self.text = text
        self.lexemes = lexemes
        self.at = 0
        self.depth = 0
        self.variants: list[list[str]] = []  # the index terms of the last word or phrase built
        self.result = ParsedQuery(query=wq.NullQuery, question=question)

    def parse_all(self) -> wq.Query | None:
        built = self.parse_or(SEARCH_FIELDS, negated=False, top=True)
        if self.at < len(self.lexemes):
            raise QuerySyntaxError(f"unbalanced parenthesis in the query {self.text!r}: "
                                   "a ) has no matching (")
        return built

    def peek(self) -> _Lexeme | None:
        return self.lexemes[self.at] if self.at < len(self.lexemes) else None

    def next_kind(self) -> str | None:
        """The kind of the next lexeme, None at the end."""
        lexeme = self.peek()
        return lexeme.kind if lexeme else None

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise QueryError(f"the query nests parentheses or NOT more than {MAX_NESTING} "
                             "deep: write it flatter")

    def parse_or(self, fields: tuple[str, ...], negated: bool, top: bool = False) -> wq.Query | None:
        branches = [self.parse_and(fields, negated, top)]
        while (lexeme := self.peek()) and lexeme.kind == "OR":
            self.at += 1
            if self.next_kind() in (None, ")", "OR"):
                raise QuerySyntaxError("OR needs a word on each side")
            branches.append(self.parse_and(fields, negated))
        if top and len(branches) > 1:  # Irak OR Iran: no list of required words to relax
            self.result.plain, self.result.required, self.result.excluded = [], [], []
        kept = [b for b in branches if b is not None]
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else wq.Or(kept)

    def parse_and(self, fields: tuple[str, ...], negated: bool, top: bool = False) -> wq.Query | None:
        required: list[wq.Query] = []
        excluded: list[wq.Query] = []
        plain: list[QueryWord] = []
        while (lexeme := self.peek()) and lexeme.kind not in (")", "OR"):
            if lexeme.kind == "AND":
                self.at += 1
                continue
            if lexeme.kind in ("NOT", "-"):
                self.at += 1
                if self.next_kind() in (None, ")", "OR", "AND"):
                    raise QuerySyntaxError(f"{lexeme.text} needs a word after it")
                self.deeper()
                built = self.parse_unary(fields, not negated)
                self.depth -= 1
                if built is not None:
                    excluded.append(built)
                continue
            start = self.at
            built = self.parse_prefixed_compound(fields, negated) or self.parse_unary(fields, negated)
            if built is None:
                continue
            required.append(built)
            typed = self.lexemes[start:self.at]
            if all(t.kind == "word" and not t.text.endswith("*") for t in typed):
                plain.append(QueryWord(" ".join(t.text for t in typed), built, self.variants))
        if top:
            self.result.plain = plain
            self.result.required = [q for q in required if all(q is not w.query for w in plain)]
            self.result.excluded = excluded
        if not required and not excluded:
            return None
        if not required:
            required = [wq.Every()]  # "-Otan" alone: every article but those
        parts = required + [wq.Not(q) for q in excluded]
        return parts[0] if len(parts) == 1 else wq.And(parts)

    def parse_unary(self, fields: tuple[str, ...], negated: bool) -> wq.Query | None:
        lexeme = self.peek()
        if lexeme is None:
            raise QuerySyntaxError(f"the query {self.text!r} ends where a word was expected")
        if lexeme.kind == "NOT" or lexeme.kind == "-":
            self.at += 1
            self.deeper()
            inner = self.parse_unary(fields, not negated)
            self.depth -= 1
            return wq.And([wq.Every(), wq.Not(inner)]) if inner is not None else None
        if lexeme.kind == "(":
            self.at += 1
            self.deeper()
            inner = self.parse_or(fields, negated)
            self.depth -= 1
            if self.next_kind() != ")":
                raise QuerySyntaxError(f"unbalanced parenthesis in the query {self.text!r}: "
                                       "a ( is never closed")
            self.at += 1
            return inner
        if lexeme.kind == ")":
            raise QuerySyntaxError(f"unbalanced parenthesis in the query {self.text!r}")
        if lexeme.kind == "field":
            return self.parse_field(negated)
        self.at += 1
        if lexeme.kind == "phrase":
            return self.phrase(lexeme.text, fields, negated, quoted=True)
        return self.word(lexeme, fields, negated)

    def parse_prefixed_compound(self, fields: tuple[str, ...], negated: bool) -> wq.Query | None:
        """"anti djihadiste" typed as two words also finds "antidjihadiste" (and still
        both words anywhere: "contre la gendarmerie" for "contre gendarmerie")."""
        if self.at + 1 >= len(self.lexemes):
            return None
        first, second = self.lexemes[self.at], self.lexemes[self.at + 1]
        if not (first.kind == second.kind == "word" and fold(first.text.lower()) in PREFIXES
                and second.text[:1].isalpha() and not second.text.endswith("*")):
            return None
        self.at += 2
        joined = self.phrase(first.text + second.text, fields, negated)
        variants = list(self.variants)
        both, parts = [], []
        for lexeme in (first, second):
            built = self.word(lexeme, fields, negated)
            if built is not None:
                both.append(built)
                parts += self.variants[0] if self.variants else []
        spaced = both[0] if len(both) == 1 else wq.And(both)
        self.variants = variants + [parts]
        return wq.Or([joined, spaced]) if joined is not None else spaced

    def parse_field(self, negated: bool) -> wq.Query | None:
        name = self.lexemes[self.at].text
        self.at += 1
        if name not in KNOWN_FIELDS:
            raise QuerySyntaxError(f"unknown field {name}: in the query (fields are title:, "
                                   "author:, site:, url:, published:, tag: and note:)")
        value = self.peek()
        if value is None:  # _FIELD wants a character after the colon: never the end
            raise QuerySyntaxError(f"{name}: needs a value")
        if name == "published":
            self.at += 1
            return date_range(value.text)
        if name == "url" and value.kind in ("word", "phrase"):
            self.at += 1
            return url_query(value.text)
        if name == "tag":
            if value.kind not in ("word", "phrase"):
                raise QuerySyntaxError("tag: takes one tag name: write tag:a OR tag:b")
            self.at += 1
            return tag_query(value.text)
        if name == "site" and value.kind in ("word", "phrase") and domain_query(value.text):
            self.at += 1
            named = self.phrase(value.text, ("site",), negated)
            return wq.Or([q for q in (named, domain_query(value.text)) if q is not None])
        fields = (name,)
        if value.kind == "(":
            return self.parse_unary(fields, negated)
        self.at += 1
        if value.kind == "phrase":
            return self.phrase(value.text, fields, negated, quoted=True)
        return self.word(value, fields, negated)

    def word(self, lexeme: _Lexeme, fields: tuple[str, ...], negated: bool) -> wq.Query | None:
        text = lexeme.text
        self.variants = []
        if text.endswith("*") and text.strip("*"):
            return self.prefix(text.rstrip("*"), fields, negated)
        if self.result.question and not negated and fields == SEARCH_FIELDS and _question_word(text):
            self.result.dropped.append(text)
            return None
        if not negated and fields == SEARCH_FIELDS:
            self.result.words.append((lexeme.start, lexeme.end, text))
        alternatives = [text]
        if "-" in text:
            spaced = text.replace("-", " ")
            alternatives = [text.replace("-", ""), spaced] if joins_as_compound(text) else [spaced]
        else:
            folded = fold(text.lower())
            for prefix in PREFIXES:
                if folded.startswith(prefix) and len(folded) - len(prefix) >= 4 and text.isalpha():
                    alternatives.append(text[:len(prefix)] + " " + text[len(prefix):])
                    break
        built, variants = [], []
        for alternative in alternatives:
            query = self.phrase(alternative, fields, negated)
            if query is not None:
                built.append(query)
                variants += self.variants
        self.variants = variants
        if not built:
            return None
        return built[0] if len(built) == 1 else wq.Or(built)

    def prefix(self, text: str, fields: tuple[str, ...], negated: bool) -> wq.Query | None:
        words = [t.text for t in _SURFACE(text)]
        if not words:
            return None
        base = words[-1]
        if len(base) < 2:
            raise QuerySyntaxError(f"the prefix {text}* is too short: type at least two letters")
        stems = {base}
        if fields[0] in FRENCH_FIELDS and len(base) > 3:
            stems.add(stem(base))
        if not negated:
            self.result.prefixes.update(stems)
        return _over_fields([lambda f, s=s: wq.Prefix(f, s) for s in sorted(stems)], fields)

    def phrase(self, text: str, fields: tuple[str, ...], negated: bool,
               quoted: bool = False) -> wq.Query | None:
        """Every analyzed word of `text` in order (a one-word phrase is a term). A phrase
        with a compound or a prefix matches it hyphenated, glued or spaced: "coalition
        anti-djihadiste" finds "coalition antidjihadiste" and "coalition anti djihadiste",
        and each of them finds the others. A quoted phrase's words are highlighted
        where they make the phrase (`phrases`), other words anywhere (`terms`)."""
        analyzer = _TEXT if fields[0] in FRENCH_FIELDS else _SURFACE
        texts = [text]
        if analyzer is _TEXT:
            for other in (_PREFIX_SPACE.sub(r"\1", text), _GLUED_PREFIX.sub(r"\1 ", text)):
                if other not in texts:
                    texts.append(other)
        variants: list[tuple[list[str], int]] = []
        for typed in texts:
            for words, slop in _phrase_variants(analyzer, typed):
                if not negated and analyzer is _TEXT:
                    if quoted and len(words) > 1:
                        self.result.phrases.append((words, slop))
                    else:
                        self.result.terms.update(words)
                if (words, slop) not in variants:
                    variants.append((words, slop))
        self.variants = [words for words, _ in variants]
        if not variants:
            return None
        makers = [(lambda f, w=words, s=slop: wq.Term(f, w[0]) if len(w) == 1 else wq.Phrase(f, w, slop=s))
                  for words, slop in variants]
        return _over_fields(makers, fields)


_PREFIX_SPACE = re.compile(r"\b(" + "|".join(PREFIXES) + r")\s+(?=[^\W\d_])", re.IGNORECASE)
_GLUED_PREFIX = re.compile(r"\b(" + "|".join(PREFIXES) + r")(?=[^\W\d_]{4,}\b)", re.IGNORECASE)


def _phrase_variants(analyzer, text: str) -> list[tuple[list[str], int]]:
    """The phrase's terms with each compound as its parts, and with each compound as its
    joined form, with the slop that lets stop words and compound parts sit in between."""
    tokens = [(token.pos, token.text) for token in analyzer(text, positions=True)]
    first_at: dict[int, int] = {}
    parts: dict[int, str] = {}
    joined: dict[int, tuple[str, int]] = {}  # first part's position → (joined term, parts)
    for number, (pos, term) in enumerate(tokens):
        if pos in first_at:
            joined[pos] = (term, number - first_at[pos])
        else:
            first_at[pos] = number
            parts[pos] = term
    if not parts:
        return []
    variants = [_with_slop([(pos, parts[pos]) for pos in sorted(parts)])]
    if joined:
        sequence, skip_to = [], -1
        for pos in sorted(parts):
            if pos < skip_to:
                continue
            term, count = joined.get(pos, (parts[pos], 1))
            sequence.append((pos, term))
            skip_to = pos + count
        variants.append(_with_slop(sequence))
    return variants


def _with_slop(sequence: list[tuple[int, str]]) -> tuple[list[str], int]:
    order = [pos for pos, _ in sequence]
    slop = max((b - a for a, b in zip(order, order[1:], strict=False)), default=1)
    return [term for _, term in sequence], slop


def _over_fields(makers, fields: tuple[str, ...]) -> wq.Query:
    """The query in each field, the title weighted above the body."""
    queries = []
    for name in fields:
        for make in makers:
            query = make(name)
            if name == "title" and len(fields) > 1:
                query.boost = ranking.TITLE_BOOST
            queries.append(query)
    return queries[0] if len(queries) == 1 else wq.Or(queries)


def url_query(text: str) -> wq.Query:
    """`url:lemonde.fr/international`: these words of URLs, one after the other."""
    words = url_words(text)
    if not words:
        raise QueryError(f"url:{text} has no letters or digits to match")
    return wq.Term("url", words[0]) if len(words) == 1 else wq.Phrase("url", words, slop=1)


def tag_query(text: str) -> wq.Query:
    """`tag:benalla`, `tag:"affaire Benalla"`: the articles with this whole tag."""
    key = tag_key(text)
    if not key:
        raise QueryError("tag: needs a tag name (see `archive tags`)")
    return wq.Term("tags", key)


def domain_query(text: str) -> wq.Query | None:
    """`site:lemonde.fr` or `--site www.lemonde.fr`: the articles whose URL is on this
    domain or under it; None when the text is not a domain name."""
    match = _DOMAIN.fullmatch(text.strip())
    return wq.Term("domains", match.group(1).lower()) if match else None


def _join_digits(match: re.Match) -> str:
    return match.group(1) + re.sub(r"\D", "", match.group(2))


def normalize_numbers(text: str) -> str:
    """"5 000" typed with spaces is one number, as in the index."""
    return _NUMBER_SPACES.sub(_join_digits, text)


def date_range(text: str) -> wq.Query:
    """published:2020, 2020-01, 2020-01-05, or a range a..b (either end may be open)."""
    start, end = parse_period_range(text)
    return wq.DateRange("published", start, end)


def parse_period_range(text: str) -> tuple[datetime | None, datetime | None]:
    """(first moment, last moment) of "a..b", "a..", "..b" or a single period."""
    if ".." in text:
        low, _, high = text.partition("..")
        start = period(low)[0] if low else None
        end = period(high)[1] if high else None
        if start is None and end is None:
            raise QueryError(f"bad date range {text!r}: give at least one end (2020-01..2020-03)")
    else:
        start, end = period(text)
    if start and end and start > end:
        raise QueryError(f"bad date range {text!r}: the start is after the end")
    return start, end


def period(text: str) -> tuple[datetime, datetime]:
    """The first and last moment of a year, a month or a day written in ISO form."""
    match = _DATE.fullmatch(text.strip())
    try:
        if not match:
            raise ValueError
        year, month, day = (int(g) if g else 0 for g in match.groups())
        if day:
            first = datetime(year, month, day)
            return first, first.replace(hour=23, minute=59, second=59, microsecond=999999)
        if month:
            last_day = calendar.monthrange(year, month)[1]
            return datetime(year, month, 1), datetime(year, month, last_day, 23, 59, 59, 999999)
        return datetime(year, 1, 1), datetime(year, 12, 31, 23, 59, 59, 999999)
    except ValueError:
        raise QueryError(f"bad date {text!r}: use YYYY, YYYY-MM or YYYY-MM-DD "
                         "(and a..b for a range)") from None
