"""One segment of the index, written document by document in bounded memory.

`SegmentBuilder` takes index records (and, to merge them, the live documents of existing
segments) and writes Whoosh segments of the W3 codec that Whoosh's readers read unchanged:

- Postings are grouped by term as documents arrive (`postings.PostingLists`). Past a memory
  budget they are encoded and written to a *run* in a temporary folder beside the index, in
  term order; documents keep the numbers they have in the segment, so runs are never
  re-encoded.
- `assemble()` writes the segment holding every document so far: for each term, the blocks of
  the previous assembly, of each run and of the postings in memory are concatenated (a copy of
  bytes, not a decoding), and the per-document columns (stored fields, lengths, sort keys) are
  written from a log of them kept on disk. So a run can make its documents visible at a
  commit and still end in one segment, and the last commit of a long run copies bytes
  instead of merging postings in Python.
"""

from __future__ import annotations

import heapq
import os
import pickle
import shutil
import uuid
from collections.abc import Iterator
from itertools import chain, groupby
from operator import itemgetter
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from whoosh.codec.whoosh3 import W3Codec, W3Segment
from whoosh.fields import Schema, UnknownFieldError
from whoosh.filedb.filestore import FileStorage
from whoosh.reading import SegmentReader
from whoosh.util.numeric import length_to_byte

from .blocks import MAGIC, PROTOCOL, TermStats, decode, encode
from .postings import Key, PostingLists, run_entries
from .runlog import process_alive
from .schema import Encoded as WorkerPostings
from .segment_files import SegmentFileWriter, SegmentTerms, parsed
from .storage import MappedStorage

INDEX_NAME = "MAIN"
_TEMP_PREFIX = ".build-"
#: A term's encoded postings: statistics, blocks (without the tag), where the last block starts.
Blocks = tuple[TermStats, Any, int]


