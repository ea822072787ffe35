"""The text a reader typed, made safe for the query parser.

The parser has readings of its own that a reader does not mean: it takes the brackets of
"COM(2021) 778" for grouping, drops the plus of "ESF+", and its plus/minus plugin splits
"peer-learning" into "peer NOT learning". So before parsing, codes become placeholder words
and the signs in front of words become operators. The query, the expansion, the spelling
suggestions and the transliterations all read the typed text this way.

Punctuation is not syntax (``readable``): a question typed as a question ("financed in
Ireland?") must not turn its last word into a wildcard, nor "economy: law" into a field that
does not exist. What stays syntax is what a reader evidently means by it: "phrases" in
quotes, OR/AND/NOT, -word, a field the product has in any interface language (title:,
país:, χώρα:), word* and word~, a ? between letters, brackets around alternatives.
"""

from __future__ import annotations

import re
import unicodedata

from ...text.identifiers import IDENTIFIER
from ...text.normalize import clean_text
from ...text.numbers import query_numbers
from ...text.terms import fold
from .fields import field_named

_QUOTED = re.compile(r'"[^"]*"')
_MINUS = re.compile(r'(^|[\s(])-(?=[\w"(])')
_PLUS = re.compile(r'(^|[\s(])\+(?=[\w"(])')
#: Quotes that come in pairs in the four languages («…», ‹…›); the curly ones of English,
#: Bulgarian and Greek („…“, “…”) become straight ones with the rest of the text's clean-up.
_GUILLEMETS = re.compile(r"[«‹]([^«»‹›\"]*)[»›]")
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
#: Phrases, brackets and runs of anything else: what the reader's syntax is made of.
_PIECE = re.compile(r'"[^"]*"|[()]|[^\s()"]+|"')
_FIELD = re.compile(r"([^\W\d_][\w-]*):(.*)", re.S)
#: Marks that end a pattern: prefix*, fuzzy~ (with a distance, and a prefix length), boost^2.
_SYNTAX_END = re.compile(r"(?<=\w)(?:\*+|~\d*(?:/\d+)?|\^\d+(?:\.\d+)?)$")
#: Inside a word, marks that separate words ("economy:law", "what?!"); kept: . , ' - / & and
#: the like, which belong to words, numbers and codes and are the word tokeniser's to read.
_SEPARATORS = re.compile(r"[!?;:\"()\[\]{}«»‹›¿¡…·|\\^~]")


def signs_to_operators(text: str) -> str:
    """``-word`` → ``NOT word``, ``+word`` → ``word`` (every word is required anyway).

    Done here rather than with the parser's plus/minus plugin, which also splits hyphenated
    words such as "peer-learning" into "peer NOT learning".
    """
    return _PLUS.sub(r"\1", _MINUS.sub(r"\1NOT ", text))


class Codes(list[str]):
    """Codes taken out of a text before parsing, and the placeholder words that stand for them.

    The parser would read the brackets of "COM(2021) 778" as grouping and drop the plus of
    "ESF+", so each code becomes one plain word first. The placeholder's letters are chosen so
    that they occur nowhere in the text, even after case and accent folding: what a reader
    types can never be taken for a placeholder.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        stem, folded = "qqcode", fold(text)
        while stem in folded:
            stem = "q" + stem
        self.stem = stem
        self.pattern = re.compile(rf"{stem}(\d+)qq")

    @classmethod
    def protect(cls, text: str) -> tuple[str, Codes]:
        """The text with every code outside quotes replaced by a placeholder word."""
        codes = cls(text)
        quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]

        def repl(m: re.Match[str]) -> str:
            if any(a <= m.start() < b for a, b in quoted):
                return m.group(0)
            codes.append(m.group(0))
            return f" {codes.stem}{len(codes) - 1}qq "

        return IDENTIFIER.sub(repl, text).strip(), codes

    def code_in(self, text: str) -> str | None:
        """The code a placeholder in ``text`` stands for."""
        m = self.pattern.search(text)
        return self[int(m.group(1))] if m else None

    def ids_in(self, text: str) -> set[str]:
        return set(self.pattern.findall(text))

    def without(self, text: str) -> str:
        return self.pattern.sub(" ", text)

    def restore(self, text: str) -> str:
        return self.pattern.sub(lambda m: self[int(m.group(1))], text)


# What the reader meant ------------------------------------------------------------------------
def prepared(text: str) -> tuple[str, Codes]:
    """The typed text as the parser should read it: characters as the documents' text has them,
    signs as operators, codes as placeholders, punctuation out, numbers in one form."""
    text = clean_text(_GUILLEMETS.sub(r'"\1"', _visible(text)))
    protected, codes = Codes.protect(signs_to_operators(text))
    return _syntax_only(protected), codes


def readable(text: str) -> str:
    """The typed text with its punctuation taken out: what the query is built from, what
    spelling suggestions and other alphabets read. Reading it again changes nothing."""
    protected, codes = prepared(text)
    return codes.restore(protected)


def _visible(text: str) -> str:
    """Format characters (bidirectional marks, zero-width joiners) out; they are invisible
    to the reader and would split or glue words."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def _syntax_only(text: str) -> str:
    """Every mark that is not the reader's syntax taken out, piece by piece."""
    chunks = _QUOTED.split(text)
    phrases = _QUOTED.findall(text)
    # Numbers are rewritten outside phrases (a phrase reads them as the documents' text does);
    # the parser splits "125 000" at the space, so each becomes the one word all styles share.
    text = "".join(
        query_numbers(chunk) + (phrases[i] if i < len(phrases) else "")
        for i, chunk in enumerate(chunks)
    )
    pieces = [(m.group(0), m.start(), m.end()) for m in _PIECE.finditer(text)]
    kept = _grouping_brackets(pieces)
    out: list[str] = []
    glue = False  # the previous piece is a field name waiting for its phrase or group
    for i, (piece, _, end) in enumerate(pieces):
        follows = pieces[i + 1] if i + 1 < len(pieces) else None
        joined = follows is not None and follows[1] == end
        if piece in "()":
            if i in kept:
                _emit(out, piece, glue)
            glue = False
            continue
        if piece.startswith('"'):
            words = _plain(piece) if len(piece.split()) == 1 else [piece]  # "one" is a word
            if words and re.search(r"\w", piece):
                _emit(out, words[0], glue)
                out += words[1:]
            glue = False
            continue
        value_follows = joined and follows is not None and _opens(follows[0], i + 1, kept)
        words, glue = _words(piece, value_follows)
        out += words
    return " ".join(_operators_between_words(out)).strip()


