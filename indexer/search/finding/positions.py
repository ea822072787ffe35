"""Where in a document the query's words stand: the pages they are on, and whether typed words
stand close together.

Every text field shares one tokenizer, so a word has the same position in each of them, and
the record stores the position where each page starts: positions read from the postings of a
few documents turn into page numbers, snippet windows and proximity, without re-reading text.
"""

from __future__ import annotations

import pickle
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate, chain, compress
from typing import Any

import numpy as np
from whoosh import formats
from whoosh.reading import TermNotFound
from whoosh.searching import Searcher
from whoosh.system import _INT_SIZE as _COUNT_BYTES

from ...lru import Lru
from ...store.packed_positions import PackedPositions, unpacked, unpacked_one, within
from ...store.posting_arrays import PostingArrays
from ...store.schema import LANGUAGE_FIELDS
from . import posting_blocks
from .docsets import DocSet
from .position_values import decoded
from .segment_arrays import SEGMENTS, arrays_of, segment_of, term_bytes

POSITIONAL_FIELDS = ("text", "ident", *LANGUAGE_FIELDS.values())

#: (field, term) → word positions in one document.
Positions = dict[tuple[str, str], list[int]]


def positions(
    searcher: Searcher,
    terms: dict[str, set[str]],
    docnums: Iterable[int],
    fields: tuple[str, ...] = POSITIONAL_FIELDS,
    having: Callable[[str, str], DocSet] | None = None,
) -> dict[int, Positions]:
    """Positions of every term in each of the given documents.

    Read segment by segment, and only in the segments holding one of the documents: one
    posting reader per term and segment, skipping from document to document. ``having``
    (field, term → its documents, from the matching) spares the terms a document lacks: a
    query's other-language terms, most of its words in most fields.
    """
    ordered = sorted(set(docnums))
    out: dict[int, Positions] = {d: {} for d in ordered}
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        end = offset + reader.doc_count_all()
        local = [d - offset for d in ordered if offset <= d < end]
        if not local:
            continue
        segment = segment_of(reader)
        arrays = arrays_of(reader)
        for fieldname in fields:
            field = searcher.schema[fieldname]
            decode = _decoder(field.format)
            for text in terms.get(fieldname, ()):
                wanted = local
                if having is not None:
                    bits = having(fieldname, text) >> offset
                    wanted = [d for d in local if bits >> d & 1]
                    if not wanted:
                        continue
                if arrays is not None and arrays.has_positions(fieldname):
                    btext = term_bytes(field, text)
                    for docnum, at in _from_file(arrays, fieldname, btext, wanted).items():
                        out[docnum + offset][(fieldname, text)] = at
                    continue
                keys = SEGMENTS.kept((segment, "positions", fieldname, text))
                if keys is not None:  # every position of the term, decoded for a phrase
                    for docnum, at in of_documents(keys[0], wanted).items():
                        out[docnum + offset][(fieldname, text)] = at
                    continue
                listing = _listing(reader, segment, fieldname, text)
                if listing is _ABSENT:
                    continue
                if listing is _UNLISTED:  # not W3's blocks: the matcher, document by document
                    found = _values(reader.postings(fieldname, text), wanted)
                else:
                    byteids, listed = listing
                    found = _listed_values(listed, byteids, wanted, segment)
                for docnum, value in found.items():
                    out[docnum + offset][(fieldname, text)] = decode(value)
    return out


def _from_file(
    arrays: PostingArrays, fieldname: str, btext: bytes, wanted: list[int]
) -> dict[int, list[int]]:
    """The positions of a term in each of the wanted (ascending) documents that have it,
    from the segment's arrays file."""
    where = arrays.find(fieldname, btext)
    if where is None:
        return {}
    ids, _ = arrays.postings(where)
    documents = np.asarray(wanted, np.int64)
    at = np.searchsorted(ids, documents)
    inside = at < len(ids)
    found = np.zeros(len(documents), bool)
    found[inside] = ids[at[inside]] == documents[inside]
    ends, run = arrays.positions(where)
    out: dict[int, list[int]] = {}
    for docnum, i in zip(documents[found].tolist(), at[found].tolist(), strict=True):
        out[docnum] = run[int(ends[i - 1]) if i else 0 : int(ends[i])].tolist()
    return out


#: Bytes of posting lists' blocks as stored, kept per process by (segment, field, term).
LISTING_BYTES = 12 * 2**20

#: A term's posting list in one segment: whether its blocks store document numbers as they
#: are (not as gaps), and its blocks.
Listing = tuple[bool, list[posting_blocks.Block]]
#: The segment has no such term (told apart from ``_UNLISTED`` by identity).
_ABSENT: Listing = (False, [])
#: The term's posting reader is not one of W3's blocks: it is read document by document.
_UNLISTED: Listing = (False, [])


