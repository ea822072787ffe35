"""langdetect's language profiles, held in a fraction of the memory, with the same answers.

langdetect keeps, for each of its 87,598 letter n-grams, a list of 55 probabilities, one per
language it knows: some 65 MB in every process that detects, although an n-gram is seen in two
languages on average and the other entries are zero. Here each n-gram keeps only its non-zero
entries, as a flat tuple ``(language index, probability, …)``, built so as the profiles are
read (the full lists never exist, so their memory is never taken), and `CompactDetector`
applies them: for a zero entry langdetect multiplies a language's probability by
``weight + 0.0``, which is exactly ``weight``, so every product, and so every answer and its
probability, is the one langdetect's own detector computes
(`tests/indexer/text/test_profiles.py`).

`CompactDetector` also computes them in some 55 % of the time, by the same floating-point
operations in the same order: the text is cleaned and cut into n-grams by regular expressions
and a table of each character's normal form, where langdetect goes character by character
through its helper objects; a trial multiplies whole rows of factors held in an array (the rows
of n-grams drawn are kept for the next texts), where langdetect builds a list of 55 factors in
Python for every draw; the five draws between two normalisations are multiplied into the
probabilities by one product down the rows of an array (a quarter less time than a
multiplication per draw: each element's products are still taken one after the other, in the
order drawn). The draws, each element's products, and the sums that normalise them (taken by
Python's own ``sum``, as langdetect takes them) are langdetect's.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram


class CompactFactory(DetectorFactory):  # type: ignore[misc]
    """langdetect's factory, each n-gram's row kept as its non-zero entries."""

    def add_profile(self, profile: Any, index: int, langsize: int) -> None:
        # What langdetect's own does (a duplicate language is an error, every n-gram of the
        # profile is known), with the row compact.
        super().add_profile(_NoWords(profile), index, langsize)
        table: dict[str, tuple[Any, ...]] = self.word_lang_prob_map
        for word, count in profile.freq.items():
            length = len(word)
            entry: tuple[Any, ...] = ()
            if 1 <= length <= 3:
                prob = 1.0 * count / profile.n_words[length - 1]
                if prob != 0.0:
                    entry = (index, prob)
            table[word] = table.get(word, ()) + entry


class _NoWords:
    """A profile showing only its name, for the bookkeeping of langdetect's ``add_profile``."""

    def __init__(self, profile: Any) -> None:
        self.name = profile.name
        self.freq: dict[str, int] = {}


class CompactDetector(Detector):  # type: ignore[misc]
    """langdetect's detector reading compact profile rows (see the module's notes)."""

    text: str

    def append(self, text: str) -> None:
        # langdetect's own drops each space that follows a space, one character at a time.
        text = self.URL_RE.sub(" ", text)
        text = self.MAIL_RE.sub(" ", text)
        text = NGram.normalize_vi(text)
        self.text += _SPACES.sub(" ", text[: self.max_text_length])

    def cleaning_text(self) -> None:
        # langdetect's own counts the same characters one by one. (Its test for Latin Extended
        # Additional compares a block number with a name, and so counts those letters as not
        # Latin; so does this.)
        text = self.text
        if len(_ASCII_LETTERISH.findall(text)) * 2 < len(_FROM_COMBINING_MARKS.findall(text)):
            self.text = _ASCII_LETTERISH.sub("", text)

    def _extract_ngrams(self) -> list[str]:
        # langdetect's `NGram.add_char` and `get`, inlined, each character normalised once.
        # A space starts the n-grams afresh, so a word (with the space after it) always gives
        # the same ones: each word is cut once and its n-grams kept for its next times.
        known = self.word_lang_prob_map
        kept = _kept_ngrams(known)
        result: list[str] = []
        words = self.text.translate(_NORMAL).split(" ")
        last = len(words) - 1
        for k, word in enumerate(words):
            if not word:
                continue  # a space after a space adds nothing
            run = word + " " if k < last else word
            grams = kept.get(run)
            if grams is None:
                grams = _SEPARATOR.join(_ngrams(run, known))
                if len(kept) >= _KEPT_WORDS:
                    kept.clear()
                kept[run] = grams
            if grams:
                result += grams.split(_SEPARATOR)
        return result

    def _detect_block(self) -> None:
        self._trials(until_decided=False)

    def language(self) -> str:
        """The language langdetect answers first (``get_probabilities()[0]``), without the
        trials that can no longer change it.

        Each of the ``n_trial`` trials adds a share of at most ``1 / n_trial`` to a language
        (its probabilities, normalised, divided by ``n_trial``), so once the leading language
        is ahead of every other one by more than the trials left could give, it is the answer:
        on a page of one language that is after four of the seven. Its probability is then
        not langdetect's (the trials left would add to it), and is not given.
        """
        langprob = self._trials(until_decided=True)
        if self.langprob is None:  # decided before the last trial
            return str(self.langlist[int(langprob.argmax())])
        return str(self.get_probabilities()[0].lang)

    def _trials(self, until_decided: bool) -> Any:
        """The trials' probabilities summed (each divided by ``n_trial``), as langdetect sums
        them; with ``until_decided``, only as many trials as decide the leading language.
        `langprob` is set when every trial was run."""
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        rows = _rows(self.word_lang_prob_map, len(self.langlist))
        langprob = np.zeros(len(self.langlist))
        # `random.choice` is ``seq[_randbelow(len(seq))]``: the same draws, a call fewer each.
        below, count = self.random._randbelow, len(ngrams)
        multiply = np.multiply.reduce
        self.random.seed(self.seed)
        for trial in range(1, self.n_trial + 1):
            alpha = self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH
            # weight + p, and weight where p is zero: langdetect's factors exactly.
            weight = alpha / self.BASE_FREQ
            # The draws between two normalisations, multiplied in the order drawn: row 0 of
            # ``block`` is the probabilities so far, the next rows the factors, and a product
            # down the rows multiplies them one after the other, as langdetect does.
            block = rows.block([ngrams[below(count)]])
            block[0] = self._init_probability()
            i = 0
            while True:
                block[1:] += weight
                prob = multiply(block, axis=0)
                if _normalise(prob) > self.CONV_THRESHOLD or i >= self.ITERATION_LIMIT:
                    break
                block = rows.block([ngrams[below(count)] for _ in range(5)])
                block[0] = prob
                i += 5
            langprob += prob / self.n_trial
            left = (self.n_trial - trial) / self.n_trial
            if until_decided and left and _decided(langprob, left):
                return langprob
        self.langprob = langprob.tolist()
        return langprob


