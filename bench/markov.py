"""Word-level Markov chains learnt from the bundled corpus's sources: the prose of generated
documents and the words of their benchmark queries.

Learning from the real sources keeps word frequencies, inflections and sentence shapes close to
the documents the knowledge base holds, in each of its languages; the collection generator
(``generate.py``) only decides what documents there are and asks these chains for their text.
"""

from __future__ import annotations

import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

SOURCES = Path(__file__).resolve().parent.parent / "corpus" / "sources"
_TOKEN = re.compile(r"\S+")
_SENTENCE_END = re.compile(r"[.!?]$")


@dataclass
class Chain:
    """Word bigrams of one language: what follows each word, with its frequency."""

    following: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    starts: Counter[str] = field(default_factory=Counter)
    headings: list[str] = field(default_factory=list)
    words: Counter[str] = field(default_factory=Counter)

    def learn(self, text: str) -> None:
        for line in text.splitlines():
            line = line.strip()
            if not line or line.startswith(("|", "---", "title:", "date:", "organisation:")):
                continue
            if line.startswith("#"):
                heading = line.lstrip("#").strip()
                if 2 <= len(heading.split()) <= 9:
                    self.headings.append(heading)
                continue
            tokens = _TOKEN.findall(line.lstrip(">*- "))
            previous = None
            for token in tokens:
                if previous is None or _SENTENCE_END.search(previous):
                    self.starts[token] += 1
                else:
                    self.following[previous][token] += 1
                word = re.sub(r"^\W+|\W+$", "", token).lower()
                if len(word) > 3 and word.isalpha():
                    self.words[word] += 1
                previous = token

    def sentence(self, rng: random.Random, limit: int = 40) -> list[str]:
        word = _weighted(rng, self.starts)
        out = [word]
        while len(out) < limit and not _SENTENCE_END.search(word):
            nxt = self.following.get(word)
            if not nxt:
                break
            word = _weighted(rng, nxt)
            out.append(word)
        if not _SENTENCE_END.search(out[-1]):
            out[-1] = out[-1].rstrip(",;:") + "."
        return out


#: Cumulative weights of each counter drawn from, by its id. The counter is kept with them: an
#: id is only unique while its object lives, and chains learnt again (a second collection made
#: in the same process) would otherwise draw from the tables of freed counters, whose ids the
#: new ones reuse — words of another language, and texts that differ from one run to the next.
_CUMULATIVE: dict[int, tuple[Counter[str], list[str], list[int]]] = {}


def _weighted(rng: random.Random, counts: Counter[str]) -> str:
    """A key drawn with its count as weight (cumulative weights computed once per counter)."""
    table = _CUMULATIVE.get(id(counts))
    if table is None or table[0] is not counts:
        keys = list(counts)
        table = (counts, keys, list(accumulate(counts[k] for k in keys)))
        _CUMULATIVE[id(counts)] = table
    return rng.choices(table[1], cum_weights=table[2])[0]


def _language_of(path: Path) -> str | None:
    """The language a source's file name ends with (``…_bg.md``, ``…_en-gb.md``)."""
    match = re.search(r"_([a-z]{2})(?:-[a-z]{2})?\.md$", path.name)
    return match.group(1) if match else None


def load_chains(languages: Iterable[str], sources: Path = SOURCES) -> dict[str, Chain]:
    """One chain per language, in the order given, learnt from the sources in that language."""
    chains = {lang: Chain() for lang in languages}
    for path in sorted(sources.rglob("*.md")):
        lang = _language_of(path)
        if lang in chains:
            chains[lang].learn(path.read_text("utf-8"))
    return chains
