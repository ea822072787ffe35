"""Numbers written in the four languages' styles have one term, in the index and in queries;
codes, years, dates and page numbers keep their words."""

import pytest

from indexer.text.analysers import FoldingAnalyzer, IdentifierAnalyzer
from indexer.text.document_terms import analyse_document
from indexer.text.numbers import query_numbers


def indexed(text: str) -> list[tuple[str, int]]:
    return [(t.text, t.pos) for t in FoldingAnalyzer()(text, positions=True, mode="index")]


def queried(typed: str) -> list[str]:
    """The terms a typed query asks for: its numbers rewritten, then analysed as a query."""
    return [t.text for t in FoldingAnalyzer()(query_numbers(typed), mode="query")]


@pytest.mark.parametrize(
    "written",
    [
        "125 000",  # Bulgarian, Portuguese: a space
        "125\u00a0000",  # a no-break space
        "125\u202f000",  # a narrow no-break space
        "125\u2009000",  # a thin space
        "125,000",  # English
        "125.000",  # Greek, Portuguese
        "125000",
    ],
)
def test_an_amount_has_one_term_however_it_is_grouped(written):
    assert ("125000", 0) in indexed(f"{written} участници")
    assert queried(written) == ["125000"]


@pytest.mark.parametrize(
    ("written", "term"),
    [
        ("1.234.567,89", "1234567.89"),
        ("1,234,567.89", "1234567.89"),
        ("1 234 567,89", "1234567.89"),
        ("1,5", "1.5"),
        ("1.5", "1.5"),
        ("0,75", "0.75"),
    ],
)
def test_decimals_are_told_from_thousands(written, term):
    assert term in [t for t, _ in indexed(written)]
    assert queried(written) == [term]


def test_a_decimal_is_not_a_whole_number():
    assert "15" not in [t for t, _ in indexed("1,5 %")]
    assert queried("1,5") != queried("15")


def test_an_amount_in_euros_matches_in_every_style():
    for written in ("1.500 €", "€1,500", "€ 1 500", "1500€", "EUR 1,500", "1 500 EUR"):
        terms = {t for t, _ in indexed(written)}
        assert {"1500", "eur"} <= terms, written
        assert set(queried(written)) == {"1500", "eur"}, written


def test_numbers_side_by_side_in_a_table_are_each_found():
    terms = indexed("Бюджет 330 000 560 000 лв.")
    assert {("330000", 1), ("330000", 2), ("560000", 3), ("560000", 4)} <= set(terms)
    # Each group keeps its position: the page's other words do not move.
    assert ("лв", 5) in terms
    # A group is not a number of its own: "330" is not 330 000.
    assert not {"330", "000", "560"} & {t for t, _ in terms}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2019 150 проекта", ["2019", "150", "проекта"]),  # a year is not a thousands group
        ("2020,2021", ["2020", "2021"]),
        ("12.03.2021", ["12", "03", "2021"]),  # a date
        ("3.14159", ["3", "14159"]),
        ("2021-2027", ["2021-2027", "2021", "2027"]),
        ("pages 12, 345", ["pages", "12", "345"]),
    ],
)
def test_years_dates_and_lists_keep_their_words(text, words):
    assert [t for t, _ in indexed(text)] == words


def test_codes_are_not_numbers():
    text = "ESF+ under COM(2021) 778 and Regulation 2021/1060"
    assert [t.text for t in IdentifierAnalyzer()(text, mode="index")] == [
        "esf+",
        "com(2021)778",
        "2021/1060",
    ]
    assert query_numbers(text) == text
    assert [t for t, _ in indexed("2021/1060")] == ["2021", "1060"]


def test_the_index_gives_the_numbers_the_analysers_give():
    page = "Бюджет: 125 000 лв., 125.000 €, EUR 125,000 и 1,5 %; 330 000 560 000."
    terms = analyse_document([("en", page)], "")
    by_analyser: dict[str, list[int]] = {}
    for term, pos in indexed(page):
        by_analyser.setdefault(term, []).append(pos)
    assert terms.folded == by_analyser


def test_numbers_found_from_their_first_character_are_every_number_there_is():
    """Numbers are looked for only where a digit or a currency sign starts, and a text is read
    for context only when it has digits grouped by a space or a sign: on random text of
    digits, separators, signs and letters, the numbers and their terms are those of trying
    the pattern at every character of every text."""
    import random
    import re

    from indexer.text import numbers

    prefix = f"(?=[\\d{''.join(numbers.CURRENCIES)}])"
    assert numbers._ANY.pattern.startswith(prefix)
    everywhere = re.compile(numbers._ANY.pattern.removeprefix(prefix))
    pieces = [*"0123456789 .,€$£-'ab\u00a0\u2009\u202f\n", "000", "125 000", "EUR", "2021-2027"]
    rng = random.Random(5)
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        found = [m.groupdict() | {"at": m.span()} for m in numbers._ANY.finditer(text)]
        assert found == [m.groupdict() | {"at": m.span()} for m in everywhere.finditer(text)]
        context = re.search(f"\\d{numbers.SPACE}\\d|[€$£]", text)
        if context is None:
            assert numbers.number_words(text) == {}
        else:
            assert numbers._SPACED_DIGITS.search(text) or set("€$£") & set(text)
