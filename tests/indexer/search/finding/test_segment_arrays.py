"""Arrays decoded from a segment serve the next index generations that keep the segment."""

from __future__ import annotations

import numpy as np

from indexer.ingest.run import run_index
from indexer.search import SearchEngine, SearchRequest
from indexer.search.finding import phrases, scoring
from indexer.search.finding.segment_arrays import SegmentArrays
from tests.factories import make_text

REQUESTS = [
    SearchRequest(q="social innovation"),
    SearchRequest(q='"social innovation"'),
    SearchRequest(q="outcomes", sort="newest"),
    SearchRequest(q="centre OR fund", page=1, per_page=2),
]


def _answers(engine: SearchEngine) -> list[list[tuple[str, float | None, list[int]]]]:
    return [
        [(h["path"], h["score"], h["pages"]) for h in engine.search(r)["hits"]] for r in REQUESTS
    ]


def test_a_new_generation_decodes_only_its_new_segment(settings, docs, monkeypatch):
    make_text(docs / "a.txt", "Social innovation in the competence centre.\fOutcomes are paid.")
    make_text(docs / "b.txt", "The fund pays for outcomes of social innovation projects.")
    run_index(settings)
    engine = SearchEngine(settings)
    _answers(engine)  # decodes the first segment's terms

    decoded: list[str] = []
    for module, name in ((scoring, "_segment_postings"), (phrases, "_segment_keys")):
        original = getattr(module, name)

        def spy(reader, *args, _original=original):  # type: ignore[no-untyped-def]
            decoded.append(reader.segment().segment_id())
            return _original(reader, *args)

        monkeypatch.setattr(module, name, spy)
    make_text(docs / "c.txt", "A centre for social innovation, its fund and its outcomes.")
    run_index(settings)  # a second segment
    answers = _answers(engine)
    with engine.snapshots.use() as snapshot:
        segments = [
            sub.reader().segment().segment_id() for sub, _ in snapshot.searcher.leaf_searchers()
        ]
    assert len(segments) == 2 and decoded
    assert set(decoded) == {segments[1]}  # the first segment's arrays were kept

    # The same answers as arrays decoded afresh for this generation.
    fresh = SegmentArrays()
    monkeypatch.setattr(scoring, "SEGMENTS", fresh)
    monkeypatch.setattr(phrases, "SEGMENTS", fresh)
    anew = SearchEngine(settings)
    assert _answers(anew) == answers
    assert any(hits for hits in answers) and any(p == "c.txt" for hits in answers for p, *_ in hits)
    engine.close()
    anew.close()


def test_arrays_past_the_budget_are_dropped_oldest_first():
    kept = SegmentArrays(budget=3 * 800)
    for n in range(5):
        kept.get(("s", n), lambda: (np.zeros(100),))  # 800 bytes each
    made: list[int] = []

    def make(n: int) -> tuple[np.ndarray]:
        made.append(n)
        return (np.zeros(100),)

    for n in (4, 3, 2, 1):
        kept.get(("s", n), lambda n=n: make(n))
    assert made == [1]  # the newest three were kept, the older ones dropped
