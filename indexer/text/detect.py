"""Language of each page and of the whole document.

langdetect is statistical and, on its own, often takes Bulgarian for Russian or Macedonian. Those
three are told apart reliably by letters each one has and the others lack (ы/э/ё in Russian,
ј/ќ/ѓ/ѕ/љ/њ/џ in Macedonian), so the detector's guess is checked against the alphabet. Pages
that mix scripts (an English report with Bulgarian sections) are detected per script, so both
languages are found.

Which language a document is *in* follows its running prose: lines of code, command lines and
placeholder filler ("lorem ipsum") are left out, and a Latin word inside a Cyrillic or Greek
sentence (a command name, a product) counts for that sentence's language, not for English.
The share of prose in each language is kept with the document.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from langdetect import DetectorFactory, LangDetectException
from langdetect.detector import Detector

from ..languages import (
    CYRILLIC,
    GREEK,
    INDEX_LANGUAGES,
    LATIN,
    SCRIPTS,
    distinguish,
    letter_counts,
    script_language,
    script_of_language,
    shared_letters,
    word_pattern,
)
from ..models import Analysed, Extracted, Page
from .profiles import CompactDetector, factory

MIN_LETTERS = 40  # below this a page is "und": too little text to judge
MIN_SHARE = 0.08  # a language must hold this share of a document's letters to be listed …
MIN_LETTERS_FOR_LANGUAGE = 1200  # … or at least this many letters (about a page)
#: Characters of a run langdetect reads (its cost grows with them, its answer settles early):
#: on the corpus, the PDF samples and 400 generated documents (3,067 pages) 700 gave every
#: page the language 1,500 and 3,000 gave; 400 changed one.
DETECT_CHARS = 700
#: The knowledge base's own languages are far more likely than the other 51 langdetect knows;
#: a prior that says so keeps short English pages from being read as Italian or Dutch.
PREFERRED = INDEX_LANGUAGES
_OTHER_PRIOR = 0.05
_SCRIPT_WORD = {name: word_pattern(name) for name in SCRIPTS}
_ASCII_LETTERS = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))
#: A letter, as ``str.isalpha`` has it (word characters less digits and the underscore).
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Guess:
    language: str
    probability: float


_prior: dict[str, float] | None = None


def _detector(text: str) -> Detector:
    """A seeded detector with our prior (without a fixed seed langdetect answers differently
    from run to run)."""
    global _prior
    DetectorFactory.seed = 0
    profiles = factory()
    if _prior is None:
        _prior = {
            lang: (1.0 if lang in PREFERRED else _OTHER_PRIOR) for lang in profiles.get_lang_list()
        }
    detector = CompactDetector(profiles)
    detector.set_prior_map(_prior)
    detector.append(text)
    return detector


def detect_text(text: str) -> Guess:
    """Language of a run of text in a single script.

    Greek script is Greek, and Cyrillic is told apart by its letters better than by
    statistics (see above), so only Latin text, and Cyrillic with Macedonian or Serbian
    letters, goes to langdetect. Its cost grows with the text while its answer settles within
    a few hundred words, so it reads the first DETECT_CHARS characters.
    """
    letters = len(_LETTER.findall(text))
    if letters < MIN_LETTERS:
        return Guess("und", 0.0)
    counts = letter_counts(text)
    if counts[GREEK] / letters > 0.5:
        return _in_script(GREEK, text)
    return _in_script(CYRILLIC if counts[CYRILLIC] / letters > 0.5 else LATIN, text)


def _in_script(script: str, text: str) -> Guess:
    """Language of text with at least MIN_LETTERS letters, most of them of ``script``: the
    script and the table of languages decide where they leave no choice, langdetect (on a
    bounded sample) where they do."""
    if script == GREEK:
        return Guess(script_language(GREEK) or "el", 1.0)
    cyrillic = script == CYRILLIC
    if cyrillic and not shared_letters(CYRILLIC, text):
        return Guess(distinguish(CYRILLIC, text, "bg"), 1.0)
    try:
        best = _detector(text[:DETECT_CHARS]).get_probabilities()[0]
    except LangDetectException:
        return Guess("und", 0.0)
    lang = best.lang.split("-")[0]
    if cyrillic:
        lang = distinguish(CYRILLIC, text, lang)
    return Guess(lang, best.prob)


# ---------------------------------------------------------------------------------------------
# Running prose
# ---------------------------------------------------------------------------------------------
_CODE_CHARS = re.compile(r"[{}\[\]();=<>$\\/|#@*`~^&%+]")
_CODE_LINE = re.compile(
    r"^\s*(?:\$ |# |// |>>> |\.\.\. |sudo |apt(?:-get)? |pip |git |npm |cd |ls |def |class |"
    r"import |from \S+ import |return |if \(|for \(|#include|<[a-z/!])",
)
_IDENTIFIER_WORD = re.compile(r"\b(?:\w+_\w+|[a-z]+[A-Z]\w*|--?[a-z][\w-]*|\w+\(\)?|\w+\.\w+)")
#: Placeholder Latin of page templates; langdetect has no Latin and calls it Catalan or Italian.
_FILLER = frozenset(
    (  # noqa: SIM905 - a word list reads better as text
        "lorem ipsum dolor sit amet consectetur consectetuer adipiscing adipisicing elit sed "
        "eiusmod tempor incididunt ut labore dolore magna aliqua enim minim veniam quis nostrud "
        "exercitation ullamco laboris nisi aliquip commodo consequat duis aute irure "
        "reprehenderit voluptate velit esse cillum fugiat nulla pariatur excepteur sint occaecat "
        "cupidatat proident sunt culpa qui officia deserunt mollit anim laborum mauris "
        "vestibulum nunc nisl nibh donec quam pellentesque morbi tristique senectus netus "
        "malesuada fames turpis egestas integer etiam aliquam vitae purus vivamus"
    ).split()
)
_LATIN_WORD = re.compile(r"[A-Za-z]+")
#: What each alternative of `_IDENTIFIER_WORD` needs somewhere in its match.
_MAYBE_CODED = re.compile(r"[_(-]|[a-z][A-Z]|\w\.\w")


def is_prose(line: str) -> bool:
    """Whether a line reads as running text: not code, a command line, or placeholder Latin."""
    stripped = line.strip()
    if not stripped or _CODE_LINE.match(stripped):
        return False
    visible = len(stripped.replace(" ", ""))
    if len(_CODE_CHARS.findall(stripped)) > max(2, visible * 0.08):
        return False
    words = stripped.split()
    # Every identifier-like word has one of the characters `_MAYBE_CODED` looks for.
    if len(words) >= 3 and _MAYBE_CODED.search(stripped):
        coded = len(_IDENTIFIER_WORD.findall(stripped))
        if coded / len(words) > 0.4:
            return False
    latin = _LATIN_WORD.findall(stripped)
    if len(latin) < 3 or _FILLER.isdisjoint(map(str.lower, latin)):
        return True
    return sum(w.lower() in _FILLER for w in latin) / len(latin) < 0.3


@dataclass(frozen=True)
class PageCounts:
    """What every language decision about one page needs, counted once: the letters of its
    running prose per script (each prose line for its dominant script), and the words of
    each script in its prose (in the whole page when it has no prose lines), with their size.
    The page's languages, the document's languages and their shares all read these."""

    prose: Counter[str]
    runs: dict[str, str]
    sizes: dict[str, int]


def page_counts(text: str) -> PageCounts:
    """One pass over a page's lines: which are prose, and their letters per script."""
    amount: Counter[str] = Counter()
    lines: list[str] = []
    for line in text.split("\n"):
        if not is_prose(line):
            continue
        lines.append(line)
        if line.isascii():
            # Only Latin letters, counted in C: those a copy without them lacks.
            letters = len(line) - len(line.encode().translate(None, _ASCII_LETTERS))
            if letters:
                amount[LATIN] += letters
            continue
        per_script = letter_counts(line)
        script, letters = max(per_script.items(), key=lambda kv: kv[1])
        if letters:
            amount[script] += sum(per_script.values())
    prose = "\n".join(lines) if lines else text
    words = {name: rx.findall(prose) for name, rx in _SCRIPT_WORD.items()}
    return PageCounts(
        prose=amount,
        runs={name: " ".join(found) for name, found in words.items()},
        sizes={name: sum(map(len, found)) for name, found in words.items()},
    )


