"""The most recently used values within a budget, shared by threads.

The read side keeps what is costly to make and asked for again (a term's documents, a segment's
arrays, a term's positions, the texts of pages shown) for as long as a budget of memory allows.
Each value has a weight (its bytes, its characters); when the weights add up to more than the
budget the least recently used values go. ``functools.lru_cache`` counts entries, not their
weight, and holds its lock while a value is made; here a value is made outside the lock, so one
slow value never holds up the threads reading others (two threads making the same value at once
keep the first one stored). Memories of so many answers (``Lru.counted``) weigh each as one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Lru(Generic[K, V]):
    """Values by key, the least recently used dropped once their weights pass ``budget``.

    ``keep_last``: the value just stored stays even when it alone passes the budget (a caller
    about to use it would otherwise make it again next time anyway)."""

    def __init__(self, budget: float, weight: Callable[[V], float], keep_last: bool = False):
        self.budget = budget
        self._weight = weight
        self._keep = 1 if keep_last else 0
        self._kept: OrderedDict[K, V] = OrderedDict()
        self._total = 0.0
        self._lock = threading.Lock()

    @classmethod
    def counted(cls, most: int) -> Lru[K, V]:
        """At most ``most`` values, whatever their size (each weighs one)."""
        return cls(most, _one)

    def __len__(self) -> int:
        return len(self._kept)

    @property
    def total(self) -> float:
        """The weights of the values kept, added up."""
        return self._total

    def get(self, key: K) -> V | None:
        """The value kept under ``key`` (now the most recently used), or None."""
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
            return found

    def get_many(self, keys: Iterable[K]) -> dict[K, V]:
        """The values kept under any of ``keys``, under one lock."""
        found: dict[K, V] = {}
        with self._lock:
            for key in keys:
                value = self._kept.get(key)
                if value is not None:
                    self._kept.move_to_end(key)
                    found[key] = value
        return found

    def put_many(self, values: dict[K, V]) -> None:
        """``values`` kept (a key kept already keeps its value), then the budget enforced."""
        with self._lock:
            for key, value in values.items():
                if key not in self._kept:
                    self._kept[key] = value
                    self._total += self._weight(value)
            self._enforce()

    def put(self, key: K, value: V) -> None:
        """``value`` kept under ``key`` in place of the one kept before (a better answer for
        the same question: a deeper ranking), now the most recently used."""
        with self._lock:
            if key in self._kept:
                self._total -= self._weight(self._kept.pop(key))
            self._kept[key] = value
            self._total += self._weight(value)
            self._enforce()

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        """The value kept under ``key``, or ``make()`` (outside the lock), kept and returned.
        A value of None is kept too: "nothing" is an answer worth remembering."""
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        made = make()
        self.put_many({key: made})
        return made

    def _enforce(self) -> None:
        """The least recently used values dropped until the weights fit the budget (called
        under the lock)."""
        while self._total > self.budget and len(self._kept) > self._keep:
            _, dropped = self._kept.popitem(last=False)
            self._total -= self._weight(dropped)


def _one(_: object) -> float:
    return 1
