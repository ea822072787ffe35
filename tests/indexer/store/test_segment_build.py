"""Segments written by `segment_build` hold what Whoosh's own writer writes, as Whoosh's reader
sees it: every term's postings (documents, weights, positions), the statistics kept for terms
and blocks, stored fields, field lengths, column values and search results.

The same documents go through Whoosh's writer and through `BatchWriter`; the two indexes are
then read back with Whoosh's reader and compared document by document (by id: the two may
number documents differently once segments are merged).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.query import And, Every, Or, Phrase, Term

from indexer.models import Document, Page, Value
from indexer.store import index as store
from indexer.store.catalog import Catalog
from indexer.store.schema import build_schema, index_record
from indexer.store.segment_build import SegmentBuilder

WORDS = {
    "en": [
        "social",
        "innovation",
        "centre",
        "report",
        "network",
        "policy",
        "fund",
        "community",
        "skills",
        "public",
        "partners",
        "impact",
        "region",
        "local",
        "pilot",
        "training",
        "housing",
        "care",
        "youth",
        "digital",
    ],
    "bg": [
        "социална",
        "иновация",
        "център",
        "доклад",
        "мрежа",
        "политика",
        "фонд",
        "общност",
        "умения",
        "обществен",
        "партньори",
        "въздействие",
        "регион",
        "местен",
        "пилотен",
        "обучение",
        "жилища",
        "грижа",
        "младежи",
    ],
    "el": [
        "κοινωνική",
        "καινοτομία",
        "κέντρο",
        "έκθεση",
        "δίκτυο",
        "πολιτική",
        "ταμείο",
        "κοινότητα",
        "δεξιότητες",
        "δημόσιος",
        "εταίροι",
        "αντίκτυπος",
        "περιφέρεια",
        "τοπικός",
        "πιλοτικό",
        "κατάρτιση",
        "στέγαση",
    ],
    "pt": [
        "inovação",
        "social",
        "centro",
        "relatório",
        "rede",
        "política",
        "fundo",
        "comunidade",
        "competências",
        "público",
        "parceiros",
        "impacto",
        "região",
        "local",
        "piloto",
        "formação",
        "habitação",
        "cuidados",
    ],
}
COUNTRIES = ["Bulgaria", "Greece", "Portugal", "Ireland", "Cyprus"]
TOPICS = ["housing", "employment", "health", "education"]


def document(n: int, version: int = 0) -> Document:
    """A generated document: pages of words drawn unevenly from its language's list (so common
    terms fill several blocks and rare ones one), numbers, codes and facets."""
    rng = random.Random(n * 1000 + version)
    lang = ["en", "bg", "el", "pt"][n % 4]
    words = WORDS[lang]
    pages = []
    for number in range(1, 1 + rng.randint(1, 3)):
        picked = [words[min(int(rng.expovariate(0.25)), len(words) - 1)] for _ in range(80)]
        picked += [f"unique{n}v{version}", f"EU-{2000 + n % 20}/{n % 7}", str(rng.randint(1, 99))]
        rng.shuffle(picked)
        pages.append(Page(number, " ".join(picked), lang, [lang]))
    meta: dict[str, Value] = {"title": Value(f"{words[n % len(words)]} {n} v{version}", "file")}
    if n % 3:
        meta["country"] = Value(COUNTRIES[n % len(COUNTRIES)], "manifest")
    if n % 4:
        meta["topic"] = Value([TOPICS[n % 4], TOPICS[(n + 1) % 4]], "manifest")
    if n % 5:
        meta["year"] = Value(str(2000 + n % 23), "manifest")
    return Document(
        id=f"doc{n:04d}",
        root="/docs",
        path=f"{lang}/doc{n}.txt",
        sha256=f"{n:032d}{version:032d}",
        size=1,
        mtime_ns=1,
        format="txt",
        language=lang,
        languages=[lang],
        pages=pages,
        meta=meta,
    )


def record(n: int, version: int = 0) -> dict[str, Any]:
    return index_record(document(n, version), 1_700_000_000 + n)


#: A step: ("add", number, version) or ("delete", number, 0); a list of steps is one session
#: (one writer, committed at its end).
Step = tuple[str, int, int]


def whoosh_build(folder: Path, sessions: list[list[Step]]) -> None:
    """The sessions written with Whoosh's own writer (its default merges at each commit).

    Whoosh's writer replaces or deletes only committed documents, not those it holds itself:
    a step on a document this writer has written commits first."""
    folder.mkdir()
    ix = whoosh_index.create_in(str(folder), build_schema())
    for steps in sessions:
        writer = ix.writer()
        touched: set[int] = set()
        for action, n, version in steps:
            if n in touched:
                writer.commit()
                writer = ix.writer()
                touched = set()
            touched.add(n)
            if action == "add":
                writer.update_document(**record(n, version))
            else:
                writer.delete_by_term("id", f"doc{n:04d}")
        writer.commit()


def batch_build(settings, sessions: list[list[Step]], **knobs: Any) -> Path:
    """The same sessions through `BatchWriter` (the first one a fresh index)."""
    folder, ix = store.create_index(settings)
    with Catalog(settings.catalog_path) as catalog:
        for i, steps in enumerate(sessions):
            ix = whoosh_index.open_dir(str(folder))
            writer = store.BatchWriter(ix, catalog, fresh=i == 0, **knobs)
            for action, n, version in steps:
                if action == "add":
                    writer.add(record(n, version))
                else:
                    writer.delete(f"doc{n:04d}")
            writer.commit()
    return folder


def contents(folder: Path, *, exact: bool, blocks: bool = False) -> dict[str, Any]:
    """What Whoosh's reader finds in the index at ``folder``, keyed by document id.

    ``exact``: also the statistics that count deleted documents (term statistics, total field
    lengths, scores), which depend on how segments were merged. ``blocks``: also each
    posting's block statistics, which depend on where blocks end (a list copied after another
    starts a new block). Whatever the blocks, their statistics must bound their postings (the
    reader skips blocks by them)."""
    ix = whoosh_index.open_dir(str(folder))
    schema = ix.schema
    out: dict[str, Any] = {}
    with ix.searcher() as searcher:
        reader = searcher.reader()
        ids = {docnum: fields["id"] for docnum, fields in reader.iter_docs()}
        out["stored"] = {ids[d]: fields for d, fields in reader.iter_docs()}
        out["lengths"] = {
            # (Whoosh says None or 0 for no length, as the segment has the field's column or not)
            ids[d]: {n: reader.doc_field_length(d, n) or 0 for n in schema.scorable_names()}
            for d in ids
        }
        columns: dict[str, dict[str, Any]] = {}
        for leaf, base in reader.leaf_readers():  # (Whoosh misreads a column some lack)
            for name in schema.names():
                kind = schema[name].column_type
                if not kind:
                    continue
                found = columns.setdefault(name, {})
                column = leaf.column_reader(name) if leaf.has_column(name) else None
                for docnum in range(leaf.doc_count_all()):
                    if docnum + base in ids:
                        default = schema[name].from_column_value(kind.default_value())
                        value = default if column is None else column[docnum]
                        found[ids[docnum + base]] = value
        out["columns"] = columns
        postings = _postings(reader, ids, blocks=blocks)
        stats = {}
        if exact:
            for fieldname, text in reader.all_terms():
                info = reader.term_info(fieldname, text)
                stats[fieldname, text] = (
                    info.weight(),
                    info.doc_frequency(),
                    info.min_length(),
                    info.max_length(),
                    info.max_weight(),
                    ids.get(info.min_id()),
                    ids.get(info.max_id()),
                )
        out["postings"] = postings
        out["term stats"] = stats
        if exact:
            out["field lengths"] = {n: reader.field_length(n) for n in schema.scorable_names()}
        out["doc count"] = searcher.doc_count()
        queries = [
            Every(),
            Term("text", "innovation"),
            Term("text_bg", next(iter(reader.lexicon("text_bg")), b"").decode()),
            Or([Term("text", "social"), Term("text", "κοινωνική"), Term("text", "centro")]),
            And([Term("text", "social"), Term("text", "report")]),
            Phrase("text", ["social", "innovation"]),
            Term("title", "centre"),
            Term("country", "Greece"),
        ]
        results = []
        for query in queries:
            hits = searcher.search(query, limit=None)
            if exact:
                results.append(sorted((hit["id"], round(hit.score, 6)) for hit in hits))
            else:
                results.append(sorted(hit["id"] for hit in hits))
        out["search"] = results
    return out


def _postings(reader: Any, ids: dict[int, str], *, blocks: bool) -> dict[Any, Any]:
    """Every term's postings of live documents, read segment by segment; with each posting,
    if ``blocks``, its block's statistics (which are checked to bound it in any case)."""
    schema = reader.schema
    postings: dict[tuple[str, bytes], list[tuple[Any, ...]]] = {}
    for leaf, base in reader.leaf_readers():
        for fieldname, text in leaf.all_terms():
            matcher = leaf.postings(fieldname, text)
            matcher = getattr(matcher, "child", matcher)  # deleted documents included
            while matcher.is_active():
                docnum = matcher.id() + base
                if docnum in ids:
                    weight = matcher.weight()
                    entry = [ids[docnum], weight, matcher.value()]
                    low, high = matcher.block_min_length(), matcher.block_max_length()
                    heaviest = matcher.block_max_weight()
                    if schema[fieldname].scorable:
                        length = reader.doc_field_length(docnum, fieldname)
                        assert low <= length <= high, (fieldname, text)
                    assert weight <= heaviest, (fieldname, text)
                    if blocks:
                        entry += [low, high, heaviest]
                    postings.setdefault((fieldname, text), []).append(tuple(entry))
                matcher.next()
    for found in postings.values():
        found.sort()
    return postings


