"""A segment's arrays file holds exactly what its posting blocks hold, and searches read it."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh.index import TOC

from indexer.config import Settings
from indexer.ingest.run import run_index
from indexer.search import SearchEngine, SearchRequest
from indexer.search.finding.segment_arrays import (
    NOT_IN_FILES,
    arrays_of,
    missing_files,
    write_files,
)
from indexer.store import posting_arrays
from indexer.store.index import current_dir
from indexer.store.segment_build import INDEX_NAME
from indexer.store.storage import open_shared
from tests.factories import make_text

TEXTS = {
    "a.txt": "Social innovation in the competence centre.\fOutcomes are paid by results.",
    "b.txt": "The fund pays for outcomes of social innovation projects. ESF+ 2021/1060.",
    "c.txt": "Социални предприятия и социална икономика.\fΚοινωνική οικονομία στην Κύπρο.",
    "d.txt": "Inovação social e economia social em Portugal. " * 40,
}

REQUESTS = [
    SearchRequest(q="social innovation"),
    SearchRequest(q='"social innovation"'),
    SearchRequest(q="outcomes", sort="newest"),
    SearchRequest(q="centre OR fund", per_page=2),
    SearchRequest(q="социални предприятия"),
    SearchRequest(q="κοινωνική οικονομία"),
    SearchRequest(q='"economia social"'),
    SearchRequest(q="ESF+"),
    SearchRequest(q="inovacao~1"),
]


@pytest.fixture
def indexed(settings: Settings, docs: Path) -> Settings:
    for name, text in TEXTS.items():
        make_text(docs / name, text)
    run_index(settings)
    return settings


def _answers(settings: Settings) -> list[object]:
    engine = SearchEngine(settings)
    try:
        return [engine.search(r) for r in REQUESTS]
    finally:
        engine.close()


def _without_times(answers: list[object]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for answer in answers:
        assert isinstance(answer, dict)
        out.append({k: v for k, v in answer.items() if k != "took_ms"})
    return out


@contextmanager
def _searcher(settings: Settings) -> Iterator[Any]:
    """A searcher of the index's current generation, closed after the block."""
    folder = current_dir(settings)
    assert folder is not None
    searcher = open_shared(str(folder)).searcher()
    try:
        yield searcher
    finally:
        searcher.close()


def _whooshs(reader, fieldname: str, btext: bytes):  # type: ignore[no-untyped-def]
    """A term's documents, weights and positions as Whoosh's own matcher reads them."""
    matcher = reader.postings(fieldname, btext)
    ids, weights, places = [], [], []
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if matcher.supports("positions"):
            places.append(list(matcher.value_as("positions")))
        matcher.next()
    return ids, weights, places


def test_every_term_of_the_file_holds_what_whoosh_reads(indexed: Settings) -> None:
    with _searcher(indexed) as searcher:
        write_files(searcher, missing_files(searcher))
        reader = searcher.reader()
        arrays = arrays_of(reader)
        assert arrays is not None
        schema = searcher.schema
        covered = {n for n in schema.names() if schema[n].indexed} - NOT_IN_FILES
        assert arrays.fields == covered
        assert {"text", "text_en", "text_bg", "text_el", "text_pt"} <= arrays.positional
        compared = 0
        for fieldname in sorted(covered):
            for btext in reader.lexicon(fieldname):
                where = arrays.find(fieldname, btext)
                assert where is not None, (fieldname, btext)
                ids, weights = arrays.postings(where)
                whoosh_ids, whoosh_weights, places = _whooshs(reader, fieldname, btext)
                assert ids.tolist() == whoosh_ids
                assert weights.astype(np.float64).tolist() == whoosh_weights
                if arrays.has_positions(fieldname):
                    ends, run = arrays.positions(where)
                    starts = [0, *ends[:-1].tolist()]
                    mine = [run[a:b].tolist() for a, b in zip(starts, ends.tolist(), strict=True)]
                    assert mine == places, (fieldname, btext)
                compared += 1
            assert arrays.find(fieldname, b"no-such-term") is None
        assert compared > 100
        assert not arrays.covers("vocab")


def test_searches_answer_the_same_from_the_files(indexed: Settings) -> None:
    plain = _answers(indexed)
    with _searcher(indexed) as searcher:
        assert missing_files(searcher)
        write_files(searcher, missing_files(searcher))
        assert not missing_files(searcher)
    from_files = _answers(indexed)
    assert _without_times(from_files) == _without_times(plain)
    assert all(answer["hits"] for answer in plain)  # type: ignore[index]


def test_a_warmed_engine_writes_the_files(indexed: Settings) -> None:
    engine = SearchEngine(indexed)
    try:
        engine.warm()
        with engine.snapshots.use() as snapshot:
            assert snapshot is not None
            assert not missing_files(snapshot.searcher)
    finally:
        engine.close()


def test_a_child_process_writes_a_file(indexed: Settings) -> None:
    with _searcher(indexed) as searcher:
        missing = missing_files(searcher)
        write_files(searcher, missing, elsewhere=True)
        (folder, segment) = missing[0]
        assert posting_arrays.file_for(folder, segment).is_file()
        assert not missing_files(searcher)


def test_the_file_goes_with_its_segment(indexed: Settings) -> None:
    """Named as the segment's own files are, the file is removed by the commit that drops the
    segment (Whoosh's clean-up of a generation's files); the unfinished one is not."""
    with _searcher(indexed) as searcher:
        ((folder, segment),) = missing_files(searcher)
    pattern = TOC._segment_pattern(INDEX_NAME)
    found = pattern.match(posting_arrays.file_for(folder, segment).name)
    assert found is not None and found.group(1) == segment
    assert f".{segment}".startswith(".")


def test_a_file_being_written_elsewhere_is_left_alone(indexed: Settings) -> None:
    with _searcher(indexed) as searcher:
        ((folder, segment),) = missing_files(searcher)
        unfinished = folder / f".{segment}{posting_arrays.SUFFIX}.part"
        # What a killed writer left for a segment gone since is removed by the next writer.
        abandoned = folder / f".MAIN_gone{posting_arrays.SUFFIX}.part"
        abandoned.write_bytes(b"half")
        fd = os.open(unfinished, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # another process writing it
            assert not posting_arrays.build(folder, segment, searcher.schema, ["text"])
            assert not posting_arrays.file_for(folder, segment).exists()
        finally:
            os.close(fd)
        # Its writer gone, the next one writes it (over what was left).
        assert posting_arrays.build(folder, segment, searcher.schema, ["text"])
        assert not unfinished.exists() and not abandoned.exists()


def test_a_damaged_file_is_not_read(indexed: Settings) -> None:
    plain = _answers(indexed)
    with _searcher(indexed) as searcher:
        ((folder, segment),) = missing_files(searcher)
    posting_arrays.file_for(folder, segment).write_bytes(b"not an arrays file at all")
    posting_arrays.OPENED.forget()
    assert _without_times(_answers(indexed)) == _without_times(plain)


def test_a_folder_that_cannot_be_written_gets_no_file(tmp_path: Path) -> None:
    assert not posting_arrays.build(tmp_path / "gone", "MAIN_x", None, [])
