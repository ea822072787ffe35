"""Knowledge bases written in two runs, for autocomplete's word lists read segment by segment."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.config import Settings
from indexer.ingest.run import run_index
from indexer.search import SearchEngine
from tests.factories import TEXTS, make_text
from tests.knowledge_bases import build_sample_kb, built_once_per_run


def _written_twice(path: Path, rewrite: bool) -> Settings:
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
    return settings


def _opened(settings: Settings, rewrite: bool) -> Iterator[SearchEngine]:
    """An engine of its own on a knowledge base written twice, which holds what it is for."""
    found = SearchEngine(settings)
    with found.snapshots.use() as snapshot:
        assert len(snapshot.searcher.reader().leaf_readers()) >= 2
        assert (snapshot.table.live.bit_count() < snapshot.table.size) == rewrite
    yield found
    found.close()


# The knowledge bases are written once for the run, since tests only read them; each module
# opens its own engine on them, so what one module's engine remembers never reaches another.
@pytest.fixture(scope="session")
def segmented_kb(tmp_path_factory):
    return built_once_per_run(
        tmp_path_factory, "segmented-kb", lambda path: _written_twice(path, rewrite=False)
    )


@pytest.fixture(scope="session")
def rewritten_kb(tmp_path_factory):
    return built_once_per_run(
        tmp_path_factory, "rewritten-kb", lambda path: _written_twice(path, rewrite=True)
    )


@pytest.fixture(scope="module")
def segmented_engine(segmented_kb):
    yield from _opened(segmented_kb, rewrite=False)


@pytest.fixture(scope="module")
def rewritten_engine(rewritten_kb):
    yield from _opened(rewritten_kb, rewrite=True)


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
