"""Runs of postings on disk: read back whole and in order, a bounded piece at a time (a long
run's last commit reads one piece of every run at once)."""

import pickle

from indexer.store.postings import PostingLists, run_entries


def chunks(path):
    with path.open("rb") as fh:
        while True:
            try:
                yield pickle.load(fh)
            except EOFError:
                return


def test_a_run_is_read_back_in_order_a_bounded_number_of_postings_at_a_time(tmp_path):
    lists = PostingLists()
    for doc in range(40):
        shared = [(f"w{n:04d}".encode(), 1, 1.0, b"\x00\x01") for n in range(600)]
        own = [(f"x{doc:03d}-{n:04d}".encode(), 1, 1.0, b"\x02") for n in range(300)]
        lists.add("text", doc, shared + own)
        lists.add("title", doc, [(f"t{n}".encode(), 1, 1.0, b"") for n in range(doc % 7 + 1)])
    expected = [(key, list(flat)) for key, flat in PostingLists.entries(_copy(lists))]
    run = tmp_path / "run0"
    lists.spill(run)
    assert lists.count == 0
    assert list(run_entries(run)) == expected
    sizes = [sum(len(flat) // 3 for _, flat in chunk) for chunk in chunks(run)]
    assert len(sizes) > 1
    # No piece holds more than 1,024 postings but for a single term's own list.
    assert all(size <= 1_024 for size in sizes), sizes


def _copy(lists: PostingLists) -> PostingLists:
    copy = PostingLists()
    for name, terms in lists.fields.items():
        for text, flat in terms.items():
            copy.add_list(name, text, list(flat))
    return copy
