"""Language of each page and of the whole document.

langdetect is statistical and, on its own, often takes Bulgarian for Russian or Macedonian. Those
three are told apart reliably by letters each one has and the others lack (ы/э/ё in Russian,
ј/ќ/ѓ/ѕ/љ/њ/џ in Macedonian), so the detector's guess is checked against the alphabet. Pages
that mix scripts (an English report with Bulgarian sections) are detected per script, so both
languages are found.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from langdetect import DetectorFactory, LangDetectException, detector_factory

from .models import Analysed, Extracted, Page

MIN_LETTERS = 40  # below this a page is "und": too little text to judge
MIN_SHARE = 0.08  # a language must hold this share of a document's letters to be listed …
MIN_LETTERS_FOR_LANGUAGE = 1200  # … or at least this many letters (about a page)
DETECT_CHARS = 3000
#: The knowledge base's own languages are far more likely than the other 51 langdetect knows;
#: a prior that says so keeps short English pages from being read as Italian or Dutch.
PREFERRED = ("en", "bg", "el", "pt")
_OTHER_PRIOR = 0.05

_SCRIPTS = {
    "cyrillic": re.compile(r"[\u0400-\u04ff]"),
    "greek": re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]"),
    "latin": re.compile(r"[A-Za-z\u00c0-\u024f]"),
}
_CYRILLIC_LANGS = {"bg", "ru", "mk", "uk", "sr", "be"}
_RUSSIAN_ONLY = re.compile(r"[ыэёЫЭЁ]")
_UKRAINIAN_ONLY = re.compile(r"[іїєґІЇЄҐ]")
_BELARUSIAN_ONLY = re.compile(r"[ўЎ]")
_MACEDONIAN_SERBIAN = re.compile(r"[јљњќѓѕџћђЈЉЊЌЃЅЏЋЂ]")
_SCRIPT_WORD = {
    name: re.compile(rf"(?:{rx.pattern})+(?:[-'’]?(?:{rx.pattern})+)*")
    for name, rx in _SCRIPTS.items()
}


@dataclass(frozen=True)
class Guess:
    language: str
    probability: float


_prior: dict[str, float] | None = None


def _detector(text: str) -> object:
    """A seeded detector with our prior (without a fixed seed langdetect answers differently
    from run to run)."""
    global _prior
    DetectorFactory.seed = 0
    detector_factory.init_factory()
    factory = detector_factory._factory
    if _prior is None:
        _prior = {
            lang: (1.0 if lang in PREFERRED else _OTHER_PRIOR) for lang in factory.get_lang_list()
        }
    detector = factory.create()
    detector.set_prior_map(_prior)
    detector.append(text)
    return detector


def _cyrillic_language(text: str, guess: str) -> str:
    if _BELARUSIAN_ONLY.search(text):
        return "be"
    if _RUSSIAN_ONLY.search(text):
        return "ru"
    if _UKRAINIAN_ONLY.search(text):
        return "uk"
    if _MACEDONIAN_SERBIAN.search(text):
        return guess if guess in {"mk", "sr"} else "mk"
    # No letter outside the Bulgarian alphabet: Russian or Macedonian guesses are wrong.
    return "bg"


def detect_text(text: str) -> Guess:
    """Language of a run of text in a single script.

    Greek script is Greek, and Cyrillic is told apart by its letters better than by
    statistics (see above), so only Latin text, and Cyrillic with Macedonian or Serbian
    letters, goes to langdetect. Its cost grows with the text while its answer settles within
    a few hundred words, so it reads the first DETECT_CHARS characters.
    """
    letters = sum(1 for ch in text if ch.isalpha())
    if letters < MIN_LETTERS:
        return Guess("und", 0.0)
    if len(_SCRIPTS["greek"].findall(text)) / letters > 0.5:
        return Guess("el", 1.0)
    cyrillic = len(_SCRIPTS["cyrillic"].findall(text)) / letters > 0.5
    if cyrillic and not _MACEDONIAN_SERBIAN.search(text):
        return Guess(_cyrillic_language(text, "bg"), 1.0)
    try:
        best = _detector(text[:DETECT_CHARS]).get_probabilities()[0]  # type: ignore[attr-defined]
    except LangDetectException:
        return Guess("und", 0.0)
    lang = best.lang.split("-")[0]
    if cyrillic:
        lang = _cyrillic_language(text, lang)
    return Guess(lang, best.prob)


def script_runs(text: str) -> dict[str, str]:
    """The words of each script in the text, joined: the unit detection runs on."""
    return {name: " ".join(rx.findall(text)) for name, rx in _SCRIPT_WORD.items()}


def detect_page(number: int, text: str) -> Page:
    """Detect per script, so a page half in English and half in Bulgarian yields both."""
    runs = script_runs(text)
    sizes = {name: sum(len(w) for w in run.split()) for name, run in runs.items()}
    total = sum(sizes.values())
    found: Counter[str] = Counter()
    for name, run in runs.items():
        if total and sizes[name] >= MIN_LETTERS and sizes[name] / total >= 0.15:
            guess = detect_text(run)
            if guess.language != "und":
                found[guess.language] += sizes[name]
    if not found:
        guess = detect_text(text)
        if guess.language != "und":
            found[guess.language] = total
    languages = [lang for lang, _ in found.most_common()]
    return Page(number, text, languages[0] if languages else "und", languages)


def document_languages(pages: list[Page]) -> tuple[str, list[str]]:
    """Dominant language by amount of text, and every language with a real share."""
    amount: Counter[str] = Counter()
    for page in pages:
        if not page.languages:
            continue
        runs = script_runs(page.text)
        per_script = {name: sum(len(w) for w in run.split()) for name, run in runs.items()}
        if len(page.languages) == 1:
            amount[page.languages[0]] += sum(per_script.values())
            continue
        for lang in page.languages:
            script = _script_of_language(lang)
            amount[lang] += per_script.get(script, 0)
    total = sum(amount.values())
    if not total:
        return "und", []
    ranked = amount.most_common()
    languages = [
        lang for lang, n in ranked if n / total >= MIN_SHARE or n >= MIN_LETTERS_FOR_LANGUAGE
    ]
    return ranked[0][0], languages


def _script_of_language(lang: str) -> str:
    if lang in _CYRILLIC_LANGS:
        return "cyrillic"
    if lang == "el":
        return "greek"
    return "latin"


def detect(extracted: Extracted) -> Analysed:
    """Per-page languages and the document's languages."""
    pages = [detect_page(i, text) for i, text in enumerate(extracted.pages, start=1)]
    language, languages = document_languages(pages)
    return Analysed(
        format=extracted.format,
        pages=pages,
        language=language,
        languages=languages,
        meta=dict(extracted.meta),
        warnings=list(extracted.warnings),
    )
