"""Codes that name documents and acts — ESF+, COM(2021) 778, 2021/1060, 207(I)/2020, AD&C —
kept whole as single terms, so they stay findable although the word tokenizer splits them."""

from __future__ import annotations

import re
from collections.abc import Iterator

IDENTIFIER = re.compile(
    r"""
    \b(?:COM|SWD|SEC|C)\s?\(\d{4}\)\s?\d+              # Commission documents
    | \b\d{1,4}\s?\([IVXΙ]+\)\s?/\s?\d{4}\b            # Cypriot laws: 207(I)/2020
    | \b(?:19|20)\d{2}\s?/\s?\d{1,5}\b                  # EU acts: 2021/1060
    | \b\d{1,5}\s?/\s?(?:19|20)\d{2}\b                  # 1303/2013
    | \b[^\W\d_]{2,8}\+(?!\w)                           # ESF+, ЕСФ+, ΕΚΤ+, FSE+
    | \b[A-Z]{1,4}&[A-Z]{1,4}\b                         # AD&C
    """,
    re.X,
)


#: Every code has one of these characters, at most `_REACH` characters after its start (the
#: longest lead is eight letters before "+"). A pattern added above must keep to that, or be
#: added here: `find_codes` looks for codes only around them.
_ANCHOR = re.compile(r"[(/+&]")
_REACH = 8


def find_codes(text: str) -> Iterator[re.Match[str]]:
    """What ``IDENTIFIER.finditer(text)`` finds, the same matches in the same order, tried only
    at the few places before each of the characters every code holds: a page of prose is not
    tried at every one of its characters."""
    done = 0  # where the last code ended: the next one starts at or after it
    tried = 0  # every start before this was tried and held no code
    for anchor in _ANCHOR.finditer(text):
        at = anchor.start()
        if at < done:
            continue
        # A code starting before at - _REACH would have an anchor before this one; those
        # starts were tried with it.
        for start in range(max(done, tried, at - _REACH), at + 1):
            found = IDENTIFIER.match(text, start)
            if found is not None:
                yield found
                done = found.end()
                break
        tried = max(tried, at + 1)


def identifier_key(code: str) -> str:
    return re.sub(r"\s+", "", code).casefold().replace("ι", "i")