def prose_letters(text: str) -> Counter[str]:
    """Letters of running prose per script. Each prose line counts for its dominant script
    only: Latin command names in a Bulgarian sentence are part of the Bulgarian text."""
    return page_counts(text).prose


def prose_text(text: str) -> str:
    """The page's prose lines, the text detection runs on (everything, if there are none)."""
    lines = [line for line in text.split("\n") if is_prose(line)]
    return "\n".join(lines) if lines else text


def script_runs(text: str) -> dict[str, str]:
    """The words of each script in the text, joined: the unit detection runs on."""
    return {name: " ".join(rx.findall(text)) for name, rx in _SCRIPT_WORD.items()}


def detect_page(number: int, text: str, counts: PageCounts | None = None) -> Page:
    """Detect per script, so a page half in English and half in Bulgarian yields both; the
    page's language is the one with most running prose."""
    counts = counts or page_counts(text)
    sizes = counts.sizes
    total = sum(sizes.values())
    found: Counter[str] = Counter()
    for name, run in counts.runs.items():
        if total and sizes[name] >= MIN_LETTERS and sizes[name] / total >= 0.15:
            # A run holds only its script's letters (and inner hyphens and apostrophes).
            guess = _run_language(name, run)
            if guess.language != "und":
                found[guess.language] += counts.prose.get(name, 0) * 1000 + sizes[name]
    if not found:
        guess = detect_text(text)
        if guess.language != "und":
            found[guess.language] = total
    languages = [lang for lang, _ in found.most_common()]
    return Page(number, text, languages[0] if languages else "und", languages)


