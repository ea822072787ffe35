"""The completions of every short beginning of a word, made once per index generation.

A reader's first letters are the costliest to complete: two letters begin hundreds of index
words and titles, and completing them groups the most frequent words by their forms (each
looked up in the lemma tables), counts their documents and reads the titles that have them —
5 to 20 ms the first time a process meets the beginning, while the next keystrokes of every
reader wait behind it. Yet the beginnings of two to four letters that begin any index word
are few (some 6,500 at 3,000 documents, 7,600 at 10,000): so they are all completed at once
when a generation is opened, by one process of the server, which keeps them for the others
(``store/shared_memory.py``), and a request for one only writes the kept answer as the
reader typed it — the capitals of the word typed and any text before it. A longer beginning
begins few words and is completed when it is asked for, as is a last word typed after others
(its completions depend on those).

The kept answers are autocomplete's own (``suggest.autocomplete`` of the beginning), so an
answer from here is the one a request would work out.
"""

from __future__ import annotations

import logging
import pickle
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ...text.terms import fold
from ..finding.snapshot import Snapshot
from . import suggest

log = logging.getLogger(__name__)

#: Lengths of the beginnings completed ahead (autocomplete starts at two letters).
SHORTEST = 2
LONGEST = 4
#: Under this kind the server's processes keep a generation's beginnings (and the claim of
#: the process making them).
KIND = "beginnings"
#: A process that claimed the making of the beginnings and kept nothing within this long is
#: taken to have ended: another makes them.
CLAIM_SECONDS = 600.0
#: How often a process waiting for another's beginnings looks for them.
LOOK_EVERY = 0.25
#: Seconds a later generation must have stood before its beginnings are completed: while a
#: run commits batch after batch, a generation lasts a few seconds, and completing each one's
#: beginnings would take a core from the readers for answers soon thrown away.
STEADY = 20.0


@dataclass(frozen=True)
class Beginnings:
    """The answers of one generation's short beginnings, each as autocomplete gave it for the
    beginning alone (in small letters), pickled: a few hundred bytes each."""

    limit: int
    hidden: frozenset[str]
    answers: dict[str, bytes]

    def answer(self, typed: str, limit: int, hidden: frozenset[str]) -> list[dict[str, Any]] | None:
        """The completions of ``typed`` as autocomplete gives them, when they are among
        those kept (else None): a beginning typed alone or after words that are no words
        (``(``, a quote, AND), in any capitals, with as many letters in small ones."""
        if limit != self.limit or hidden != self.hidden:
            return None
        typed = typed.lstrip()
        head, tail, previous = suggest.typed_parts(typed)
        key = tail.lower()
        kept = self.answers.get(key)
        # Autocomplete reads the last word in small letters, folded and for its length only.
        if kept is None or previous or len(key) != len(tail) or fold(tail) != fold(key):
            return None
        found: list[dict[str, Any]] = pickle.loads(kept)
        for entry in found:
            if entry["kind"] == "term":
                entry["text"] = head + suggest.styled(tail, entry["completion"])
        return found


def make(
    snapshot: Snapshot, limit: int, hidden: frozenset[str], stop: Callable[[], bool]
) -> Beginnings | None:
    """Every beginning of SHORTEST to LONGEST letters of the generation's index words,
    completed; None when ``stop`` says so first (a newer generation came)."""
    answers: dict[str, bytes] = {}
    for beginning in snapshot.prefixes().beginnings(SHORTEST, LONGEST):
        if stop():
            return None
        if beginning.lower() != beginning or any(c in beginning for c in ' ("'):
            continue  # not a last word as typing one reads it
        found = suggest.autocomplete(snapshot, beginning, limit, hidden)
        answers[beginning] = pickle.dumps(found, pickle.HIGHEST_PROTOCOL)
    return Beginnings(limit, hidden, answers)


class Ahead:
    """A generation's beginnings in this process: none until made here or read back from
    the process of the server that made them."""

    def __init__(self) -> None:
        self.table: Beginnings | None = None
        self._started = False
        self._lock = threading.Lock()

    @property
    def started(self) -> bool:
        """Whether the beginnings are made or fetched already, or being so."""
        return self._started

    def start(self) -> bool:
        """True for the first caller only: the one to make or fetch the beginnings."""
        with self._lock:
            started, self._started = self._started, True
            return not started

    def prepare(self, snapshot: Snapshot, limit: int, hidden: frozenset[str]) -> None:
        """The beginnings made here, or read back from the server's process that claimed
        their making (waited for while that process makes them). Whatever goes wrong leaves
        autocomplete working each beginning out when asked, as it would without this."""
        try:
            self.table = self._shared(snapshot, limit, hidden) or self._made(
                snapshot, limit, hidden
            )
        except Exception as err:  # a memory only
            log.info("the beginnings of autocomplete were not completed ahead: %s", err)

    def _made(self, snapshot: Snapshot, limit: int, hidden: frozenset[str]) -> Beginnings | None:
        shared = snapshot.shared
        if shared is not None and not shared.claim(
            snapshot.version, KIND, ("claim",), CLAIM_SECONDS
        ):
            return self._waited(snapshot, limit, hidden)
        made = make(snapshot, limit, hidden, lambda: snapshot.retired)
        if made is not None:
            snapshot.for_other_processes(KIND, ("made",), made)
        return made

    def _waited(self, snapshot: Snapshot, limit: int, hidden: frozenset[str]) -> Beginnings | None:
        """The beginnings another process makes, once it has kept them (None if that process
        ends first, or the generation is replaced)."""
        until = time.monotonic() + CLAIM_SECONDS
        while time.monotonic() < until and not snapshot.retired:
            time.sleep(LOOK_EVERY)
            found = self._shared(snapshot, limit, hidden)
            if found is not None:
                return found
        return None

    @staticmethod
    def _shared(snapshot: Snapshot, limit: int, hidden: frozenset[str]) -> Beginnings | None:
        found = snapshot.from_other_processes(KIND, ("made",))
        if isinstance(found, Beginnings) and found.limit == limit and found.hidden == hidden:
            return found
        return None