def _listing_bytes(listing: Listing) -> int:
    return 64 + sum(96 + len(block.data) for block in listing[1])


#: Posting lists' blocks, by (segment, field, term): a request reads the positions of its
#: words several times (its passages, proximity, the hits on screen), and the next requests
#: again; each time the term was looked up in the segment's term table, a posting reader
#: made and the list's block headers unpickled, for the same blocks.
_LISTINGS: Lru[tuple[str, str, str], Listing] = Lru(LISTING_BYTES, _listing_bytes)


def _listing(reader: Any, segment: str, fieldname: str, text: str) -> Listing:
    """A term's blocks in a segment (kept), ``_ABSENT`` or ``_UNLISTED``."""
    key = (segment, fieldname, text)
    kept = _LISTINGS.get(key)
    if kept is not None:
        return kept
    try:  # one look-up in the term table, not one to ask and another to read
        matcher = reader.postings(fieldname, text)
    except TermNotFound:
        listing = _ABSENT
    else:
        listing = _blocks_of(matcher) or _UNLISTED
    _LISTINGS.put(key, listing)
    return listing


#: A key holds the document in its high half and the word position in its low half.
KEY_SHIFT = 32


def of_documents(keys: np.ndarray, documents: list[int]) -> dict[int, list[int]]:
    """The positions in each of some (ascending) documents, from a term's sorted keys
    (document << ``KEY_SHIFT`` | position); the documents without the term are left out."""
    wanted = np.asarray(documents, np.int64)
    starts = np.searchsorted(keys, wanted << KEY_SHIFT).tolist()
    ends = np.searchsorted(keys, (wanted + 1) << KEY_SHIFT).tolist()
    low = (1 << KEY_SHIFT) - 1
    return {
        d: (keys[a:b] & low).tolist()
        for d, a, b in zip(documents, starts, ends, strict=True)
        if b > a
    }


