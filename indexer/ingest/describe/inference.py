"""Topics and the work a document is a translation of, inferred from its words and its file
name, each with the evidence it was inferred from. The other values have modules of their
own: `titles`, `dates`, `places` (countries and places), `doctype`, `organisations`.

These rules decide what a document is described as when the manifest is silent; when they
change, bump `version.DESCRIBE_VERSION` so every document is described again.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ...languages import LANGUAGES
from ...models import SourceFile, Value
from ...text.keys import Key
from ...text.taxonomy import Taxonomy

#: A year a report of this kind can be from, standing alone (not part of a longer number).
YEAR = re.compile(r"(?<!\d)(19[89]\d|20[0-4]\d)(?!\d)")
_LANG_SUFFIX = re.compile(r"^(?P<work>.+?)[_.-](?P<lang>[a-z]{2}(?:-[a-z]{2})?)$")


def infer_topics(taxonomy: Taxonomy, stream: list[tuple[Key, str]]) -> Value | None:
    """Topics whose signal words are frequent enough relative to the document's length."""
    mentions = taxonomy.topic_matcher.count(stream)
    words = max(len(stream), 1)
    threshold = max(3, words * 1.5 / 1000)
    ranked = sorted(mentions.items(), key=lambda kv: -kv[1].count)
    chosen = [(t, m) for t, m in ranked if m.count >= threshold][:5]
    if not chosen:
        return None
    evidence = [f"{t}: {', '.join(m.evidence(3))}" for t, m in chosen]
    return Value([t for t, _ in chosen], "inferred", evidence)


def infer_work(source: SourceFile) -> Value | None:
    m = _LANG_SUFFIX.match(PurePosixPath(source.path).stem)
    if m and m.group("lang").split("-")[0] in LANGUAGES:
        parent = PurePosixPath(source.path).parent
        work = str(parent / m.group("work")) if str(parent) != "." else m.group("work")
        return Value(work, "inferred", [f"file name ends in _{m.group('lang')}"])
    return None
