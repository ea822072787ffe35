from hypothesis import given
from hypothesis import strategies as st

from indexer.text.furniture import body_text, find_furniture, outside, word_ranges
from indexer.text.terms import WORD

BODY = [
    "Social enterprises in Sofia employ people far from the labour market.",
    "The centre mapped forty organisations and their sources of income.",
    "Outcome funds pay for results that an independent evaluator confirms.",
    "Investors take the risk of the programme and are repaid on success.",
    "A network of mentors helps the founders during their first year.",
]


def report(pages: list[str]) -> list[str]:
    return [
        f"Social Innovation Report 2024\n{body}\nPágina {n} / {len(pages)}"
        for n, body in enumerate(pages, start=1)
    ]


def lines_of(text: str, ranges) -> list[str]:
    return [text[a:b] for a, b in ranges]


def test_running_title_and_page_numbers_are_furniture_and_the_body_is_not():
    pages = report(BODY)
    found = find_furniture(pages)
    for text, ranges in zip(pages, found, strict=True):
        assert lines_of(text, ranges)[0] == "Social Innovation Report 2024"
        assert lines_of(text, ranges)[1].startswith("Página ")
        assert len(ranges) == 2


def test_bare_numbers_roman_numbers_and_chapter_heads_recur():
    pages = [
        f"{head}\n{body}\n{number}"
        for head, body, number in zip(
            [
                "CHAPTER 2. REQUIREMENTS 2.1. PROCESSORS",
                "CHAPTER 2. REQUIREMENTS 2.2. MEMORY",
                "CHAPTER 2. REQUIREMENTS 2.4. NETWORKS",
                "Preface",
                "Contents",
            ],
            BODY,
            ["- 7 -", "8", "ix", "10", "11"],
            strict=True,
        )
    ]
    found = [lines_of(t, r) for t, r in zip(pages, find_furniture(pages), strict=True)]
    assert found[0] == ["CHAPTER 2. REQUIREMENTS 2.1. PROCESSORS", "- 7 -"]
    assert found[2] == ["CHAPTER 2. REQUIREMENTS 2.4. NETWORKS"]  # "ix": letters, not a number
    assert found[4] == ["11"]


def test_a_short_document_and_lines_that_differ_are_left_alone():
    assert find_furniture(report(BODY[:2])) == [[], []]
    pages = [f"{body}\nend;" for body in BODY]  # a line of code that happens to recur
    assert find_furniture(pages) == [[] for _ in pages]


def test_body_text_keeps_offsets_and_word_ranges_count_positions():
    pages = report(BODY[:3])
    found = find_furniture(pages)
    blank = body_text(pages[1], found[1])
    assert len(blank) == len(pages[1]) and "Report" not in blank and "Página" not in blank
    starts, position = [], 0
    for text in pages:
        starts.append(position)
        position += len(WORD.findall(text))
    ranges = word_ranges(pages, found, starts)
    words = [w for text in pages for w in WORD.findall(text)]
    furniture_words = [words[i] for a, b in ranges for i in range(a, b)]
    expected = [
        ["Social", "Innovation", "Report", "2024", "Página", str(n), "3"] for n in (1, 2, 3)
    ]
    assert furniture_words == [word for page in expected for word in page]
    assert outside(list(range(position)), ranges) == [
        i for i in range(position) if not any(a <= i < b for a, b in ranges)
    ]


@given(
    st.text(alphabet="ab \n", max_size=40),
    st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=5),
)
def test_body_text_blanks_each_character_of_the_ranges_and_nothing_else(text, pairs):
    ranges = [(a, b) for a, b in pairs if a <= b <= len(text)]
    hidden = {i for a, b in ranges for i in range(a, b)}
    expected = "".join(" " if i in hidden else c for i, c in enumerate(text))
    assert body_text(text, ranges) == expected
