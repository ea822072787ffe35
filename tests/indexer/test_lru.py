"""The bounded cache the read side keeps its costly values in."""

import threading

from indexer.lru import Lru


def test_the_least_recently_used_values_go_once_their_weights_pass_the_budget():
    kept: Lru[str, str] = Lru(budget=6, weight=len)
    kept.get_or_make("a", lambda: "aa")
    kept.get_or_make("b", lambda: "bb")
    assert kept.get("a") == "aa"  # now "b" is the least recently used
    kept.get_or_make("c", lambda: "ccc")  # 7 > 6: "b" goes
    assert kept.get("b") is None and kept.get("a") == "aa" and kept.get("c") == "ccc"
    assert kept.total == 5 and len(kept) == 2


def test_a_kept_value_is_not_made_again_and_the_first_stored_stays():
    kept: Lru[int, list[int]] = Lru(budget=10, weight=lambda v: 1)
    first = kept.get_or_make(1, lambda: [1])
    assert kept.get_or_make(1, lambda: [2]) is first
    kept.put_many({1: [3], 2: [4]})  # a key kept already keeps its value
    assert kept.get(1) is first and kept.get_many([1, 2, 3]) == {1: [1], 2: [4]}


def test_a_value_heavier_than_the_budget_stays_only_when_asked():
    strict: Lru[str, str] = Lru(budget=2, weight=len)
    assert strict.get_or_make("big", lambda: "xxx") == "xxx"  # returned, not kept
    assert strict.get("big") is None and strict.total == 0
    lenient: Lru[str, str] = Lru(budget=2, weight=len, keep_last=True)
    lenient.get_or_make("small", lambda: "x")
    lenient.get_or_make("big", lambda: "xxx")
    assert lenient.get("big") == "xxx" and lenient.get("small") is None


def test_threads_share_one_cache_within_its_budget():
    kept: Lru[int, bytes] = Lru(budget=100, weight=len)

    def work(start: int) -> None:
        for i in range(start, start + 200):
            assert kept.get_or_make(i % 50, lambda i=i: bytes(i % 50 % 7 + 1)) is not None

    threads = [threading.Thread(target=work, args=(n * 13,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert kept.total <= 100
    assert kept.total == sum(len(v) for v in kept.get_many(range(50)).values())


def test_an_answer_of_none_is_kept_and_not_made_again():
    kept: Lru[str, int | None] = Lru.counted(2)
    made: list[str] = []
    for _ in range(3):
        assert kept.get_or_make("nothing", lambda: made.append("nothing")) is None
    assert made == ["nothing"] and len(kept) == 1


def test_a_counted_memory_keeps_its_most_recent_answers_whatever_their_size():
    kept: Lru[int, str] = Lru.counted(3)
    for n in range(5):
        kept.get_or_make(n, lambda n=n: "x" * 1000 * n)
    assert len(kept) == 3 and kept.total == 3
    assert kept.get_many(range(5)).keys() == {2, 3, 4}


def test_put_replaces_the_answer_kept_for_a_key():
    kept: Lru[str, str] = Lru(budget=5, weight=len)
    kept.put("a", "aa")
    kept.put("b", "b")
    kept.put("a", "aaa")  # a deeper answer for the same question
    assert kept.get("a") == "aaa" and kept.total == 4
    kept.put("c", "cc")  # 6 > 5: "b", now the least recently used, goes
    assert kept.get("b") is None and kept.get_many("ac") == {"a": "aaa", "c": "cc"}