def assert_same(expected: dict[str, Any], got: dict[str, Any]) -> None:
    assert set(got) == set(expected)
    for part in expected:
        if isinstance(expected[part], dict):
            assert set(got[part]) == set(expected[part]), part
            for key in expected[part]:
                assert got[part][key] == expected[part][key], (part, key)
        else:
            assert got[part] == expected[part], part


def test_a_fresh_index_holds_what_whoosh_writes(settings, tmp_path):
    """One commit, postings spilled to disk after every document: many runs merged."""
    sessions = [[("add", n, 0) for n in range(300)]]
    whoosh_build(tmp_path / "whoosh", sessions)
    built = batch_build(settings, sessions, pool_mb=0)
    expected = contents(tmp_path / "whoosh", exact=True, blocks=True)
    assert len(expected["postings"]) > 1000
    assert any(len(p) > 128 for p in expected["postings"].values())  # several blocks
    assert_same(expected, contents(built, exact=True, blocks=True))


def test_batches_copied_into_one_segment_hold_what_whoosh_writes(settings, tmp_path):
    """A fresh index visible at once: each commit assembles the documents so far, copying
    the blocks of the previous one and of runs spilled to disk."""
    sessions = [[("add", n, 0) for n in range(260)]]
    whoosh_build(tmp_path / "whoosh", sessions)
    folder, ix = store.create_index(settings)
    with Catalog(settings.catalog_path) as catalog:
        writer = store.BatchWriter(
            ix, catalog, fresh=True, visible=True, first_commit_postings=1, pool_mb=0
        )
        for _, n, version in sessions[0]:
            writer.add(record(n, version))
        writer.commit()
    assert writer.commits > 3
    assert len(whoosh_index.open_dir(str(folder)).reader().leaf_readers()) == 1
    assert_same(contents(tmp_path / "whoosh", exact=True), contents(folder, exact=True))


