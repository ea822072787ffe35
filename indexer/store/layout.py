"""The version of the index's layout, kept apart from the schema it describes.

Every run and every reader checks an index's layout (`index.layout_is_current`) before anything
else; the schema itself needs Whoosh's field classes, NumPy and the analysers, which a run that
finds nothing changed, or a status page, never uses. Bump the version whenever what the index's
files hold changes (`schema`, its analysers, the segment format): an index in another layout is
refused by readers and rebuilt by the next run.
"""

from __future__ import annotations

__all__ = ["SCHEMA_VERSION"]

#: 4: body fields take pre-analysed terms; codes are placed at their word, as in `text`.
#: 5: the schema's field and analyser classes live in `indexer.store.schema` and
#: `indexer.text.analysers`; the index's pickled schema names them by module.
#: 6: a number written with separators is one word, indexed as its digits (`text.numbers`).
#: 7: words keep their combining marks; Cyrillic stress marks, ё/е and ґ/г folded; glued
#: letter+digit and apostrophe tokens also indexed by their parts, compounds also joined; the
#: record keeps the word positions of running headers and footers.
#:    lemmas followed to a fixed point and repaired; forms the dictionary lacks take the term
#:    of the known forms sharing their stem (or of their form without the definite article).
#: 8: a facet of the places a document names.
#: 9: what hits and listings show of a document is also a column of its own (`HIT_FIELDS`),
#: and so is where every 16th word of each page ends (`checkpoint_value`).
#: 10: which pages are contents pages, and each page's headings, a column of their own
#: (`text.page_outline.outline_value`).
#: 11: body text positions written as plain numbers many postings are read from at once
#: (`packed_positions`).
SCHEMA_VERSION = 11
