"""Short beginnings completed once per generation answer as autocomplete works them out."""

from __future__ import annotations

import random
import threading
import time
import unicodedata

import pytest

from indexer.ingest.run import run_index
from indexer.search import SearchEngine
from indexer.search.queries.transliterate import to_latin
from indexer.search.suggesting import beginnings, suggest
from tests.factories import make_text
from tests.knowledge_bases import build_sample_kb

#: What may stand before the last word typed without being a word of its own.
BEFORE = ["", " ", "(", '"', "AND ", "( NOT ", "social ", "pay (", "плащане "]


def _accented(word: str, rnd: random.Random) -> str:
    """The word with an accent put on some of its letters (as a reader might type it)."""
    marks = ["\u0301", "\u0300", "\u0308", "\u0303"]
    out = []
    for c in word:
        out.append(c)
        if c.isalpha() and rnd.random() < 0.25:
            out.append(rnd.choice(marks))
    return unicodedata.normalize("NFC", "".join(out))


def _typed(words: list[str], rnd: random.Random) -> str:
    """A beginning as a reader may type it: of an index word, in any capitals, with or
    without accents, in Latin letters for a Cyrillic or Greek word, after other text."""
    word = rnd.choice(words)
    begun = word[: rnd.randint(1, 6)]
    style = rnd.random()
    if style < 0.15:
        begun = to_latin(begun) or begun
    elif style < 0.3:
        begun = _accented(begun, rnd)
    elif style < 0.45:
        begun = begun.upper()
    elif style < 0.6:
        begun = begun[:1].upper() + begun[1:]
    elif style < 0.7:
        begun = "".join(c.upper() if rnd.random() < 0.5 else c for c in begun)
    return rnd.choice(BEFORE) + begun


def test_kept_answers_are_those_autocomplete_works_out(engine):
    """Random beginnings of the index's words in Latin, Cyrillic and Greek letters, as readers
    type them, answered from the beginnings kept and worked out for each."""
    rnd = random.Random(23)
    with engine.snapshots.use() as snapshot:
        words = snapshot.prefixes().beginnings(6, 40)  # whole words, up to 40 letters
        hidden = frozenset({"payment-by-results"})
        table = beginnings.make(snapshot, 8, hidden, lambda: False)
        assert table is not None
        scripts = {unicodedata.name(w[0]).split()[0] for w in table.answers}
        assert {"LATIN", "CYRILLIC", "GREEK"} <= scripts
        answered = 0
        for _ in range(1500):
            typed = _typed(words, rnd)
            kept = table.answer(typed, 8, hidden)
            if kept is not None:
                assert kept == suggest.autocomplete(snapshot, typed, 8, hidden), typed
                answered += 1
        # Every beginning kept, as typed alone in small letters.
        for beginning in rnd.sample(sorted(table.answers), min(300, len(table.answers))):
            expected = suggest.autocomplete(snapshot, beginning, 8, hidden)
            assert table.answer(beginning, 8, hidden) == expected
        # Other limits and hidden words are not those kept.
        some = next(iter(table.answers))
        assert table.answer(some, 3, hidden) is None
        assert table.answer(some, 8, frozenset()) is None
    assert answered > 300


def test_a_warmed_engine_answers_as_one_that_works_each_beginning_out(sample_kb, monkeypatch):
    rnd = random.Random(7)
    plain = SearchEngine(sample_kb)
    warmed = SearchEngine(sample_kb)
    try:
        warmed.warm()
        with warmed.snapshots.use() as snapshot:
            table = warmed._beginnings(snapshot).table
            words = snapshot.prefixes().beginnings(6, 40)
        assert table is not None and len(table.answers) > 100
        typed = [_typed(words, rnd) for _ in range(300)]
        expected = {t: plain.autocomplete(t) for t in typed}
        used = []
        real = beginnings.Beginnings.answer

        def counted(self, *args):
            found = real(self, *args)
            used.append(found is not None)
            return found

        monkeypatch.setattr(beginnings.Beginnings, "answer", counted)
        for t in typed:
            assert warmed.autocomplete(t) == expected[t], t
        assert sum(used) > 50
        # An answer is the caller's own: changing it changes no later one.
        first = warmed.autocomplete("so")
        assert first
        first[0]["text"] = "changed by the caller"
        assert warmed.autocomplete("so") == plain.autocomplete("so")
    finally:
        plain.close()
        warmed.close()


