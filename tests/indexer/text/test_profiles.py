import marshal
import subprocess
import sys
from pathlib import Path

import pytest
from langdetect import DetectorFactory
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY

from indexer.text.profiles import CompactDetector, _Rows, factory, load_factory
from tests.factories import TEXTS

#: Runs of text langdetect is given: the four languages, their neighbours, short and mixed ones.
SAMPLES = [
    *TEXTS.values(),
    "Социјалните иновации во Македонија бараат национален центар за компетенции и поддршка.",
    "Друштвене иновације у Србији траже национални центар за компетенције и подршку.",
    "La innovación social en España necesita un centro nacional de competencias.",
    "L'innovazione sociale in Italia ha bisogno di un centro nazionale di competenze.",
    "Die soziale Innovation braucht ein nationales Kompetenzzentrum in jedem Land.",
    "Inovação social em Portugal: relatório anual do centro de competências, 2023.",
    "ok",
    "ESF+ 2021-2027 CCI 2021BG05SFPR002 p. 14",
    "The report (Доклад) on social economy — economia social — κοινωνική οικονομία.",
    # Words in capitals, partly skipped by langdetect's n-grams; runs of spaces and marks.
    "The ESF+ PROGRAMME for BULGARIA and the EU:  NATIONAL  Centre,   ÀÉÎ ÕÇ; McKinsey's MSc.",
    # Mostly not Latin: langdetect drops its Latin letters (and brackets) first.
    "Доклад [EN] за социалните иновации в България, 2023 (EU) — Национален център ESF+.",
    "Vietnamese: Tiếng Việt có dấu, Ngữ pháp và từ vựng; đường phố Hà Nội.",
    "mail info@example.org, see https://example.org/report?id=7 for the annual report text.",
]


@pytest.fixture(scope="module")
def dense() -> DetectorFactory:
    """langdetect's own factory, its profiles as it holds them."""
    made = DetectorFactory()
    made.load_profile(PROFILES_DIRECTORY)
    return made


def probabilities(detector: Detector, text: str) -> list[tuple[str, float]]:
    detector.set_prior_map({lang: 1.0 if lang in TEXTS else 0.05 for lang in detector.langlist})
    detector.append(text)
    return [(p.lang, p.prob) for p in detector.get_probabilities()]


@pytest.mark.parametrize("text", SAMPLES)
def test_compact_profiles_give_langdetects_own_answers_exactly(dense, text):
    DetectorFactory.seed = 0
    compact = factory()
    assert compact.get_lang_list() == dense.get_lang_list()
    assert compact.word_lang_prob_map.keys() == dense.word_lang_prob_map.keys()
    theirs = probabilities(Detector(dense), text)
    ours = probabilities(CompactDetector(compact), text)
    assert ours == theirs  # the same languages, the same floating-point probabilities


def test_answers_stay_langdetects_own_with_rows_kept_from_earlier_texts(dense, monkeypatch):
    """Rows of n-grams drawn for one text are kept for the next; kept or made afresh (few kept
    between texts, or more drawn in one text than the first store holds), every answer stays
    langdetect's own."""
    DetectorFactory.seed = 0
    long_mixed = " ".join(
        word
        for words in zip(*(text.split() for text in TEXTS.values()), strict=False)
        for word in words
    )
    texts = [*SAMPLES, long_mixed * 10, *reversed(SAMPLES)]
    for kept, first in ((4096, 1024), (3, 4)):
        monkeypatch.setattr(_Rows, "KEPT", kept)
        monkeypatch.setattr(_Rows, "FIRST", first)
        for text in texts:
            theirs = probabilities(Detector(dense), text)
            assert probabilities(CompactDetector(factory()), text) == theirs


def test_compact_profiles_take_a_fraction_of_the_memory():
    """A process that detects holds the profiles: about 65 MB as langdetect keeps them."""
    script = (
        "def rss(): return int(open('/proc/self/statm').read().split()[1]) * 4096 / 2**20\n"
        "from indexer.text.detect import detect_text\n"
        "before = rss()\n"
        "assert detect_text('A sentence in English, long enough for the detector.').language"
        " == 'en'\n"
        "print(rss() - before)\n"
    )
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=True
    )
    assert float(done.stdout) < 35


def test_answers_stay_langdetects_own_on_runs_that_take_many_draws(dense):
    """Runs mixing two languages' words keep the trials drawing long before they settle: each
    round's draws are multiplied into the probabilities at once, and every answer and its
    probability must still be langdetect's own, to the last digit."""
    DetectorFactory.seed = 0
    pairs = [("en", "pt"), ("pt", "en"), ("en", "bg"), ("el", "pt")]
    for first, second in pairs:
        words = TEXTS[first].split() + TEXTS[second].split()
        for shift in range(0, len(words), 7):
            text = " ".join(words[shift:] + words[:shift])[:700]
            theirs = probabilities(Detector(dense), text)
            assert probabilities(CompactDetector(factory()), text) == theirs


def test_profiles_are_read_from_their_copy_in_the_cache_with_the_same_answers(dense, tmp_path):
    """The first process makes a compact copy of the profiles in the cache folder; the next
    ones read it, and answer as langdetect does; a damaged copy is made again."""
    DetectorFactory.seed = 0
    made = load_factory(tmp_path)
    (copy,) = tmp_path.glob("langdetect-profiles-*.marshal")
    read = load_factory(tmp_path)
    assert read.get_lang_list() == dense.get_lang_list()
    assert read.word_lang_prob_map == made.word_lang_prob_map
    for text in SAMPLES:
        assert probabilities(CompactDetector(read), text) == probabilities(Detector(dense), text)

    # What the copy holds is what is read (the files are not read again) ...
    copy.write_bytes(marshal.dumps((["xx"], {"x": (0, 1.0)})))
    assert load_factory(tmp_path).get_lang_list() == ["xx"]
    # ... and a copy that cannot be read is made again from langdetect's files.
    copy.write_bytes(marshal.dumps((made.langlist, made.word_lang_prob_map))[:1000])
    assert load_factory(tmp_path).word_lang_prob_map == made.word_lang_prob_map
    assert marshal.loads(copy.read_bytes())[0] == dense.get_lang_list()
    assert [p.name for p in tmp_path.iterdir()] == [copy.name]


def test_the_language_decided_before_the_last_trial_is_langdetects_first(dense):
    """`CompactDetector.language` stops the trials once the rest cannot change the leading
    language: the answer is langdetect's first language on every run, those of one language
    (decided early) and those mixing two (where the trials may have to run to the end)."""
    DetectorFactory.seed = 0
    mixed = []
    for first, second in [("en", "pt"), ("pt", "en"), ("en", "bg"), ("el", "pt")]:
        words = TEXTS[first].split() + TEXTS[second].split()
        mixed += [" ".join(words[shift:] + words[:shift])[:700] for shift in range(0, 40, 9)]
    early = 0
    for text in [*SAMPLES, *mixed]:
        theirs = probabilities(Detector(dense), text)
        ours = CompactDetector(factory())
        ours.set_prior_map({lang: 1.0 if lang in TEXTS else 0.05 for lang in ours.langlist})
        ours.append(text)
        assert ours.language() == theirs[0][0], text
        early += ours.langprob is None
    assert early >= len(TEXTS)  # a text of one language is decided before the seventh trial
