"""A hit's explanation is the same whatever order its matched terms were read in."""

from __future__ import annotations

import itertools

from whoosh import query as wq

from indexer.search.queries.query import ParsedQuery
from indexer.search.showing.hits import why
from indexer.text.glossary import load_glossary


def test_expansions_listed_in_one_order_whatever_order_the_terms_were_read_in():
    """Positions come from sets, whose order differs between processes: two servers must not
    give the same hit two explanations."""
    glossary = load_glossary()
    concepts = sorted(glossary.concepts)[:3]
    terms = {("text_bg", f"дума{k}"): c for k, c in enumerate(concepts)}
    terms |= {("text_el", f"λέξη{k}"): c for k, c in enumerate(concepts)}
    parsed = ParsedQuery(text="a b c", query=wq.Every(), mode="all", expansion_terms=terms)
    answers = []
    for order in itertools.permutations([*terms, ("text_en", "typed")]):
        found = {key: [1] for key in order}
        answers.append(why(found, parsed, glossary, "en"))
    assert all(answer == answers[0] for answer in answers)
    assert [e["concept"] for e in answers[0]["expansions"]] == concepts
    assert answers[0]["expansions"][0]["languages"] == ["bg", "el"]
