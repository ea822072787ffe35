"""Reading pictures of text (scans) with Tesseract, through pytesseract.

OCR is optional at run time: without the ``tesseract`` program an image-only page keeps a
"needs OCR" reason that says what to install. Tesseract reads a page far better with the right
language packs, and slower with every extra one, so the packs follow the script of the text:
a document's first scanned page is read with every installed pack of the knowledge base's
languages, and the script and language found there choose the packs for the pages after it.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ...config import one_thread_per_library
from ...languages import (
    LATIN,
    OCR_PACKS,
    indexed_languages,
    letter_counts,
    script_language,
    term_language,
    word_pattern,
)

if TYPE_CHECKING:
    from PIL import Image

#: Tesseract's pack for each language code the knowledge base uses.
PACKS = OCR_PACKS
INSTALL_HINT = (
    "install Tesseract with the language packs "
    "(Debian/Ubuntu: apt-get install tesseract-ocr tesseract-ocr-bul tesseract-ocr-ell "
    "tesseract-ocr-por tesseract-ocr-eng)"
)
#: Words Tesseract is less sure of than this (0–100) are dropped: on a picture with no text
#: (a logo, a photograph) that is all it "reads".
MIN_WORD_CONFIDENCE = 30.0


class OcrUnavailable(RuntimeError):
    """Tesseract, or every language pack it would need, is not installed."""


@dataclass
class OcrPage:
    """The text Tesseract read on one page, line by line, and how sure it was."""

    text: str
    confidence: float  # mean word confidence, 0–100 (0 when no word was read)
    words: int
    packs: str
    boxes: list[tuple[str, int, int, int, int]] = field(default_factory=list)


@lru_cache(maxsize=1)
def engine_version() -> str | None:
    """Tesseract's version, or None when it is not installed."""
    if shutil.which("tesseract") is None:
        return None
    try:
        import pytesseract

        return str(pytesseract.get_tesseract_version())
    except Exception:
        return None


def status(languages: Iterable[str], enabled: bool) -> dict[str, Any]:
    """What `kb status` and the admin page say of OCR: whether scans are read, by which
    Tesseract, with which of the knowledge base's language packs, and what is missing."""
    version = engine_version()
    have = installed_packs()  # none without Tesseract
    wanted = [PACKS.get(lang, lang) for lang in languages]
    missing = [p for p in wanted if p not in have]
    return {
        "enabled": enabled,
        "engine": f"Tesseract {version}" if version else "",
        "packs": sorted(p for p in wanted if p in have),
        "missing": missing,
        "plain_arithmetic": bool(version) and plain_arithmetic(),
        "install": INSTALL_HINT if missing else "",
    }


def needs_plain_arithmetic(version_report: str) -> bool:
    """Whether Tesseract, by its own account of the processor (``tesseract --version``: "Found
    AVX2", "Found SSE4.1"…), would multiply with its SSE integer code: on a processor with SSE4.1
    or AVX but no AVX2, Tesseract 5.3 reads every page as strings of punctuation and stray
    letters with that code (confidence ~40, a fifth of the words). Its plain arithmetic reads
    the same pages right, about three times slower; processors with AVX2 keep the fast path."""
    found = {
        line.split("Found", 1)[1].strip()
        for line in version_report.splitlines()
        if line.strip().startswith("Found ")
    }
    return "AVX2" not in found and bool(found & {"SSE4.1", "AVX", "SSE"})


@lru_cache(maxsize=1)
def plain_arithmetic() -> bool:
    """Whether this machine's Tesseract must read with its plain arithmetic
    (``needs_plain_arithmetic``, from its own ``--version`` report; asked once)."""
    try:
        report = subprocess.run(
            ["tesseract", "--version"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return needs_plain_arithmetic(report.stdout + report.stderr)


def engine_options() -> str:
    """Options given to Tesseract for every page: page layout found automatically, and its
    plain arithmetic where its fast code is known to misread."""
    return "--psm 3 -c dotproduct=generic" if plain_arithmetic() else "--psm 3"


@lru_cache(maxsize=1)
def installed_packs() -> frozenset[str]:
    if engine_version() is None:
        return frozenset()
    import pytesseract

    try:
        return frozenset(pytesseract.get_languages(config=""))
    except Exception:
        return frozenset()


def packs_for(languages: Iterable[str]) -> str:
    """Tesseract's ``-l`` argument for the given language codes, installed packs only."""
    have = installed_packs()
    chosen: list[str] = []
    for lang in languages:
        pack = PACKS.get(lang, lang)
        if pack in have and pack not in chosen:
            chosen.append(pack)
    if not chosen:
        if "eng" in have:
            return "eng"
        raise OcrUnavailable(
            f"no Tesseract language pack for {', '.join(languages)}; " + INSTALL_HINT
        )
    return "+".join(chosen)


def languages_of(text: str, default: Iterable[str]) -> list[str]:
    """Language codes for the packs that suit a page already read: its script decides, with
    English added to Cyrillic and Greek (reports in those scripts quote English names)."""
    counts = letter_counts(text)
    total = sum(counts.values())
    if total < 40:
        return list(default)
    found = []
    # Latin last: reports in the other scripts quote Latin names, not the other way round.
    for script in sorted(counts, key=lambda name: name == LATIN):
        if counts[script] / total < 0.15:
            continue
        if script == LATIN:
            from ...text.detect import detect_text

            guess = detect_text(" ".join(word_pattern(LATIN).findall(text))).language
            lang = term_language(LATIN, guess)
        else:
            lang = script_language(script)
        if lang and lang not in found:
            found.append(lang)
    english = indexed_languages(LATIN)[0]
    if found and english not in found:
        found.append(english)
    return found or list(default)


def read(image: Image.Image, packs: str, timeout: float = 0) -> OcrPage:
    """OCR one page image. ``timeout`` (seconds, 0 = none) stops Tesseract on a page that
    would take too long; the caller then records the page as unread."""
    if engine_version() is None:
        raise OcrUnavailable("Tesseract is not installed; " + INSTALL_HINT)
    import pytesseract

    one_thread_per_library()  # extraction already runs one worker per core
    data = pytesseract.image_to_data(
        image,
        lang=packs,
        config=engine_options(),
        output_type=pytesseract.Output.DICT,
        timeout=timeout,
    )
    lines: dict[tuple[int, int, int], list[str]] = {}
    confidences: list[float] = []
    boxes: list[tuple[str, int, int, int, int]] = []
    for i, word in enumerate(data["text"]):
        word = (word or "").strip()
        conf = float(data["conf"][i])
        if not word or conf < MIN_WORD_CONFIDENCE:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        lines.setdefault(key, []).append(word)
        confidences.append(conf)
        left, top = data["left"][i], data["top"][i]
        boxes.append((word, left, top, left + data["width"][i], top + data["height"][i]))
    out: list[str] = []
    previous: tuple[int, int] | None = None
    for (block, par, _line), words in lines.items():
        if previous is not None and previous != (block, par):
            out.append("")  # a blank line between paragraphs, as text layers have them
        out.append(" ".join(words))
        previous = (block, par)
    confidence = sum(confidences) / len(confidences) if confidences else 0.0
    return OcrPage("\n".join(out), round(confidence, 1), len(confidences), packs, boxes)


__all__ = [
    "INSTALL_HINT",
    "OcrPage",
    "OcrUnavailable",
    "engine_options",
    "engine_version",
    "installed_packs",
    "languages_of",
    "needs_plain_arithmetic",
    "packs_for",
    "plain_arithmetic",
    "read",
    "status",
]