class SegmentBuilder:
    """Documents written into one segment of the index in ``folder``, which `assemble` makes.

    ``budget`` is the memory the postings may take before they go to a run on disk.
    """

    def __init__(self, folder: Path, schema: Schema, budget: int, protocol: int = PROTOCOL) -> None:
        self.folder = folder
        self.schema = schema
        self.budget = budget
        self.protocol = protocol
        self.codec = W3Codec()
        _remove_abandoned(folder)
        self.temp = folder / f"{_TEMP_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.temp.mkdir()
        self.postings = PostingLists()
        self.lengths: dict[str, bytearray] = {}
        self.fixed = {
            name: field.format.fixed_value_size()
            for name, field in schema.items()
            if getattr(field, "format", None) is not None
        }
        self.docs = 0
        self.ids: dict[str, int] = {}
        self.deleted: set[int] = set()
        self.runs: list[Path] = []
        self.segment: W3Segment | None = None
        self.assembled = 0  # documents in `segment`
        #: `segment`'s file, held open: a commit of another writer may delete it (when every
        #: document in it is deleted, or once it merged them into a segment of its own).
        self._held: BinaryIO | None = None
        self._log = (self.temp / "documents").open("ab")

    # Adding ------------------------------------------------------------------------------------
    def add(self, record: dict[str, Any]) -> None:
        """One document, as Whoosh's writer adds it; an earlier one with its id is deleted."""
        schema, docnum = self.schema, self.docs
        doc_id = record.get("id")
        if doc_id is not None:
            self.delete(doc_id)
            self.ids[doc_id] = docnum
        boost = float(record.get("_boost", 1.0))
        names = sorted(name for name in record if not name.startswith("_"))
        for name in names:
            if name not in schema:
                raise UnknownFieldError(f"No field named {name!r} in {schema}")
        row = []
        for name in names:
            value = record[name]
            if value is None:
                continue
            field = schema[name]
            length = 0
            if field.indexed:
                factor = float(record.get(f"_{name}_boost", boost))
                # (postings made by a worker are the field's own: taken as they are)
                items: Any = value if isinstance(value, WorkerPostings) else field.index(value)
                counted = self.postings.add(name, docnum, items, factor)
                if field.scorable:
                    length = counted
            stored = record.get(f"_stored_{name}", value)
            column = field.column_type
            has_value = bool(column) and stored is not None
            value = field.to_column_value(stored) if has_value else None
            row.append((name, stored if field.stored else None, length, has_value, value))
            if length:
                self._length(name, docnum, length_to_byte(length))
        self._logged(row)
        self.docs += 1
        if self.postings.size > self.budget:
            self.spill()

    def add_segment(self, storage: FileStorage, segment: W3Segment) -> None:
        """The live documents of an existing segment, after those added so far (a merge)."""
        reader = SegmentReader(storage, self.schema, segment)
        try:
            numbers: dict[int, int] = {}
            names = set(self.schema.names()) | set(reader.indexed_field_names())
            names = {n for n in names if n in self.schema}
            columns = {}
            for name in names:
                column = self.schema[name].column_type
                if column and reader.has_column(name):
                    found = reader.column_reader(name, column)
                    columns[name] = getattr(found, "raw_column", lambda f=found: f)()
            for old, stored in reader.iter_docs():
                numbers[old] = self.docs
                row = []
                for name in sorted(names | {s for s in stored if s in self.schema}):
                    length = reader.doc_field_length(old, name) or 0
                    has_value = name in columns
                    value = columns[name][old] if has_value else None
                    row.append((name, stored.get(name), length, has_value, value))
                    if length:
                        self._length(name, self.docs, length_to_byte(length))
                self._logged(row)
                doc_id = stored.get("id")
                if doc_id is not None:
                    self.ids[doc_id] = self.docs
                self.docs += 1
        finally:
            reader.close()
        self._add_postings(storage, segment, numbers)

    def _add_postings(
        self, storage: FileStorage, segment: W3Segment, numbers: dict[int, int]
    ) -> None:
        path = Path(storage.folder) / segment.make_filename(W3Segment.COMPOUND_EXT)
        terms = SegmentTerms(path)
        try:
            for (name, text), _, body, _ in terms.entries():
                if name not in self.schema:
                    continue
                ids, weights, values = decode(MAGIC + bytes(body), 0, self.fixed.get(name))
                kept = [i for i, d in enumerate(ids) if d in numbers]
                if kept:
                    columns = (
                        [numbers[ids[i]] for i in kept],
                        [weights[i] for i in kept],
                        [values[i] for i in kept],
                    )
                    self.postings.add_list(name, text, columns)
                if self.postings.size > self.budget:
                    self.spill()
        finally:
            terms.close()

    def delete(self, doc_id: str) -> bool:
        """Delete the document with this id added here, if any."""
        docnum = self.ids.pop(doc_id, None)
        if docnum is None:
            return False
        self.deleted.add(docnum)
        return True

    def _length(self, name: str, docnum: int, code: int) -> None:
        codes = self.lengths.get(name)
        if codes is None:
            codes = self.lengths[name] = bytearray()
        if len(codes) <= docnum:
            codes.extend(bytes(docnum + 1 - len(codes)))
        codes[docnum] = code

    def _logged(self, row: list[tuple[str, Any, int, bool, Any]]) -> None:
        pickle.dump(row, self._log, pickle.HIGHEST_PROTOCOL)

    # Writing -----------------------------------------------------------------------------------
    @property
    def pending(self) -> bool:
        """Whether there is anything `assemble` would write that the last segment lacks."""
        return self.docs > self.assembled or (
            self.segment is not None and self.deleted != set(self.segment.deleted_docs())
        )

    def spill(self) -> None:
        """The postings in memory to a run on disk."""
        if self.postings.count:
            path = self.temp / f"run{len(self.runs)}"
            self.postings.spill(path)
            self.runs.append(path)

    def _lengths(self) -> dict[str, bytearray]:
        size = self.docs
        for codes in self.lengths.values():
            if len(codes) < size:
                codes.extend(bytes(size - len(codes)))
        return self.lengths

    def assemble(self) -> W3Segment:
        """A new segment in the index folder with every document added so far.

        The previous assembly's posting lists are copied as they are; the postings added
        since (runs and memory) are merged term by term and encoded once, after them.
        """
        segment = W3Segment(self.codec, INDEX_NAME)
        path = self.folder / segment.make_filename(W3Segment.COMPOUND_EXT)
        previous = None
        sources: list[Iterator[tuple[Key, Any]]] = []
        if self._held is not None and self.assembled:
            previous = SegmentTerms(self._held)
            sources.append((key, _Copied(head, body)) for key, head, body in previous.copies())
        sources += [run_entries(run) for run in self.runs]
        sources.append(self.postings.entries())
        lengths, fixed, protocol = self._lengths(), self.fixed, self.protocol
        writer = SegmentFileWriter(path, segment.segment_id(), self.temp)
        try:
            for key, group in groupby(heapq.merge(*sources, key=itemgetter(0)), itemgetter(0)):
                parts = [part for _, part in group]
                copied = parts.pop(0) if isinstance(parts[0], _Copied) else None
                if not parts:  # only in the previous segment: its bytes as they are
                    assert copied is not None
                    writer.copy(key, copied.head, [copied.postings])
                    continue
                if len(parts) == 1:
                    ids, weights, values = parts[0]
                else:
                    ids, weights, values = (
                        list(chain.from_iterable(c)) for c in zip(*parts, strict=True)
                    )
                pieces, stats = encode(
                    ids, weights, values, lengths.get(key[0]), fixed[key[0]], protocol
                )
                if copied is None:
                    writer.add(key, stats, pieces)
                    continue
                body = b"".join(pieces[1:])
                fresh = (stats, body, len(body) - len(pieces[-1]) - len(pieces[-2]) - 4)
                writer.add(key, *_concatenated([parsed(*copied), fresh]))
            columns = self._columns(segment)
            writer.finish(columns)
            shutil.rmtree(columns)
        except BaseException:
            writer.cancel()
            raise
        finally:
            if previous is not None:
                previous.close()
        for run in self.runs:
            run.unlink()
        self.runs = []
        segment.set_doc_count(self.docs)
        segment.compound = True
        for docnum in self.deleted:
            segment.delete_document(docnum)
        if self._held is not None:
            self._held.close()
        self._held = path.open("rb")
        self.segment, self.assembled = segment, self.docs
        return segment

    def _columns(self, segment: W3Segment) -> Path:
        """The per-document files of ``segment`` (every document so far) in a folder."""
        folder = self.temp / "columns"
        folder.mkdir()
        storage = FileStorage(str(folder))
        writer = self.codec.per_document_writer(storage, segment)
        schema = self.schema
        self._log.flush()
        with (self.temp / "documents").open("rb") as log:
            for docnum in range(self.docs):
                writer.start_doc(docnum)
                for name, stored, length, has_value, value in pickle.load(log):
                    field = schema[name]
                    writer.add_field(name, field, stored, length)
                    if has_value:
                        writer.add_column_value(name, field.column_type, value)
                writer.finish_doc()
        writer.close()
        shutil.rmtree(folder / f"{INDEX_NAME}.tmp", ignore_errors=True)
        return folder

    def close(self) -> None:
        """Remove the temporary files (the assembled segments stay)."""
        self._log.close()
        if self._held is not None:
            self._held.close()
            self._held = None
        self.postings = PostingLists()
        shutil.rmtree(self.temp, ignore_errors=True)