def _run_language(script: str, run: str) -> Guess:
    if len(_LETTER.findall(run)) < MIN_LETTERS:
        return Guess("und", 0.0)
    return _in_script(script, run)


def language_amounts(pages: list[Page], counts: list[PageCounts] | None = None) -> Counter[str]:
    """Letters of running prose per language over a document (all letters of a page that has
    no prose at all, such as a slide of short phrases or a table). ``counts`` are the pages'
    own, when they were counted already."""
    amount: Counter[str] = Counter()
    for i, page in enumerate(pages):
        if not page.languages:
            continue
        page_count = counts[i] if counts is not None else page_counts(page.text)
        per_script = page_count.prose or Counter(page_count.sizes)
        if len(page.languages) == 1:
            amount[page.languages[0]] += sum(per_script.values())
            continue
        for lang in page.languages:
            amount[lang] += per_script.get(script_of_language(lang), 0)
    return amount


def language_shares(pages: list[Page], amount: Counter[str] | None = None) -> dict[str, float]:
    """Each language's share of the document's running prose, largest first."""
    amount = language_amounts(pages) if amount is None else amount
    total = sum(amount.values())
    return {lang: round(n / total, 3) for lang, n in amount.most_common()} if total else {}


def document_languages(
    pages: list[Page], amount: Counter[str] | None = None
) -> tuple[str, list[str]]:
    """Dominant language by amount of prose, and every language with a real share."""
    amount = language_amounts(pages) if amount is None else amount
    total = sum(amount.values())
    if not total:
        return "und", []
    ranked = amount.most_common()
    languages = [
        lang for lang, n in ranked if n / total >= MIN_SHARE or n >= MIN_LETTERS_FOR_LANGUAGE
    ]
    return ranked[0][0], languages


def detect(extracted: Extracted) -> Analysed:
    """Per-page languages and the document's languages."""
    counts = [page_counts(text) for text in extracted.pages]
    pages = [
        detect_page(i, text, count)
        for i, (text, count) in enumerate(zip(extracted.pages, counts, strict=True), start=1)
    ]
    amount = language_amounts(pages, counts)
    language, languages = document_languages(pages, amount)
    meta = dict(extracted.meta)
    shares = language_shares(pages, amount)
    if shares:
        meta["text"] = {**(meta.get("text") or {}), "language_shares": shares}
    return Analysed(
        format=extracted.format,
        pages=pages,
        language=language,
        languages=languages,
        meta=meta,
        warnings=list(extracted.warnings),
    )
