"""How a query was understood, told back to the reader.

The query that runs is spread over every text field and analysed for every language, which
says little to a reader. What they are shown instead is their own words sorted by role —
required words, phrases, excluded words, prefixes, patterns, fuzzy words, field filters,
codes — from the parser's tree before that analysis, so a misplaced quote or operator is
plain to see. Punctuation that is not syntax is already out (``typed``): "Ireland?" is
shown as the word it is searched as.
"""

from __future__ import annotations

from typing import Any

from whoosh import query as wq

from ..contract import Mode
from .typed import Codes

#: The role of a leaf by its kind, and the mark it is shown with (first match wins).
_ROLES = (
    (wq.Phrase, "phrases", ""),
    (wq.Prefix, "prefixes", "*"),
    (wq.Wildcard, "patterns", ""),
    (wq.FuzzyTerm, "fuzzy", "~"),
)
_WORD = ("words", "")


def explain(tree: wq.Query, codes: Codes, mode: Mode) -> dict[str, Any]:
    """The words of ``tree`` (parsed from the protected text, without analysis) by role."""
    out: dict[str, Any] = {
        "mode": mode,
        "words": [],
        "phrases": [],
        "excluded": [],
        "prefixes": [],
        "patterns": [],
        "fuzzy": [],
        "fields": [],
        "codes": list(codes),
        "alternatives": False,
    }

    def walk(node: wq.Query, negated: bool = False) -> None:
        if isinstance(node, wq.Not):
            walk(node.query, True)
            return
        if isinstance(node, wq.Or) and mode == "all":
            out["alternatives"] = True
        if isinstance(node, wq.AndNot):
            walk(node.a, negated)
            walk(node.b, True)
            return
        if not node.is_leaf():
            for child in node.children():
                walk(child, negated)
            return
        fieldname = node.field()
        if isinstance(node, wq.Phrase):
            text = " ".join(node.words)
        else:
            text = codes.restore(str(getattr(node, "text", "")))
        if not text or codes.ids_in(text):
            return
        if negated:
            out["excluded"].append(text)
        elif fieldname not in (None, "text"):
            out["fields"].append({"field": fieldname, "value": text})
        else:
            role, mark = next(((r, m) for kind, r, m in _ROLES if isinstance(node, kind)), _WORD)
            if role != "words" or text not in codes:
                out[role].append(text + mark)

    walk(tree)
    out["text"] = str(tree)
    return out
