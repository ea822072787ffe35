"""Values one process of a server keeps are read by the others, within a budget, by generation."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

from indexer.store.shared_memory import SharedMemory


def _keep(path: Path) -> None:
    SharedMemory(path).put("ix/2", "recent", ("social", "all", True, True), {"found": [1, 2]})


def test_a_value_kept_by_one_process_is_read_by_another(tmp_path):
    path = tmp_path / "found.sqlite3"
    reader = SharedMemory(path)
    assert reader.get("ix/2", "recent", ("social", "all", True, True)) is None  # opened first
    child = multiprocessing.get_context("fork").Process(target=_keep, args=(path,))
    child.start()
    child.join(30)
    assert child.exitcode == 0
    assert reader.get("ix/2", "recent", ("social", "all", True, True)) == {"found": [1, 2]}
    # Only under its own generation, kind and key.
    assert reader.get("ix/3", "recent", ("social", "all", True, True)) is None
    assert reader.get("ix/2", "ranked", ("social", "all", True, True)) is None
    assert reader.get("ix/2", "recent", ("social", "any", True, True)) is None


def test_a_later_value_replaces_the_one_kept_and_a_new_generation_drops_the_old(tmp_path):
    memory = SharedMemory(tmp_path / "found.sqlite3")
    memory.put("ix/2", "recent", "key", (10, [1]))
    memory.put("ix/2", "recent", "key", (100, [1, 2]))  # a deeper ranking
    assert memory.get("ix/2", "recent", "key") == (100, [1, 2])
    other = SharedMemory(tmp_path / "found.sqlite3")
    other.put("ix/3", "recent", "key", (5, []))
    assert memory.get("ix/2", "recent", "key") is None
    assert memory.get("ix/3", "recent", "key") == (5, [])


def test_the_oldest_values_go_past_the_budget(tmp_path):
    memory = SharedMemory(tmp_path / "found.sqlite3", budget=10)
    for n in range(200):
        memory.put("ix/2", "recent", n, n)
    kept = [n for n in range(200) if memory.get("ix/2", "recent", n) is not None]
    assert 10 <= len(kept) <= 10 + 64 and kept[-1] == 199 and 0 not in kept


def test_a_memory_that_cannot_be_used_is_no_error(tmp_path):
    memory = SharedMemory(tmp_path / "missing" / "found.sqlite3")
    memory.put("ix/2", "recent", "key", 1)
    assert memory.get("ix/2", "recent", "key") is None
    memory.put("ix/2", "recent", "unpicklable", lambda: None)
    assert SharedMemory(tmp_path / "f.sqlite3").get("ix/2", "recent", "unpicklable") is None


def test_equal_keys_find_one_value_however_their_strings_were_made(tmp_path):
    """A key made in another process is equal, not the same objects: "social" typed twice is
    one string object in one process and two in the other."""
    memory = SharedMemory(tmp_path / "found.sqlite3")
    word = "".join(["soc", "ial"])
    memory.put("ix/2", "ranked", ("ranked", (word, word), ()), [(3, 1.5)])
    other = ("ranked", ("".join(["so", "cial"]), "".join(["s", "ocial"])), ())
    assert memory.get("ix/2", "ranked", other) == [(3, 1.5)]


def _claim(path: Path, answers) -> None:
    answers.put(SharedMemory(path).claim("ix/2", "beginnings", ("claim",), 600))


def test_one_process_claims_a_value_to_make_until_its_claim_is_old(tmp_path):
    path = tmp_path / "found.sqlite3"
    assert SharedMemory(path).get("ix/2", "beginnings", ("claim",)) is None  # as a server makes it
    answers = multiprocessing.get_context("fork").SimpleQueue()
    children = [
        multiprocessing.get_context("fork").Process(target=_claim, args=(path, answers))
        for _ in range(4)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(30)
        assert child.exitcode == 0
    assert sorted(answers.get() for _ in children) == [False, False, False, True]
    memory = SharedMemory(path)
    assert not memory.claim("ix/2", "beginnings", ("claim",), 600)
    assert memory.claim("ix/2", "beginnings", ("other",), 600)  # another value
    assert memory.claim("ix/3", "beginnings", ("claim",), 600)  # another generation
    time.sleep(0.05)
    assert memory.claim("ix/2", "beginnings", ("claim",), 0.01)  # its maker gone, it seems
    assert not memory.claim("ix/2", "beginnings", ("claim",), 600)


def test_a_claim_the_memory_cannot_say_is_the_asking_process_s(tmp_path):
    memory = SharedMemory(tmp_path / "missing" / "found.sqlite3")
    assert memory.claim("ix/2", "beginnings", ("claim",), 600)
    assert memory.claim("ix/2", "beginnings", ("claim",), 600)
