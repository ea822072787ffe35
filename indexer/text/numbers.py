"""Numbers as the four languages write them, found by one term each.

The same amount is written 125 000 (Bulgarian, with a space or a no-break or thin space),
125.000 (Greek, Portuguese), 125,000 (English) or 125000; a decimal is 1,5 in three of the
languages and 1.5 in English. Each has one term: its digits, with a point before the decimals
("125000", "1.5").

- A number grouped with points or commas ("125,000", "1.234,56", "1,5") is one word of the
  text (``NUMBER``, which the word tokeniser tries first) and ``number_terms`` gives its term.
- A number grouped with spaces stays one word per group, because the space does not tell
  which groups belong together: "330 000 560 000" in a table is two amounts. The groups have
  no terms of their own; each number they can make ("330000", "330000560", "330000560000",
  "560000") is a term at its first and its last group, so each amount is found.
- A currency sign beside a number adds its code at the number's position ("1.500 €" and
  "EUR 1,500" both have "1500" and "eur").
``number_words`` gives the last two for a text, by the offset of the words they concern; the
index (``document_terms``) and the analysers use them alike. ``query_numbers`` rewrites the
numbers of a typed query as their terms (the query parser would split "125 000" at the space).

What is not read as a number, so that codes, years and page numbers keep their words: a first
group of more than three digits ("2019 150" is a year and a count; "2020,2021", "2021/1060" and
"2021-2027" stay as they are), groups of other than three digits, decimals of more than two
digits without thousands groups ("3.14159"), anything with a third separator ("12.03.2021" is a
date: three words, as before), and groups across a line end. A single point or comma followed
by exactly three digits is read as thousands ("1.500" = "1,500" = 1500), the common case in
reports: three decimals written without thousands are the one ambiguity left.
"""

from __future__ import annotations

import re

#: Spaces that group digits: ordinary, no-break, figure and thin (narrow no-break) spaces.
SPACE = "[ \u00a0\u2007\u2009\u202f]"
CURRENCIES = {"€": "eur", "$": "usd", "£": "gbp"}
_SIGN = "[€$£]"
_EDGE_BEFORE = r"(?<![\w.,])"
_EDGE_AFTER = r"(?!\w|[.,]\d)"
#: A number grouped with points or commas, or a decimal: one word of the text.
NUMBER = (
    rf"(?=\d[\d.,]*[.,]\d){_EDGE_BEFORE}(?:"  # digits, a point or comma, digits: else fail at once
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|\d{1,3}(?:\.\d{3})+(?:,\d+)?"
    r"|\d+[.,]\d{1,2}"
    rf"){_EDGE_AFTER}"
)
_NUMBER = re.compile(NUMBER)
#: Groups of three digits after spaces, and what ends the last one: a decimal or nothing.
_SPACED = rf"\d{{1,3}}(?:{SPACE}\d{{3}})+(?:[.,]\d+)?"
#: Any number: spaced groups, a NUMBER word, or digits; with a currency sign before or after.
#: Every one starts with a sign or a digit: said first, so other characters fail at once.
_ANY = re.compile(
    rf"(?=[\d{''.join(CURRENCIES)}])(?P<before>{_SIGN}{SPACE}?)?{_EDGE_BEFORE}"
    rf"(?P<number>{_SPACED}{_EDGE_AFTER}|{NUMBER}|\d+{_EDGE_AFTER}(?!['-][^\W_]))"
    rf"(?P<after>{SPACE}?{_SIGN})?"
)
_SEPARATOR = re.compile(rf"[.,]|{SPACE}")
#: Digits grouped by a space (a currency sign is looked for apart: each in one pass in C).
_SPACED_DIGITS = re.compile(rf"\d{SPACE}\d")
_GROUP = re.compile(r"\d+(?:[.,]\d+)?")
#: Groups of one spaced number looked at for the numbers they can start.
_MAX_GROUPS = 6


def number_terms(word: str) -> list[str] | None:
    """The term of a word the tokeniser read as a number (``NUMBER``), None for another."""
    if not word or not word[0].isdigit() or not _NUMBER.fullmatch(word):
        return None
    return [value(word)]


def value(digits: str) -> str:
    """A number in one form: its integer digits, then a point and its decimals, if any."""
    separators = _SEPARATOR.findall(digits)
    if not separators:
        return digits
    parts = _SEPARATOR.split(digits)
    last = separators[-1]
    decimal = last in ".," and (
        len(parts[-1]) != 3  # 1,5 · 1.25
        or len(set(separators)) > 1  # 1.234,567 · 1 500,250
    )
    if decimal:
        return "".join(parts[:-1]) + "." + parts[-1]
    return "".join(parts)


def number_words(text: str, index: bool = True) -> dict[int, list[str]]:
    """The terms of the words of a text that a number's context decides, by the offset where
    each word starts: in place of the terms the word has alone.

    Spaced groups have no terms of their own ("125" of "125 000" is not 125): in the index
    each number they can make is placed at its first and at its last group, so a phrase finds
    it followed or preceded by a word, in any style; a query ("125 000" in quotes) asks for the
    number once, at its first group. A currency sign adds its code beside the number.
    """
    out: dict[int, list[str]] = {}
    if not _SPACED_DIGITS.search(text) and not any(sign in text for sign in CURRENCIES):
        return out  # no spaced digits, no currency sign: the words say it all
    for m in _ANY.finditer(text):
        number, start = m.group("number"), m.start("number")
        spaced = bool(_SEPARATOR.search(number)) and not _NUMBER.fullmatch(number)
        if spaced:
            groups = [(start + g.start(), g.group(0)) for g in _GROUP.finditer(number)]
            for offset, _ in groups[:_MAX_GROUPS]:
                out[offset] = []
            if index:
                for first, last, term in _spaced(groups[:_MAX_GROUPS]):
                    out[first].append(term)
                    out[last].append(term)
            else:
                out[start].append(value(number))
        sign = (m.group("before") or m.group("after") or "").strip()
        if sign and index:  # a query's currency is a word of its own (``query_numbers``)
            out.setdefault(start, [value(number)]).append(CURRENCIES[sign])
    return {offset: list(dict.fromkeys(terms)) for offset, terms in out.items()}


def _spaced(groups: list[tuple[int, str]]) -> list[tuple[int, int, str]]:
    """Each number that spaced groups can make, with the offsets of its first and last group."""
    found: list[tuple[int, int, str]] = []
    for i, (first, digits) in enumerate(groups):
        if i and digits.startswith("0"):
            continue  # "000" continues a number, it never starts one
        for j in range(i + 1, len(groups)):
            found.append((first, groups[j][0], value(" ".join(g for _, g in groups[i : j + 1]))))
    return found


def query_numbers(text: str) -> str:
    """Each number of a typed text as its terms: a reader's "125 000" is one number."""

    def terms(m: re.Match[str]) -> str:
        sign = (m.group("before") or m.group("after") or "").strip()
        number = value(m.group("number"))
        return f"{number} {CURRENCIES[sign]}" if sign else number

    return _ANY.sub(terms, text)