def test_updates_deletions_and_merges_keep_what_whoosh_keeps(settings, tmp_path):
    """Several runs over one index: documents replaced (in earlier segments and in the
    same run), deleted, re-added, and small segments merged into the writer's own."""
    sessions: list[list[Step]] = [
        [("add", n, 0) for n in range(150)],
        [("add", n, 0) for n in range(150, 170)] + [("add", 3, 1), ("delete", 4, 0)],
        [("add", n, 0) for n in range(170, 175)] + [("add", 160, 1), ("add", 160, 2)],
        [("add", 171, 0), ("delete", 172, 0), ("add", 4, 3), ("add", 175, 0)],
        [("add", n, 1) for n in range(0, 150, 7)],
        [("add", n, 0) for n in range(175, 260)] + [("delete", 200, 0), ("add", 200, 1)],
    ]
    whoosh_build(tmp_path / "whoosh", sessions)
    built = batch_build(settings, sessions, first_commit_postings=1, pool_mb=0)
    expected = contents(tmp_path / "whoosh", exact=False)
    got = contents(built, exact=False)
    assert expected["doc count"] == 259
    assert_same(expected, got)
    assert "doc0172" not in got["stored"] and "doc0004" in got["stored"]
    assert got["stored"]["doc0160"]["title"].endswith("v2")