def _decided(langprob: Any, left: float) -> bool:
    """Whether the leading language of summed trials stays first whatever the trials left add
    (``left``: the most they can add to one language, and so to its lead over another): it
    leads by more than that, with a margin far above the rounding of the sums."""
    second, first = np.partition(langprob, -2)[-2:]
    return bool(first - second > left + 1e-9)


def _ngrams(run: str, known: dict[str, Any]) -> tuple[str, ...]:
    """The known n-grams of a run of normalised characters read from a fresh start (the text's
    start, or after a space), as langdetect's n-gram reader gives them."""
    result: list[str] = []
    grams = " "
    capital = False
    for ch in run:
        upper = ch.isupper()
        last = grams[-1]
        if last == " ":
            grams = " "
            capital = False
            if ch == " ":
                continue
        elif len(grams) >= NGram.N_GRAM:
            grams = grams[1:]
        grams += ch
        if upper:
            if last.isupper():
                capital = True
                continue
        else:
            capital = False
        if capital:
            continue
        if ch != " " and ch in known:
            result.append(ch)
        if len(grams) >= 2:
            if grams[-2:] in known:
                result.append(grams[-2:])
            if len(grams) >= 3 and grams in known:
                result.append(grams)
    return tuple(result)


#: Words whose n-grams are kept (`_kept_ngrams`): the common words of the languages met; the
#: store is emptied when full. A word's n-grams are kept as one string, split when used: as
#: strings of their own they took some 2 KB a word.
_KEPT_WORDS = 4096
_SEPARATOR = "\x00"  # never in a normalised text: langdetect makes it a space
_kept_words: dict[int, tuple[dict[str, Any], dict[str, str]]] = {}


def _kept_ngrams(known: dict[str, Any]) -> dict[str, str]:
    """The n-grams kept for words read with ``known`` n-grams."""
    entry = _kept_words.get(id(known))
    if entry is None or entry[0] is not known:
        entry = _kept_words[id(known)] = (known, {})
    return entry[1]


def _normalise(prob: Any) -> float:
    """langdetect's `_normalize_prob` on an array: divide by the sum (taken as Python's ``sum``
    takes it, element by element in order), and answer the largest share. (Division by one
    positive number keeps the order of the shares, so the largest share is the largest
    probability divided: taken from the list, where numpy's ``max`` costs more than the rest.)"""
    values = prob.tolist()
    total = sum(values)
    prob /= total
    return float(max(values) / total)


_SPACES = re.compile(" {2,}")
#: What langdetect counts as Latin (every character from A to z, brackets among them) …
_ASCII_LETTERISH = re.compile("[A-z]")
#: … and as not Latin: everything from the combining marks on.
_FROM_COMBINING_MARKS = re.compile("[\u0300-\U0010ffff]")


