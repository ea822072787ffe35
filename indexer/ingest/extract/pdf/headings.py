"""The heading of a scanned first page: the lines OCR read in the largest letters at the top.

A text layer tells the size of its type, and the largest type on a first page is its title; a
scan has no type, but the word boxes Tesseract gives tell how wide the letters are, and a
heading's letters are wider than the body's. (Their heights say less: a word with a capital and
a descender is twice as tall as one in small letters of the same type.)
"""

from __future__ import annotations

import statistics

#: A heading's letters are at least this much taller than the page's usual line.
TALLER = 1.25
#: Only the top of the page is searched, and a heading is at most this many lines.
TOP_LINES, MAX_LINES = 12, 4

Box = tuple[str, int, int, int, int]  # word, left, top, right, bottom


def _lines(boxes: list[Box]) -> list[tuple[float, str]]:
    """(letter width, text) of each line, top to bottom: words whose middles fall within a line's
    top and bottom belong to it."""
    lines: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: (b[2], b[1])):
        middle = (box[2] + box[4]) / 2
        if lines and lines[-1][0][2] <= middle <= lines[-1][0][4]:
            lines[-1].append(box)
        else:
            lines.append([box])
    out = []
    for words in lines:
        words.sort(key=lambda b: b[1])
        widths = [(b[3] - b[1]) / len(b[0]) for b in words if len(b[0]) >= 2] or [
            (b[3] - b[1]) / max(len(b[0]), 1) for b in words
        ]
        out.append((statistics.median(widths), " ".join(b[0] for b in words)))
    return out


def scan_heading(boxes: list[Box]) -> str | None:
    """The run of tallest lines at the top of a page, or None when no line stands out."""
    lines = _lines(boxes)
    if len(lines) < 3:
        return None
    usual = statistics.median(h for h, _ in lines)
    top = lines[:TOP_LINES]
    tallest = max(h for h, _ in top)
    if tallest < usual * TALLER:
        return None
    picked: list[str] = []
    for height, text in top:
        if height >= tallest / TALLER * 1.05:
            picked.append(text)
        elif picked:
            break
    heading = " ".join(picked[:MAX_LINES]).strip()
    return heading if sum(c.isalpha() for c in heading) >= 4 else None