class _Copied(NamedTuple):
    """A term's posting list as the previous assembly holds it: copied, never decoded."""

    head: bytes
    postings: bytes


def _concatenated(group: list[Blocks]) -> tuple[TermStats, list[Any]]:
    """One term's postings from several sources, in document order: every list's last block
    but the final one's is marked as followed by more. (The first source's statistics become
    the whole list's.)"""
    stats = group[0][0]
    pieces: list[Any] = [MAGIC]
    final = len(group) - 1
    for i, (part, body, last) in enumerate(group):
        if i:
            stats.extend(part)
        if i == final:
            pieces.append(body)
        else:
            size = int.from_bytes(body[last : last + 4], "big", signed=True)
            pieces += [body[:last], abs(size).to_bytes(4, "big", signed=True), body[last + 4 :]]
    return stats, pieces


def _remove_abandoned(folder: Path) -> None:
    """Temporary folders of builders whose process is gone (a run that was killed)."""
    for child in folder.glob(f"{_TEMP_PREFIX}*"):
        pid = child.name[len(_TEMP_PREFIX) :].split("-")[0]
        if pid.isdigit() and not process_alive(int(pid)):
            shutil.rmtree(child, ignore_errors=True)


__all__ = ["INDEX_NAME", "MappedStorage", "SegmentBuilder"]
