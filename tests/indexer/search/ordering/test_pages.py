"""Page choice: rarity inside a document capped, contents and index pages told, headings
counted (``indexer/search/ordering/pages.py``)."""

from indexer.search.ordering.pages import headings, is_contents, rank_pages, rerank

PAGE = 100  # words per page of the made-up documents below


def positions(*pages_and_offsets: tuple[int, int]) -> list[int]:
    return [(page - 1) * PAGE + offset for page, offset in pages_and_offsets]


def test_a_word_on_one_page_of_a_long_document_does_not_outweigh_the_topic_noun():
    starts = [PAGE * i for i in range(100)]
    topic = positions(*((p, 50) for p in range(1, 100, 4)), (10, 20), (10, 60), (10, 80))
    found = {
        ("text", "bonds"): topic,
        ("text_en", "bond"): topic,
        ("text", "peterborough"): positions((90, 5)),
    }
    ranked = [page for page, _ in rank_pages(found, starts)]
    assert ranked.index(10) < ranked.index(90)


def test_contents_with_dot_leaders_or_a_column_of_page_numbers_are_told():
    leaders = "\n".join(f"{i}.1 Section about outcome funds . . . . . . . ." for i in range(1, 9))
    column = "\n".join(
        [f"{i} Outcome funds and payment {i}" for i in range(1, 5)]
        + [f"Chapter {i} on social impact bonds" for i in range(1, 5)]
        + [str(n) for n in (3, 9, 14, 21, 30, 38, 45, 51)]
    )
    assert is_contents(leaders)
    assert is_contents(column)
    prose = "Outcome funds pay for results.\nThe fund pays 3 providers.\nIt started in 2019.\n" * 3
    assert not is_contents(prose)


def test_headings_are_numbered_or_short_lines_standing_alone():
    text = (
        "CHAPTER 7. PACKAGES AND THEIR FILES, THE FULL NAME OF A RUNNING HEADER LINE 7.5\n"
        "the end of a paragraph that began on the page before.\n"
        "7.5 What is a conffile?\n"
        "Conffiles are configuration files that an upgrade does not overwrite, so local\n"
        "values are kept when the package is upgraded, which matters on running systems.\n"
        "\n"
        "Outcome funds\n"
        "Their meanings are:\n"
        "An outcome fund pays for results: an investor takes the risk, a public body pays\n"
    )
    assert headings(text) == ["7.5 What is a conffile?", "Outcome funds"]


def test_a_page_whose_heading_holds_the_words_comes_before_one_that_mentions_them():
    starts = [0, PAGE, 2 * PAGE]
    found = {
        ("text", "outcome"): positions((1, 0), (2, 40), (2, 60)),
        ("text", "funds"): positions((1, 1), (2, 41), (2, 61)),
    }
    ranked = rank_pages(found, starts)
    assert ranked[0][0] == 2  # more occurrences
    texts = {
        1: "Outcome funds\nThey pay for results that a public body agreed on beforehand.\n",
        2: "Many programmes were named. Outcome funds were one of them, among several\n"
        "others that the report lists: outcome funds, bonds and grants for completeness.\n",
    }
    assert rerank(ranked, texts, found, starts)[0][0] == 1
    texts[1] = "Outcome funds pay for results that a public body agreed on beforehand.\n"
    assert rerank(ranked, texts, found, starts)[0][0] == 2


def test_a_contents_page_keeps_only_a_part_of_its_score():
    starts = [0, PAGE]
    found = {
        ("text", "outcome"): positions((1, 3), (2, 70)),
        ("text", "funds"): positions((1, 4), (2, 71)),
    }
    contents = "\n".join(f"{i} Outcome funds in region {i} . . . . . {i * 7}" for i in range(1, 9))
    texts = {1: contents, 2: "The outcome funds of the region pay for results.\n"}
    ranked = rank_pages(found, starts)
    assert rerank(ranked, texts, found, starts)[0][0] == 2


def test_words_worked_out_once_rank_rerank_and_count_as_worked_out_each_time():
    import random

    from indexer.search.ordering.pages import matched_pages, query_words, rerank_by

    rnd = random.Random(7)
    for _ in range(30):
        pages = rnd.randint(1, 12)
        starts = [PAGE * i for i in range(pages)]
        terms = [("text", "fund"), ("text_en", "fund"), ("text", "and"), ("text", "outcome")]
        found = {
            key: sorted(rnd.sample(range(PAGE * pages), rnd.randint(0, 20)))
            for key in rnd.sample(terms, rnd.randint(1, len(terms)))
        }
        expansions = {("text_en", "fund")} if rnd.random() < 0.5 else set()
        words = query_words(found, expansions)
        ranked = rank_pages(found, starts, expansions)
        assert rank_pages(found, starts, expansions, words) == ranked
        assert matched_pages(found, starts, expansions, words) == matched_pages(
            found, starts, expansions
        )

        def contents(page: int) -> bool:
            return page % 3 == 0

        def lines(page: int) -> list[str]:
            return ["Outcome fund"] if page % 2 else []

        plain = rerank_by(ranked, contents, lines, found, starts, expansions)
        assert rerank_by(ranked, contents, lines, found, starts, expansions, words) == plain
