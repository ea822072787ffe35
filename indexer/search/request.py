"""What selects a result page, checked once before any work is done."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import get_args

from ..errors import QueryError
from ..store.schema import FACET_FIELDS
from .contract import Mode, Sort

SORTS: tuple[Sort, ...] = get_args(Sort)
MODES: tuple[Mode, ...] = get_args(Mode)
MAX_PER_PAGE = 100
#: Results beyond this depth are not paged to: narrowing the search serves better.
MAX_DEPTH = 100_000
#: The year filter's value for documents without a date.
UNDATED = "undated"
_YEARS = re.compile(r"^\s*(\d{4})?\s*(-|–|\.\.)?\s*(\d{4})?\s*$")


def year_span(value: str) -> tuple[int, int] | None:
    """The years a year filter value covers, both ends included: "2021" → (2021, 2021),
    "2021-2023" → (2021, 2023), "2021-" and "-2023" open on one side; None for "undated".

    Raises QueryError for anything else, so a mistyped range is never silently empty.
    """
    if value.strip().lower() == UNDATED:
        return None
    m = _YEARS.match(value)
    if not m or not (m.group(1) or m.group(3)) or (m.group(2) is None and m.group(3)):
        raise QueryError(
            f"year {value!r} is not understood: give a year (2021), a range (2021-2023, "
            f"2021-, -2023) or {UNDATED!r}"
        )
    first = int(m.group(1)) if m.group(1) else 0
    last = int(m.group(3)) if m.group(3) else (9999 if m.group(2) else first)
    if first > last:
        raise QueryError(f"year range {value!r} ends before it starts")
    return first, last


def as_sort(value: str) -> Sort:
    """``value`` as an order of results; QueryError when it names none."""
    if value not in SORTS:
        raise QueryError(f"sort must be one of: {', '.join(SORTS)}")
    return value


def as_mode(value: str) -> Mode:
    """``value`` as a way of matching the words; QueryError when it names none."""
    if value not in MODES:
        raise QueryError(f"mode must be {' or '.join(repr(m) for m in MODES)}")
    return value


@dataclass
class SearchRequest:
    """Everything that selects a result page; the URL of a search page holds exactly this."""

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: Sort = "relevance"
    page: int = 1
    per_page: int = 10
    mode: Mode = "all"
    expand: bool = True
    #: When the words find nothing and one correction is far more likely, search it instead
    #: (False: the words exactly as typed).
    correct: bool = True

    def words_key(self) -> tuple[str, str, bool, bool]:
        """Everything that decides what the words match (not filters, order or paging): the
        key under which their parsed form, matches and ranking are remembered."""
        return (self.q, self.mode, self.expand, self.correct)

    def validate(self) -> None:
        as_sort(self.sort)
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise QueryError(f"per_page must be between 1 and {MAX_PER_PAGE}")
        if self.page < 1:
            raise QueryError("page must be 1 or more")
        if self.page * self.per_page > MAX_DEPTH:
            raise QueryError("page is too far; narrow the search instead")
        as_mode(self.mode)
        for facet in self.filters:
            if facet not in FACET_FIELDS:
                raise QueryError(f"unknown filter {facet!r}; use one of {', '.join(FACET_FIELDS)}")
        for value in self.filters.get("year", ()):
            year_span(value)

    @property
    def start(self) -> int:
        """Index of the first result on the page."""
        return (self.page - 1) * self.per_page

    @property
    def end(self) -> int:
        return self.page * self.per_page

    def selected(self) -> dict[str, set[str]]:
        """The facet values chosen, per facet (empty selections left out)."""
        return {f: set(v) for f, v in self.filters.items() if v}