def test_an_existing_segment_added_whole_keeps_its_documents(settings, tmp_path):
    """A segment read into a builder (a merge) gives back its documents unchanged."""
    sessions = [[("add", n, 0) for n in range(140)]]
    source = batch_build(settings, sessions)
    whoosh_build(tmp_path / "whoosh", sessions)
    ix = whoosh_index.open_dir(str(source))
    (segment,) = ix._segments()
    builder = SegmentBuilder(source, ix.schema, 0)
    try:
        builder.add_segment(ix.storage, segment)
        assembled = builder.assemble()
    finally:
        builder.close()
    from indexer.store import generations

    with generations.write_lock(ix.storage):
        generations.write(ix.storage, generations.read(ix.storage), [assembled])
    assert_same(contents(tmp_path / "whoosh", exact=False), contents(source, exact=False))


@pytest.mark.parametrize("protocol", [2, 5])
def test_blocks_read_back_as_written(protocol):
    from indexer.store.blocks import decode, encode

    ids = list(range(0, 900, 3))
    weights = [float(i % 4) + 0.5 for i in ids]
    values = [bytes([i % 256]) * 3 for i in ids]
    pieces, stats = encode(ids, weights, values, bytes(1000), None, protocol)
    assert decode(b"".join(pieces), 0, None) == (ids, weights, values)
    assert (stats.df, stats.minid, stats.maxid) == (len(ids), 0, 897)


def test_blocks_in_whoosh_pickles_are_whoosh_bytes(tmp_path):
    """With Whoosh's pickle protocol, a term's blocks are byte for byte those Whoosh writes
    (the protocol is the only difference of the blocks written)."""
    from whoosh.codec.whoosh3 import W3Segment
    from whoosh.util.numeric import length_to_byte

    from indexer.store.blocks import MAGIC, decode, encode
    from indexer.store.segment_files import SegmentTerms

    whoosh_build(tmp_path / "whoosh", [[("add", n, 0) for n in range(200)]])
    ix = whoosh_index.open_dir(str(tmp_path / "whoosh"))
    (segment,) = ix._segments()
    reader = ix.reader()
    fixed = {name: f.format.fixed_value_size() for name, f in ix.schema.items() if f.format}
    terms = SegmentTerms(tmp_path / "whoosh" / segment.make_filename(W3Segment.COMPOUND_EXT))
    compared = 0
    for (name, _), stats, body, _ in terms.entries():
        ids, weights, values = decode(MAGIC + bytes(body), 0, fixed[name])
        lengths = None
        if ix.schema[name].scorable:
            every = range(reader.doc_count_all())
            lengths = bytes(length_to_byte(reader.doc_field_length(d, name) or 0) for d in every)
        pieces, mine = encode(ids, weights, values, lengths, fixed[name], 2)
        assert b"".join(pieces) == MAGIC + bytes(body)
        assert mine == stats
        compared += 1
    assert compared > 1000


def test_a_commit_reads_the_previous_segment_in_bounded_pieces(settings, monkeypatch):
    """Before: each commit mapped the writer's previous segment whole and walked it, so the
    pages of the whole segment joined the process's memory at the last commit of a long run.
    Now it is read a piece of the term dictionary or one term's postings at a time."""
    import mmap
    import os

    from indexer.store import segment_files

    def refused(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a segment file mapped whole")

    reads: list[int] = []
    pread = os.pread

    def counted(fd: int, length: int, offset: int) -> bytes:
        reads.append(length)
        return pread(fd, length, offset)

    monkeypatch.setattr(mmap, "mmap", refused)
    monkeypatch.setattr(segment_files.os, "pread", counted)
    monkeypatch.setattr(segment_files, "_COPY", 4096)
    folder, ix = store.create_index(settings)
    with Catalog(settings.catalog_path) as catalog:
        writer = store.BatchWriter(ix, catalog, fresh=True, visible=True, first_commit_postings=1)
        for n in range(120):
            writer.add(record(n))
        writer.commit()
    monkeypatch.undo()  # (readers map segments, as Whoosh's do)
    assert writer.commits > 3
    size = sum(p.stat().st_size for p in folder.glob("*.seg"))
    assert size > 20 * 4096 and reads
    assert max(reads) <= 20_000  # a piece of the dictionary, or the longest list of postings
    assert contents(folder, exact=False)["doc count"] == 120