def segment_positions(
    reader: Any, fieldname: str, text: str, wanted: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Every (document, position) of a term in one segment (documents numbered within it), in
    order, as two arrays: for phrases, whose candidates are many. Deleted documents are among
    them (those are never candidates). ``wanted``: only these documents (ascending); the
    blocks holding none of them are skipped unread.

    The blocks' stored values are gathered and decoded all at once (``packed_positions``, or
    ``position_values`` for Whoosh's own layout); values in another layout are decoded block
    by block (``_by_blocks``).
    """
    arrays = arrays_of(reader)
    if arrays is not None and arrays.has_positions(fieldname):
        btext = term_bytes(reader.schema[fieldname], text)
        return _all_from_file(arrays, fieldname, btext, wanted)
    if (fieldname, text) not in reader:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    matcher = reader.postings(fieldname, text)
    inner = getattr(matcher, "child", matcher)
    listed = posting_blocks.blocks(inner)
    fmt = reader.schema[fieldname].format
    packed = isinstance(fmt, PackedPositions)
    if not (packed or type(fmt) is formats.Positions) or listed is None:
        return _by_blocks(reader, fieldname, text, wanted)
    ids: list[np.ndarray] = []
    values: list[bytes] = []
    next_wanted = 0
    for stored in listed:
        if wanted is not None:
            if next_wanted == len(wanted):
                break
            if stored.last < wanted[next_wanted]:
                continue
        stored_ids, _, stored_values = stored.unpickled()
        block = np.asarray(stored_ids, np.int64)
        block = block if inner._byteids else np.cumsum(block)
        if len(block) != len(stored_values):
            return _by_blocks(reader, fieldname, text, wanted)
        if wanted is not None:
            end = int(np.searchsorted(wanted, block[-1], side="right"))
            keep = np.isin(block, wanted[next_wanted:end], assume_unique=True)
            next_wanted = end
            block = block[keep]
            stored_values = list(compress(stored_values, keep.tolist()))
        ids.append(block)
        values.extend(stored_values)
    found = unpacked(values) if packed else decoded(values)
    if found is None:
        return _by_blocks(reader, fieldname, text, wanted)
    numbers, at = found
    docs = np.concatenate(ids) if ids else np.zeros(0, np.int64)
    return np.repeat(docs, numbers), at


def _all_from_file(
    arrays: PostingArrays, fieldname: str, btext: bytes, wanted: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """``segment_positions`` from the segment's arrays file."""
    where = arrays.find(fieldname, btext)
    if where is None:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    ids, _ = arrays.postings(where)
    ends, run = arrays.positions(where)
    counts = np.diff(ends, prepend=0)
    docs = np.repeat(ids.astype(np.int64), counts)
    at = run.astype(np.int64)
    if wanted is None:
        return docs, at
    keep = np.repeat(np.isin(ids, wanted), counts)
    return docs[keep], at[keep]


def _by_blocks(
    reader: Any, fieldname: str, text: str, wanted: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """``segment_positions`` block by block, each block's positions decoded at once: the
    pickled gap lists of its documents are joined into one pickle (one call instead of one
    per document) and summed with numpy."""
    docs: list[np.ndarray] = []
    at: list[np.ndarray] = []
    fmt = reader.schema[fieldname].format
    matcher = reader.postings(fieldname, text)
    inner = getattr(matcher, "child", matcher)
    blocks = all(hasattr(inner, a) for a in ("_read_ids", "_read_values", "_next_block"))
    if type(fmt) is not formats.Positions or not blocks:
        decode = _decoder(fmt)
        for docnum in matcher.all_ids():  # the matcher stands at each in turn
            where = decode(matcher.value())
            docs.append(np.full(len(where), docnum, np.int64))
            at.append(np.asarray(where, np.int64))
    else:
        while inner.is_active():
            inner._read_ids()
            inner._read_values()
            lists = pickle.loads(_PICKLED_LIST + b"".join(map(_gaps, inner._values)) + b"e.")
            lengths = np.fromiter(map(len, lists), np.int64, len(lists))
            gaps = np.fromiter(chain.from_iterable(lists), np.int64, int(lengths.sum()))
            docs.append(np.repeat(np.asarray(inner._ids, np.int64), lengths))
            at.append(within(gaps, lengths))
            inner._next_block()
    if not docs:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    every_doc, every_at = np.concatenate(docs), np.concatenate(at)
    if wanted is None:
        return every_doc, every_at
    keep = np.isin(every_doc, wanted)
    return every_doc[keep], every_at[keep]


#: The start of a pickled list (protocol 2), to which the documents' gap lists are appended.
_PICKLED_LIST = b"\x80\x02]q\x01("


def _gaps(value: bytes) -> bytes:
    """A posting's pickled gap list without its count, protocol mark and stop: a list to put
    inside another pickled list."""
    return value[_COUNT_BYTES + 2 : -1 if value.endswith(b".") else None]


def _decoder(fmt: formats.Format) -> Callable[[bytes], list[int]]:
    """Turns a posting's stored value into its positions.

    Whoosh's Positions format stores a count and the pickled gaps between positions (its final
    pickle stop byte sometimes dropped); summing the gaps in C is several times faster than
    Whoosh's Python loop, which matters when a phrase is checked in thousands of documents.
    """
    if isinstance(fmt, PackedPositions):
        return unpacked_one
    if type(fmt) is not formats.Positions:
        whooshs: Callable[[bytes], list[int]] = fmt.decoder("positions")
        return whooshs

    def decode(value: bytes) -> list[int]:
        if not value.endswith(b"."):
            value += b"."
        return list(accumulate(pickle.loads(value[_COUNT_BYTES:])))

    return decode


#: Bytes of posting blocks' documents and stored values kept per process.
BLOCK_BYTES = 24 * 2**20

Block = tuple[Sequence[int], Sequence[bytes]]


def _block_bytes(block: Block) -> int:
    ids, values = block
    return 64 + 8 * len(ids) + sum(map(len, values)) + 40 * len(values)


#: Posting blocks read for the positions of a few documents, by (segment, offset in its
#: postings file): a segment is never changed once written, and the same blocks are read
#: again by the next step of a request (proximity's best documents, then the hits on screen)
#: and by the next requests for the same words. Unpickling a block's stored values is most
#: of the cost of reading it (a call per document).
_BLOCKS: Lru[tuple[str, int], Block] = Lru(BLOCK_BYTES, _block_bytes, keep_last=True)


def _values(matcher: Any, wanted: list[int], segment: str | None = None) -> dict[int, bytes]:
    """The stored values of a posting list for the wanted (ascending) documents.

    Block by block: a block whose last document is below the next wanted one is skipped
    unread, and in the others the wanted documents are found by bisection, not by stepping
    through the postings one Python call at a time. ``segment``: the name of the matcher's
    segment, under which the blocks read are kept for the next reads (``_BLOCKS``).
    """
    listing = _blocks_of(matcher)
    if listing is None:
        out: dict[int, bytes] = {}
        for docnum in wanted:
            if not matcher.is_active():
                break
            if matcher.id() < docnum:
                matcher.skip_to(docnum)
            if matcher.is_active() and matcher.id() == docnum:
                out[docnum] = matcher.value()
        return out
    return _listed_values(listing[1], listing[0], wanted, segment)


def _blocks_of(matcher: Any) -> Listing | None:
    """A posting reader's blocks as stored, and whether they hold document numbers as they
    are; None for a reader of values of a fixed size or not of W3's blocks."""
    inner = getattr(matcher, "child", matcher)  # deleted documents are never wanted
    fixed = getattr(inner, "_fixedsize", 0)
    if fixed is not None and fixed >= 0:
        return None
    listed = posting_blocks.blocks(inner)
    return None if listed is None else (bool(inner._byteids), listed)


def _listed_values(
    listed: list[posting_blocks.Block], byteids: bool, wanted: list[int], segment: str | None
) -> dict[int, bytes]:
    """``_values`` from a posting list's blocks."""
    out: dict[int, bytes] = {}
    i = 0
    for stored in listed:
        if i == len(wanted):
            break
        if stored.last < wanted[i]:
            continue
        ids, values = _block(stored, byteids, segment)
        while i < len(wanted) and wanted[i] <= stored.last:
            j = bisect_left(ids, wanted[i])
            if j < len(ids) and ids[j] == wanted[i]:
                out[wanted[i]] = values[j]
            i += 1
    return out


def _block(stored: posting_blocks.Block, byteids: bool, segment: str | None) -> Block:
    """The documents and stored values of a block of a posting list."""
    key = (segment, stored.offset) if segment is not None else None
    kept = _BLOCKS.get(key) if key is not None else None
    if kept is not None:
        return kept
    ids, _, values = stored.unpickled()
    block: Block = (ids if byteids else list(accumulate(ids)), values)
    if key is not None:
        _BLOCKS.put(key, block)
    return block


def page_of(starts: list[int], position: int) -> int:
    return max(1, bisect_right(starts, position))


def words_by_page(
    found: Positions, starts: list[int], pages: Iterable[int] | None = None
) -> dict[int, list[int]]:
    """The matching word numbers of each page, counted from the page's first word; of the
    given ``pages`` only, if given (the pages a hit shows: a position elsewhere is not
    looked at)."""
    out: dict[int, list[int]] = {}
    if pages is None:
        for pos in {p for at in found.values() for p in at}:
            page = page_of(starts, pos)
            out.setdefault(page, []).append(pos - starts[page - 1])
        return out
    ordered = sorted({p for at in found.values() for p in at})
    for page in pages:
        if not 0 < page <= len(starts):
            continue
        # The positions page_of puts on this page: from its start (any before the second
        # page's start on the first page) to the next page's start.
        lo = bisect_left(ordered, starts[page - 1]) if page > 1 else 0
        hi = bisect_left(ordered, starts[page]) if page < len(starts) else len(ordered)
        if lo < hi:
            first = starts[page - 1]
            out[page] = [pos - first for pos in ordered[lo:hi]]
    return out


def in_order_within(sequence: list[list[int]], slop: int) -> bool:
    """Whether the words stand in order, each at most ``slop`` positions after the previous
    one (as a sloppy phrase matches): ``sequence`` holds each word's sorted positions."""
    reachable = sequence[0] if sequence else []
    for following in sequence[1:]:
        if not reachable:
            return False
        ends = set()
        for start in reachable:
            # bisect into the next word's positions: those within (start, start + slop]
            i = bisect_right(following, start)
            while i < len(following) and following[i] - start <= slop:
                ends.add(following[i])
                i += 1
        reachable = sorted(ends)
    return bool(reachable)


def most_within(sequence: list[list[int]], span: int) -> int:
    """How many different words at most have a position within ``span`` positions of each
    other (``sequence`` holds each word's sorted positions, empty for a word not there).

    Ranking asks this of every candidate document; in most of them the words do stand
    together somewhere, so the window stops at the first place that has every word present."""
    present = sum(map(bool, sequence))
    if present < 2:
        return present
    if present == 2:
        one, other = (places for places in sequence if places)
        return 2 if _close(one, other, span) else 1
    merged = sorted((at, word) for word, places in enumerate(sequence) for at in places)
    counts = [0] * len(sequence)
    have = most = left = 0
    for at, word in merged:
        counts[word] += 1
        if counts[word] == 1:
            have += 1
        while at - merged[left][0] > span:
            first = merged[left][1]
            counts[first] -= 1
            if not counts[first]:
                have -= 1
            left += 1
        if have > most:
            most = have
            if most == present:
                break
    return most


def _close(one: list[int], other: list[int], span: int) -> bool:
    """Whether a position of one word stands within ``span`` positions of one of the other's
    (both sorted): each position of the shorter list looked up in the longer one, instead of
    merging and sorting both, for the two words most queries have."""
    if len(one) > len(other):
        one, other = other, one
    for at in one:
        i = bisect_left(other, at - span)
        if i < len(other) and other[i] <= at + span:
            return True
    return False