class _NormalForms(dict[int, str]):
    """Each character as langdetect's n-grams hold it (a table for ``str.translate``, filled
    as characters are met)."""

    def __missing__(self, code: int) -> str:
        normal: str = NGram.normalize(chr(code))
        self[code] = normal
        return normal


_NORMAL = _NormalForms()


class _Rows:
    """The n-grams last drawn, each as its full row of probabilities (zero where a language has
    none), made once from the compact row and kept for the next texts: the same common n-grams
    are drawn from text after text. At most `KEPT` are kept between two texts: 3,731 n-grams
    were drawn from 1,365 English and Portuguese pages, and past `KEPT` the rows are made
    afresh (a few milliseconds) rather than held (each 440 bytes)."""

    KEPT = 4096
    #: Rows held at first (doubled when a text draws more).
    FIRST = 1024

    def __init__(self, table: dict[str, tuple[Any, ...]], languages: int) -> None:
        self.table = table
        self.slots: dict[str, int] = {}
        self.rows = np.zeros((self.FIRST, languages))

    def block(self, words: list[str]) -> Any:
        """A new array: a row left for the caller, then the rows of ``words`` in their order."""
        at = self._slots(words)  # (first: it may make `rows` anew)
        return self.rows.take([0, *at], axis=0)  # (a third of indexing by a list)

    def _slots(self, words: list[str]) -> list[int]:
        slots = self.slots
        at = [slots.get(word, -1) for word in words]
        for k, word in enumerate(words):
            if at[k] < 0:
                at[k] = self._add(word)
        return at

    def _add(self, word: str) -> int:
        slot = self.slots.setdefault(word, len(self.slots))
        if slot >= len(self.rows):
            self.rows = np.concatenate((self.rows, np.zeros_like(self.rows)))
        entries = self.table[word]
        self.rows[slot] = 0.0
        self.rows[slot, list(entries[0::2])] = entries[1::2]
        return slot


_kept: dict[int, _Rows] = {}


def _rows(table: dict[str, tuple[Any, ...]], languages: int) -> _Rows:
    """The rows kept for ``table``, emptied first when they have grown past `_Rows.KEPT`."""
    rows = _kept.get(id(table))
    if rows is None or rows.table is not table or len(rows.slots) > _Rows.KEPT:
        rows = _kept[id(table)] = _Rows(table, languages)
    return rows


@cache
def factory() -> CompactFactory:
    """The profiles of every language langdetect knows, read once per process."""
    from .lemmas import cache_dir

    return load_factory(cache_dir())


#: Bump when what `CompactFactory` holds changes: copies made before are not read.
_COPY_VERSION = 1


def load_factory(cache: Path) -> CompactFactory:
    """The profiles, read from their compact copy in the folder ``cache`` when there is one,
    else from langdetect's files (then copied there).

    Reading langdetect's 55 JSON files and making their rows compact takes about half a second
    of processor time, at the start of every run's first worker, before its first file; the
    copy (a `marshal` of the rows, some 4 MB) reads in a sixth of that. Its name holds what
    it was made from (langdetect's files, this module's version, Python's), so an upgrade of
    either makes a new one; a copy that cannot be read is made again."""
    copy = cache / f"langdetect-profiles-{_profiles_stamp()}.marshal"
    made = CompactFactory()
    with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
        languages, table = marshal.loads(copy.read_bytes())
        if isinstance(languages, list) and isinstance(table, dict):
            made.langlist, made.word_lang_prob_map = languages, table
            return made
    made.load_profile(PROFILES_DIRECTORY)
    partial = copy.with_name(f".{copy.name}.{os.getpid()}")
    try:
        cache.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(marshal.dumps((made.langlist, made.word_lang_prob_map)))
        os.replace(partial, copy)  # whole or not at all, whichever process writes it
    except OSError:  # a full or read-only cache: the files are read next time too
        partial.unlink(missing_ok=True)
    return made


def _profiles_stamp() -> str:
    """What the copy is made from: langdetect's profile files (names, sizes, times), this
    module's version of the rows and the `marshal` format."""
    files = sorted(os.scandir(PROFILES_DIRECTORY), key=lambda f: f.name)
    stamp = [
        _COPY_VERSION,
        marshal.version,
        sys.version_info[:2],
        [(f.name, f.stat().st_size, f.stat().st_mtime_ns) for f in files],
    ]
    return hashlib.sha256(repr(stamp).encode()).hexdigest()[:16]
