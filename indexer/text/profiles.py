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
"""

from __future__ import annotations

from functools import cache
from operator import mul
from typing import Any

from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory


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

    def _update_lang_prob(self, prob: list[float], word: str | None, alpha: float) -> bool:
        row = None if word is None else self.word_lang_prob_map.get(word)
        if row is None:
            return False
        weight = alpha / self.BASE_FREQ
        factors = [weight] * len(prob)
        for k in range(0, len(row), 2):
            factors[row[k]] = weight + row[k + 1]
        prob[:] = map(mul, prob, factors)
        return True


@cache
def factory() -> CompactFactory:
    """The profiles of every language langdetect knows, read once per process."""
    made = CompactFactory()
    made.load_profile(PROFILES_DIRECTORY)
    return made