def test_one_process_completes_the_beginnings_and_the_other_reads_them_back(
    sample_kb, tmp_path, monkeypatch
):
    shared = sample_kb.with_(shared_memory=tmp_path / "found.sqlite3")
    one, other = SearchEngine(shared), SearchEngine(shared)
    alone = SearchEngine(sample_kb)
    try:
        one.warm()
        expected = {t: alone.autocomplete(t) for t in ("pa", "Soc", "(ou", "κο", "ПЛА", "fund")}

        def refused(*args: object) -> None:
            raise AssertionError("completed again")

        monkeypatch.setattr(beginnings, "make", refused)
        monkeypatch.setattr(suggest, "autocomplete", refused)
        other.warm()
        for typed, answer in expected.items():
            assert other.autocomplete(typed) == answer
        with pytest.raises(AssertionError, match="completed again"):
            other.autocomplete("fundin")  # longer than those kept: worked out
    finally:
        one.close()
        other.close()
        alone.close()


def test_a_process_waits_for_the_beginnings_another_claimed(sample_kb, tmp_path, monkeypatch):
    """Two processes opening a generation at once complete its beginnings once: the one that
    did not claim their making waits for the other's."""
    monkeypatch.setattr(beginnings, "LOOK_EVERY", 0.01)
    shared = sample_kb.with_(shared_memory=tmp_path / "found.sqlite3")
    one, other = SearchEngine(shared), SearchEngine(shared)
    real = beginnings.make
    made = []

    def counted(*args, **kwargs):
        made.append(1)
        return real(*args, **kwargs)

    try:
        with one.snapshots.use() as first, other.snapshots.use() as second:
            assert first.shared is not None and first.version == second.version
            assert first.shared.claim(first.version, beginnings.KIND, ("claim",), 600)
            monkeypatch.setattr(beginnings, "make", counted)
            waiting = beginnings.Ahead()
            thread = threading.Thread(target=waiting.prepare, args=(second, 8, frozenset()))
            thread.start()
            time.sleep(0.3)
            assert waiting.table is None and thread.is_alive()
            table = real(first, 8, frozenset(), lambda: False)
            first.for_other_processes(beginnings.KIND, ("made",), table)
            thread.join(60)
            assert waiting.table == table and made == []
    finally:
        one.close()
        other.close()


def test_a_new_generation_is_completed_ahead_once_it_has_stood_a_while(tmp_path):
    """A generation a run has just committed is not completed ahead (the run may commit the
    next in seconds); asked again once it has stood ``STEADY`` seconds, it is."""
    sample_kb = build_sample_kb(tmp_path)
    engine = SearchEngine(sample_kb)
    try:
        engine.warm()
        with engine.snapshots.use() as snapshot:
            old = snapshot.version
        make_text(
            sample_kb.corpus / "notes" / "zebra.txt",
            "Zebrafish cooperatives: a note on zebrafish farming by social enterprises.\n",
        )
        run_index(sample_kb)
        fresh = SearchEngine(sample_kb)
        try:
            expected = fresh.autocomplete("zebr")
        finally:
            fresh.close()
        assert any(e.get("completion") == "zebrafish" for e in expected), expected
        assert engine.autocomplete("zebr") == expected  # worked out meanwhile
        time.sleep(0.5)  # time enough for a completing thread to have begun, were one started
        with engine.snapshots.use() as snapshot:
            assert snapshot.version != old
            ahead = engine._beginnings(snapshot)
            assert not ahead.started and ahead.table is None  # too young to complete ahead
            snapshot.opened -= beginnings.STEADY
        assert engine.autocomplete("zebr") == expected
        with engine.snapshots.use() as snapshot:
            ahead = engine._beginnings(snapshot)
            deadline = time.monotonic() + 120
            while ahead.table is None and time.monotonic() < deadline:
                time.sleep(0.05)
            assert ahead.table is not None and "zebr" in ahead.table.answers
        assert engine.autocomplete("zebr") == expected
    finally:
        engine.close()
