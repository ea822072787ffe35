"""The parsers' cheaper tagging pass gives Whoosh's nodes and queries, whatever is typed."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import qparser

from indexer.search.queries import parsers
from indexer.search.queries.query import PROXIMITY_FIELDS, TEXT_FIELDS, _with_syntax
from indexer.store.schema import build_schema
from tests.typed_text import MARKS, QUERIES, anything_typed

EXAMPLES = 3000 if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 150
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, derandomize=True)
SCHEMA = build_schema()

#: Single characters of every kind a tagger reads, and text around them.
PIECES = [*MARKS, " ", "  ", "\t", "a", "ω", "ж", "ção", "2021", "x~2", "^2", "~/3", '"~3', "*:*"]


def _pairs(mode: str) -> list[tuple[qparser.QueryParser, qparser.QueryParser]]:
    group = qparser.AndGroup if mode == "all" else qparser.OrGroup
    plain = (
        _with_syntax(qparser.QueryParser("text", None, group=group)),
        _with_syntax(parsers.QueryParser("text", None, group=group)),
    )
    fielded = [
        (
            _with_syntax(qparser.MultifieldParser(list(fields), SCHEMA, group=group)),
            _with_syntax(parsers.MultifieldParser(list(fields), SCHEMA, group=group)),
        )
        for fields in (TEXT_FIELDS, PROXIMITY_FIELDS)
    ]
    return [plain, *fielded]


PAIRS = {mode: _pairs(mode) for mode in ("all", "any")}


def _nodes(group) -> list[tuple[str, int, int]]:
    return [(repr(node), node.startchar, node.endchar) for node in group]


def _same(text: str) -> None:
    for mode, pairs in PAIRS.items():
        for whooshs, ours in pairs:
            assert _nodes(ours.tag(text)) == _nodes(whooshs.tag(text)), (mode, text)
            try:
                theirs = whooshs.parse(text)
            except Exception as err:  # the parser's own corner cases fail alike
                with pytest.raises(type(err)):
                    ours.parse(text)
                continue
            mine = ours.parse(text)
            assert mine == theirs and repr(mine) == repr(theirs), (mode, text)


@PROPERTY
@given(anything_typed())
def test_queries_typed_anyhow_are_tagged_and_parsed_as_whoosh_does(text):
    _same(text)


@PROPERTY
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join))
def test_syntax_of_every_kind_side_by_side_is_tagged_as_whoosh_does(text):
    _same(text)


def test_the_query_set_is_tagged_as_whoosh_does():
    for text in QUERIES:
        _same(text)
    _same('"social enterprise"~2 title:FUSE AND (bonds OR impact^2) NOT ESF+ inovacao~1 soc*')


def test_a_parser_whose_plugins_change_tags_with_its_new_taggers():
    ours = parsers.QueryParser("text", None)
    assert "<OP 'OR'>" in [repr(n) for n in ours.tag("a OR b")]
    ours.remove_plugin_class(qparser.OperatorsPlugin)
    assert "<OP 'OR'>" not in [repr(n) for n in ours.tag("a OR b")]
    whooshs = qparser.QueryParser("text", None)
    whooshs.remove_plugin_class(qparser.OperatorsPlugin)
    assert _nodes(ours.tag("a OR b")) == _nodes(whooshs.tag("a OR b"))
