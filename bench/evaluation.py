"""Search quality on a relevance set: queries with the documents that must be found.

A relevance set is a CSV file (``corpus/queries.csv`` for the bundled corpus) with the columns
``id, query, language, kind, expected, note``: ``kind`` is ``same`` (answers in the query's own
language), ``cross`` (the best answers are in other languages) or ``code``; ``expected`` lists the
paths that must appear in the top 5, separated by ``;``. The same functions measure the project
and, in the benchmarks, the baselines it is compared with.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

Ranker = Callable[["Judged"], list[str]]


@dataclass(frozen=True)
class Judged:
    id: str
    query: str
    language: str
    kind: str
    expected: frozenset[str]

    @property
    def group(self) -> str:
        """Cross-language queries form their own group; the others count for their language."""
        return "cross" if self.kind == "cross" else self.language


def load(path: Path) -> list[Judged]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for row in rows:
        expected = frozenset(p.strip() for p in row["expected"].split(";") if p.strip())
        if row["query"].strip() and expected:
            out.append(Judged(row["id"], row["query"], row["language"], row["kind"], expected))
    return out


def reciprocal_rank(ranked: list[str], relevant: frozenset[str], k: int = 10) -> float:
    for i, path in enumerate(ranked[:k], start=1):
        if path in relevant:
            return 1.0 / i
    return 0.0


def ndcg(ranked: list[str], relevant: frozenset[str], k: int = 10) -> float:
    dcg = sum(1.0 / math.log2(i + 1) for i, p in enumerate(ranked[:k], start=1) if p in relevant)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(relevant), k) + 1))
    return dcg / ideal if ideal else 0.0


def recall(ranked: list[str], relevant: frozenset[str], k: int = 5) -> float:
    """Share of the expected documents in the top k (of at most k of them, so a query with
    more expected documents than places can still score 1.0)."""
    return len(set(ranked[:k]) & relevant) / min(len(relevant), k) if relevant else 0.0


@dataclass
class Scores:
    queries: int = 0
    mrr: float = 0.0
    ndcg: float = 0.0
    recall5: float = 0.0
    misses: list[str] = field(
        default_factory=list
    )  # queries with an expected document not in top 5


def evaluate(queries: Iterable[Judged], ranker: Ranker) -> dict[str, Scores]:
    """Scores per group ("en", "bg", "el", "pt", "cross") and over everything ("all")."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    misses: dict[str, list[str]] = defaultdict(list)
    for q in queries:
        ranked = ranker(q)
        values = (
            1.0,
            reciprocal_rank(ranked, q.expected),
            ndcg(ranked, q.expected),
            recall(ranked, q.expected),
        )
        for group in (q.group, "all"):
            for i, v in enumerate(values):
                sums[group][i] += v
            if values[3] < 1.0:
                misses[group].append(q.id)
    return {
        group: Scores(int(n), mrr / n, nd / n, rc / n, misses[group])
        for group, (n, mrr, nd, rc) in sums.items()
    }


def same_language_recall(scores: dict[str, Scores]) -> float:
    """Recall@5 over all queries that are not cross-language."""
    groups = [s for g, s in scores.items() if g not in ("cross", "all")]
    total = sum(s.queries for s in groups)
    return sum(s.recall5 * s.queries for s in groups) / total if total else 0.0


# Pages ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PageJudged:
    """A query whose answer is on known pages of one document (``corpus/page-queries.csv``:
    ``id, query, language, document, pages, note``; pages separated by ``;``)."""

    id: str
    query: str
    language: str
    document: str
    pages: frozenset[int]


#: For a page-judged query: the pages a search shows for its document, best first (empty when
#: the document is not among the results).
PageRanker = Callable[[PageJudged], list[int]]


def load_pages(path: Path) -> list[PageJudged]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [
        PageJudged(
            row["id"],
            row["query"],
            row["language"],
            row["document"],
            frozenset(int(p) for p in row["pages"].split(";") if p.strip()),
        )
        for row in rows
        if row["query"].strip() and row["pages"].strip()
    ]


@dataclass
class PageScores:
    queries: int = 0
    found: float = 0.0  #: the document is among the results
    first: float = 0.0  #: the first page shown (the one a result opens at) is a right one
    shown: float = 0.0  #: a right page is among the pages shown
    misses: list[str] = field(default_factory=list)  #: queries whose first page is wrong


def evaluate_pages(queries: Iterable[PageJudged], ranker: PageRanker) -> dict[str, PageScores]:
    """Right page first, per language and over everything ("all")."""
    out: dict[str, PageScores] = defaultdict(PageScores)
    for q in queries:
        shown = ranker(q)
        for group in (q.language, "all"):
            s = out[group]
            s.queries += 1
            s.found += bool(shown)
            s.first += bool(shown) and shown[0] in q.pages
            s.shown += bool(set(shown) & q.pages)
            if not shown or shown[0] not in q.pages:
                s.misses.append(q.id)
    for s in out.values():
        s.found, s.first, s.shown = (v / s.queries for v in (s.found, s.first, s.shown))
    return dict(out)
