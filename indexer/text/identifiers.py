"""Codes that name documents and acts — ESF+, COM(2021) 778, 2021/1060, 207(I)/2020, AD&C —
kept whole as single terms, so they stay findable although the word tokenizer splits them."""

from __future__ import annotations

import re

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


def identifier_key(code: str) -> str:
    return re.sub(r"\s+", "", code).casefold().replace("ι", "i")
