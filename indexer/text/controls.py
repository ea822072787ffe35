"""Characters no stored value or written document may hold: control characters, and what XML
cannot carry at all.

Values typed by editors (a manifest's cells, a correction) or found in files (a PDF's title)
sometimes hold control characters: pasted from another program, or put there by someone who
wants to break what reads them. XML 1.0 cannot carry C0 controls other than tab and line
breaks (not even escaped), so one such character makes a whole feed unreadable.
"""

from __future__ import annotations

import re

#: C0 and C1 control characters and DEL, the two noncharacters U+FFFE and U+FFFF, lone
#: surrogates.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
#: Everything XML 1.0 does not allow in a document, and the controls it discourages (DEL, C1).
_NOT_XML = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def one_line(value: str) -> str:
    """A one-line value: control characters (tabs and line breaks too) and runs of white
    space become one space; no space at either end."""
    return " ".join(_CONTROLS.sub(" ", value).split())


def xml_safe(value: str) -> str:
    """``value`` without the characters XML cannot hold."""
    return _NOT_XML.sub("", value)


__all__ = ["one_line", "xml_safe"]
