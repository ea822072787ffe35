"""A facet table's language versions over arrays are those of each matched document's list."""

from __future__ import annotations

import random

import pytest

from indexer.search.finding import docsets
from indexer.search.finding.facets import FacetTable


def _table(size: int, translations: dict[int, list[int]]) -> FacetTable:
    live = docsets.from_ids(range(size), size)
    return FacetTable(size, live, {}, translations, {})


def _plainly(table: FacetTable, matched: int) -> int:
    extra = [t for d in docsets.members(matched) for t in table.translations.get(d, ())]
    return matched | docsets.from_ids(extra, table.size)


@pytest.mark.parametrize("seed", range(20))
def test_versions_are_those_each_matched_document_lists(seed):
    rnd = random.Random(seed)
    size = rnd.choice([1, 7, 8, 9, 64, 300, 1025])
    translations: dict[int, list[int]] = {}
    for d in rnd.sample(range(size), rnd.randint(0, size // 2)):
        translations[d] = rnd.sample(range(size), rnd.randint(1, min(3, size)))
    table = _table(size, translations)
    for _ in range(10):
        matched = docsets.from_ids(rnd.sample(range(size), rnd.randint(0, size)), size)
        assert table.with_translations(matched) == _plainly(table, matched)


def test_no_versions_and_nothing_matched():
    assert _table(10, {}).with_translations(0b101) == 0b101
    assert _table(10, {0: [9]}).with_translations(0) == 0
    assert _table(10, {0: [9]}).with_translations(1) == 1 | 1 << 9
