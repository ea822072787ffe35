"""Knowledge bases written in two runs, for autocomplete's word lists read segment by segment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.ingest.run import run_index
from indexer.search import SearchEngine
from tests.factories import TEXTS, make_text
from tests.knowledge_bases import build_sample_kb


def _written_twice(path: Path, rewrite: bool) -> Iterator[SearchEngine]:
    """The sample knowledge base with notes written by two runs, the second writing fewer: new
    notes (an index of several segments) or the same notes rewritten (their first versions
    deleted documents of an earlier segment, whose term lists still count them)."""
    settings = build_sample_kb(path)
    for run in range(2):
        # The second run writes fewer notes than the first (new ones: one fewer; rewritten:
        # one), since a run merges into its own segment the segments no larger than what it
        # holds: so each run's segment stays apart, with its deleted documents.
        count = len(TEXTS) if run == 0 else (1 if rewrite else len(TEXTS) - 1)
        for lang, text in list(TEXTS.items())[:count]:
            name = f"notes/{lang}.txt" if rewrite else f"notes/run{run}-{lang}.txt"
            make_text(
                settings.corpus / name,
                f"Social payment note {run}: outcomes, co-design, pay-for-success.\n\n{text}\n",
            )
        run_index(settings)
    found = SearchEngine(settings)
    with found.snapshots.use() as snapshot:
        assert len(snapshot.searcher.reader().leaf_readers()) >= 2
        assert (snapshot.table.live.bit_count() < snapshot.table.size) == rewrite
    yield found
    found.close()


@pytest.fixture(scope="module")
def segmented_engine(tmp_path_factory):
    yield from _written_twice(tmp_path_factory.mktemp("segmented"), rewrite=False)


@pytest.fixture(scope="module")
def rewritten_engine(tmp_path_factory):
    yield from _written_twice(tmp_path_factory.mktemp("rewritten"), rewrite=True)


@pytest.fixture(
    scope="module", params=["one segment", "several segments", "with deleted documents"]
)
def engine(request, corpus_engine, segmented_engine, rewritten_engine):
    """The bundled corpus's engine, and those of knowledge bases of several segments and with
    deleted documents."""
    return {
        "one segment": corpus_engine,
        "several segments": segmented_engine,
        "with deleted documents": rewritten_engine,
    }[request.param]
