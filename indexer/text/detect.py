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
_SCRIPT_LETTER = {name: re.compile(f"[{script.letter_class}]") for name, script in SCRIPTS.items()}
_SCRIPT_RUNS = {name: re.compile(f"[{script.letter_class}]+") for name, script in SCRIPTS.items()}
_ASCII_LETTERS = bytes(range(ord("A"), ord("Z") + 1)) + bytes(range(ord("a"), ord("z") + 1))
#: A letter, as ``str.isalpha`` has it (word characters less digits and the underscore).
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Guess:
    """The language of a run of text ("und": none could be told). No probability comes with
    it: langdetect stops its trials once the language is certain (`CompactDetector.language`),
    before its probability would be."""

    language: str


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
        return Guess("und")
    counts = letter_counts(text)
    if counts[GREEK] / letters > 0.5:
        return _in_script(GREEK, text)
    return _in_script(CYRILLIC if counts[CYRILLIC] / letters > 0.5 else LATIN, text)


def _in_script(script: str, text: str) -> Guess:
    """Language of text with at least MIN_LETTERS letters, most of them of ``script``: the
    script and the table of languages decide where they leave no choice, langdetect (on a
    bounded sample) where they do."""
    if script == GREEK:
        return Guess(script_language(GREEK) or "el")
    cyrillic = script == CYRILLIC
    if cyrillic and not shared_letters(CYRILLIC, text):
        return Guess(distinguish(CYRILLIC, text, "bg"))
    try:
        found = _detector(text[:DETECT_CHARS]).language()
    except LangDetectException:
        return Guess("und")
    lang = found.split("-")[0]
    if cyrillic:
        lang = distinguish(CYRILLIC, text, lang)
    return Guess(lang)


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
_ASCII_CAPITALS = bytes(range(ord("A"), ord("Z") + 1))


def is_prose(line: str) -> bool:
    """Whether a line reads as running text: not code, a command line, or placeholder Latin."""
    stripped = line.strip()
    if not stripped or _CODE_LINE.match(stripped):
        return False
    visible = len(stripped) - stripped.count(" ")
    if len(_CODE_CHARS.findall(stripped)) > max(2, visible * 0.08):
        return False
    # Identifier-like words are counted only where they could be many: each one holds an
    # underscore, a hyphen, a bracket, a dot or (camel case) a capital of its own, so there
    # are at most as many as those.
    encoded = stripped.encode()
    marks = (
        sum(map(stripped.count, "_-(."))
        + len(encoded)
        - len(encoded.translate(None, _ASCII_CAPITALS))
    )
    if marks:
        words = len(stripped.split())
        if (
            words >= 3
            and marks / words > 0.4
            and len(_IDENTIFIER_WORD.findall(stripped)) / words > 0.4
        ):
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
    lines = [line for line in text.split("\n") if is_prose(line)]
    prose = "\n".join(lines) if lines else text
    # A script without a letter on the page has none on any line: it is not looked for.
    present = [name for name in SCRIPTS if name == LATIN or _SCRIPT_LETTER[name].search(text)]
    words = {name: _SCRIPT_WORD[name].findall(prose) if name in present else [] for name in SCRIPTS}
    runs = {name: " ".join(found) for name, found in words.items()}
    sizes = {name: sum(map(len, found)) for name, found in words.items()}
    amount: Counter[str] = Counter()
    if present == [LATIN]:
        # Every letter of the prose is Latin, and so is every line's main script: the prose's
        # letters are those of its Latin words, which hold nothing else but inner hyphens and
        # apostrophes.
        run = runs[LATIN]
        letters = sizes[LATIN] - sum(map(run.count, "-'\u2019"))
        if lines and letters:
            amount[LATIN] = letters
        return PageCounts(prose=amount, runs=runs, sizes=sizes)
    absent = dict.fromkeys(SCRIPTS, 0)
    for line in lines:
        if line.isascii():
            # Only Latin letters, counted in C: those a copy without them lacks.
            letters = len(line) - len(line.encode().translate(None, _ASCII_LETTERS))
            if letters:
                amount[LATIN] += letters
            continue
        per_script = {**absent, **{name: _line_letters(line, name) for name in present}}
        script, letters = max(per_script.items(), key=lambda kv: kv[1])
        if letters:
            amount[script] += sum(per_script.values())
    return PageCounts(prose=amount, runs=runs, sizes=sizes)


#: The first bytes in UTF-8 of every Cyrillic letter (U+0400–U+04FF), which start nothing else.
_CYRILLIC_LEADS = bytes(range(0xD0, 0xD4))
_NOT_CYRILLIC_LEADS = bytes(sorted(set(range(256)) - set(_CYRILLIC_LEADS)))
#: The first bytes in UTF-8 of every Latin letter beyond ASCII (U+00AA to U+024F, and
#: U+1E00–U+1EFF), and of other characters: a line without them has ASCII Latin letters only.
_LATIN_BEYOND_ASCII = re.compile(b"[\xc2-\xc9\xe1]")


def _line_letters(line: str, script: str) -> int:
    """How many letters of ``script`` a line has (as `letter_counts` counts them), counted
    on its UTF-8 bytes where their first bytes tell them."""
    if script == CYRILLIC:
        return len(line.encode().translate(None, _NOT_CYRILLIC_LEADS))
    if script == LATIN:
        encoded = line.encode()
        if not _LATIN_BEYOND_ASCII.search(encoded):
            return len(encoded) - len(encoded.translate(None, _ASCII_LETTERS))
    return sum(map(len, _SCRIPT_RUNS[script].findall(line)))


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
    if not _has_letters(run, MIN_LETTERS):
        return Guess("und")
    return _in_script(script, run)


def _has_letters(text: str, least: int) -> bool:
    """Whether ``text`` has at least ``least`` letters: counted in its beginning, where a run
    of words nearly always has them, and only then in the whole of it."""
    head = text[: 4 * least]
    if len(_LETTER.findall(head)) >= least:
        return True
    return len(head) < len(text) and len(_LETTER.findall(text)) >= least


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