def _operators_between_words(pieces: list[str]) -> list[str]:
    """Operators with nothing to join taken out: "social OR", "NOT", "(OR economy)".

    The parser would search such an operator as a word.
    """
    out = list(pieces)
    changed = True
    while changed:
        changed = False
        for i, piece in enumerate(out):
            if piece not in OPERATORS:
                continue
            before = out[i - 1] if i else "("
            after = out[i + 1] if i + 1 < len(out) else ")"
            operand_after = after != ")" and (after not in OPERATORS or after == "NOT")
            operand_before = not before.endswith("(") and before not in OPERATORS
            if not operand_after or (piece != "NOT" and not operand_before):
                del out[i]
                changed = True
                break
    return out


def _emit(out: list[str], piece: str, glue: bool) -> None:
    if glue and out:
        out[-1] += piece
    else:
        out.append(piece)


def _opens(piece: str, index: int, kept: set[int]) -> bool:
    """Whether a piece can be a field's value on its own: a phrase, or a group kept."""
    return (piece.startswith('"') and len(piece) > 1) or (piece == "(" and index in kept)


def _grouping_brackets(pieces: list[tuple[str, int, int]]) -> set[int]:
    """The brackets that group alternatives or a field's values: balanced, with an operator
    inside or a field name before. Any other bracket is punctuation ("(Ireland)")."""
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i, (piece, _, _) in enumerate(pieces):
        if piece == "(":
            stack.append(i)
        elif piece == ")" and stack:
            pairs.append((stack.pop(), i))
    kept: set[int] = set()
    for a, b in pairs:
        inside = {p for p, _, _ in pieces[a + 1 : b]}
        name, _, end = pieces[a - 1] if a > 0 else ("", 0, -1)
        field = end == pieces[a][1] and name.endswith(":") and field_named(name[:-1]) is not None
        if inside & OPERATORS or field:
            kept |= {a, b}
    return kept


def _words(piece: str, value_follows: bool) -> tuple[list[str], bool]:
    """One run of characters without spaces: an operator, a field with its value, or words.

    Returns the words to search and whether the last one is a field name that the next piece
    (a phrase or a group) is the value of.
    """
    if piece in OPERATORS:
        return [piece], False
    m = _FIELD.fullmatch(piece)
    if m is not None and (name := field_named(m.group(1))) is not None:
        if not m.group(2) and value_follows:
            return [f"{name}:"], True
        value = _plain(m.group(2))
        if value:
            first, *rest = value
            return [f"{name}:{first}", *rest], False
    return _plain(piece), False


def _plain(piece: str) -> list[str]:
    """The words of a run of characters, with the patterns the reader evidently meant.

    A ? is a wildcard between two letters ("organi?ation"); anywhere else it, like ! ; : and
    brackets or quotes, separates words. The edges of each word lose their punctuation; a
    closing ~ or ^2 after a letter or digit stays (innovaton~), and a * is a wildcard
    wherever it stands (inno*; a word cannot start with it, which the query then says).
    """
    core = _strip_end(piece)
    end = _SYNTAX_END.search(core)
    tail = end.group(0) if end else ""
    body = core[: len(core) - len(tail)]
    chars = [_separated(body, i) for i in range(len(body))]
    words = [w for w in (_trimmed(part) for part in "".join(chars).split()) if w]
    if words and tail and body.endswith(words[-1]):
        words[-1] += tail
    return words


def _separated(body: str, i: int) -> str:
    """The character at ``i``, or a space where it separates words, or nothing where it
    only stood beside a * ("Ireland?*" is Ireland*)."""
    ch = body[i]
    before = body[i - 1] if i else ""
    after = body[i + 1] if i + 1 < len(body) else ""
    if not _SEPARATORS.fullmatch(ch):
        return ch
    if ch == "?" and before.isalpha() and after.isalpha():
        return ch
    return "" if "*" in (before, after) else " "


def _strip_end(piece: str) -> str:
    """The piece without the punctuation that closes it (a pattern's own mark stays)."""
    end = len(piece)
    while end and not (piece[end - 1].isalnum() or piece[end - 1] in "*~^_"):
        end -= 1
    return piece[:end]


def _trimmed(word: str) -> str:
    """A word without the punctuation at its edges (a * is a wildcard wherever it stands)."""
    m = re.search(r"[^\W_*]|\*", word)
    if m is None:
        return ""
    word = word[m.start() :]
    end = len(word)
    while not (word[end - 1].isalnum() or word[end - 1] == "*"):
        end -= 1
    return word[:end]
