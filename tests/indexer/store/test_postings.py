"""Postings held in columns: given back by term in term order, each term's documents in the
order they came, whether added as tuples, as a worker's encoded columns or as whole lists;
runs on disk read back whole and in order, a bounded piece at a time (a long run's last
commit reads one piece of every run at once)."""

import pickle
import random
from array import array

from indexer.store.postings import PostingLists, run_entries
from indexer.store.schema import Encoded


def chunks(path):
    with path.open("rb") as fh:
        while True:
            try:
                yield pickle.load(fh)
            except EOFError:
                return


def plainly(added):
    """The postings grouped by field and term the straightforward way."""
    grouped = {}
    for name, doc, rows in added:
        for term, _, weight, value in rows:
            ids, weights, values = grouped.setdefault((name, term), ([], [], []))
            ids.append(doc)
            weights.append(weight)
            values.append(value)
    return sorted(grouped.items())


def test_postings_come_back_by_term_each_terms_documents_in_order():
    rng = random.Random(7)
    letters = b"abcxyz\xc3\xa9"
    words = sorted({bytes(rng.choices(letters, k=rng.randint(1, 4))) for _ in range(300)})
    rng.shuffle(words)
    lists, added = PostingLists(), []
    for doc in range(120):
        for name in ("text", "title", "vocab"):
            chosen = sorted(set(rng.sample(words, rng.randint(0, 40))))
            freqs = [rng.randint(1, 5) for _ in chosen]
            values = [bytes([f, doc % 256]) for f in freqs]
            if name == "text":  # as a worker sends them: columns, weight = frequency × boost
                lists.add(name, doc, Encoded(chosen, array("I", freqs), values, 1.5))
                rows = [(t, f, f * 1.5, v) for t, f, v in zip(chosen, freqs, values, strict=True)]
            else:
                rows = [(t, f, float(f), v) for t, f, v in zip(chosen, freqs, values, strict=True)]
                rng.shuffle(rows)  # any order within a document
                lists.add(name, doc, rows, factor=2.0 if name == "vocab" else 1.0)
                if name == "vocab":
                    rows = [(t, f, w * 2.0, v) for t, f, w, v in rows]
            added.append((name, doc, rows))
    # Whole lists of later documents (a merged segment's) follow those added.
    for n, term in enumerate(words[:50]):
        docs = list(range(200 + n, 400, 37))
        lists.add_list("text", term, (docs, [1.0] * len(docs), [b"m"] * len(docs)))
        for doc in docs:
            added.append(("text", doc, [(term, 1, 1.0, b"m")]))
    added.sort(key=lambda entry: entry[1])  # (stable: per document, in the order added)
    assert [(key, tuple(map(list, got))) for key, got in lists.entries()] == [
        (key, tuple(map(list, want))) for key, want in plainly(added)
    ]
    assert lists.count == 0 and lists.terms == 0


def test_a_run_is_read_back_in_order_a_bounded_number_of_postings_at_a_time(tmp_path):
    def filled():
        lists = PostingLists()
        for doc in range(40):
            shared = [(f"w{n:04d}".encode(), 1, 1.0, b"\x00\x01") for n in range(600)]
            own = [(f"x{doc:03d}-{n:04d}".encode(), 1, 1.0, b"\x02") for n in range(300)]
            lists.add("text", doc, shared + own)
            lists.add("title", doc, [(f"t{n}".encode(), 1, 1.0, b"") for n in range(doc % 7 + 1)])
        return lists

    expected = list(filled().entries())
    lists = filled()
    run = tmp_path / "run0"
    lists.spill(run)
    assert lists.count == 0
    assert list(run_entries(run)) == expected
    sizes = [len(values) for *_, values in chunks(run)]
    assert len(sizes) > 1
    # No piece holds more than 1,024 postings but for a single term's own list.
    assert all(size <= 1_024 for size in sizes), sizes
