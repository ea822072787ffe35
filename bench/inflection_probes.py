"""Inflected-form probes drawn from spelling dictionaries, not from the lemmatiser's own.

The morphology check of ``relevance.py`` takes its word forms from simplemma, the dictionary
the index lemmatises with, so it cannot show what that dictionary lacks or gets wrong. These
probes come from Debian's hunspell dictionaries instead: a word of a corpus document that a
dictionary entry generates, and another form of the same entry that the document does not
contain. The reader types that other form; the probe is found when the document is among the
first 100 results.

- Bulgarian, Portuguese, English: the entries of ``hunspell-bg``, ``hunspell-pt-pt`` and
  ``hunspell-en-us`` expanded with their inflectional affixes only (plural, gender, article,
  tense and person; no derivations such as -mente, -ness or diminutives, no clitics).
- Greek: ``hunspell-el`` is a list of full forms without affixes, so its forms are grouped by
  the declension and conjugation endings of Modern Greek (``GREEK_ENDINGS`` below): a family is
  a stem with at least three attested forms of one ending set.

The probes are written once to ``bench/data/inflection-probes.csv`` (``--write``) and read from
there, so the set stays fixed while the analysis changes:

    python -m bench.inflection_probes --write   # needs the hunspell packages (apt-get install
                                                # hunspell-bg hunspell-el hunspell-pt-pt
                                                # hunspell-en-us)
    python -m bench.inflection_probes [--misses]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import re
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from indexer.config import Settings
from indexer.ingest.run import run_index
from indexer.search import SearchEngine, SearchRequest
from indexer.store.catalog import Catalog
from indexer.text.terms import WORD, is_stop

ROOT = Path(__file__).resolve().parent.parent

PROBES = ROOT / "bench" / "data" / "inflection-probes.csv"
HUNSPELL = Path("/usr/share/hunspell")
PACKAGES = {
    "bg": "hunspell-bg",
    "el": "hunspell-el",
    "pt": "hunspell-pt-pt",
    "en": "hunspell-en-us",
}
DICTIONARIES = {"bg": "bg_BG", "el": "el_GR", "pt": "pt_PT", "en": "en_US"}
#: Affix flags that inflect (the others derive new words or attach clitics).
INFLECTIONAL: dict[str, set[str] | None] = {
    "bg": None,  # every suffix of the Bulgarian dictionary inflects
    "pt": set("paefkbgXYZK"),  # plural, feminine, verb tenses and persons
    "en": set("DGSRT"),  # -ed, -ing, -s, comparative, superlative (R only with T)
}
#: Modern Greek ending sets (accents and final sigma folded): the forms of one word differ in
#: these endings. Written from the grammar's declension and conjugation tables; the nominal
#: sets come first, then the verbal ones (``VERBAL``), so that a noun and a verb of one stem
#: (καθοδήγηση, καθοδηγήσετε) are not taken for one word.
GREEK_ENDINGS: tuple[tuple[str, ...], ...] = (
    ("ος", "ου", "ο", "οι", "ων", "ους"),  # masculine -ος (vocatives left out)
    ("ος", "η", "ο", "ου", "ης", "οι", "ες", "α", "ων", "ους"),  # adjectives -ος -η -ο
    ("ος", "α", "ο", "ου", "ας", "οι", "ες", "ων", "ους"),  # adjectives -ος -α -ο
    ("ο", "ου", "α", "ων"),  # neuter -ο
    ("ι", "ιου", "ια", "ιων"),  # neuter -ι
    ("μα", "ματος", "ματα", "ματων"),  # neuter -μα
    ("η", "ης", "ες", "ων"),  # feminine -η
    ("η", "ης", "εις", "εων"),  # feminine -ση, -ξη, -ψη
    ("α", "ας", "ες", "ων"),  # feminine -α
    ("ας", "α", "ες", "ων"),  # masculine -ας
    ("ης", "η", "ες", "ων"),  # masculine -ης
    ("ης", "ους", "η", "εις", "ων"),  # adjectives -ης -ες
    ("ω", "εις", "ει", "ουμε", "ετε", "ουν"),  # verbs -ω
    ("ω", "ας", "α", "αμε", "ατε", "ουν"),  # verbs -άω
    ("ω", "εις", "ει", "ουμε", "ειτε", "ουν"),  # verbs -ώ, -είς
    ("ομαι", "εσαι", "εται", "ομαστε", "εστε", "ονται"),  # passive -ομαι
    ("μενος", "μενη", "μενο", "μενου", "μενης", "μενοι", "μενες", "μενα", "μενων", "μενους"),
)
VERBAL = 12  #: index of the first verbal ending set
FEMININE_H = GREEK_ENDINGS[6]
MIN_LENGTH = 5
PER_LANGUAGE = 150


# Dictionaries ------------------------------------------------------------------------------
def _affixes(
    aff: Path, flags: set[str] | None
) -> dict[str, list[tuple[str, str, re.Pattern[str]]]]:
    """Suffix rules by flag: (strip, add, condition on the word's end)."""
    rules: dict[str, list[tuple[str, str, re.Pattern[str]]]] = defaultdict(list)
    for line in aff.read_text("utf-8", errors="replace").splitlines():
        parts = line.split()
        if len(parts) < 5 or parts[0] != "SFX" or (flags is not None and parts[1] not in flags):
            continue
        flag, strip, add, condition = parts[1], parts[2], parts[3].split("/")[0], parts[4]
        strip = "" if strip == "0" else strip
        add = "" if add == "0" else add
        rules[flag].append((strip, add, re.compile(f"(?:{condition})$")))
    return rules


def hunspell_families(lang: str) -> list[set[str]]:
    """Each dictionary entry's inflected forms (lower case), entries of lower-case words only."""
    name = DICTIONARIES[lang]
    if lang == "el":
        words = (HUNSPELL / f"{name}.dic").read_text("iso-8859-7").split()[1:]
        return greek_families(w for w in words if w.islower())
    rules = _affixes(HUNSPELL / f"{name}.aff", INFLECTIONAL[lang])
    families = []
    for line in (HUNSPELL / f"{name}.dic").read_text("utf-8").splitlines()[1:]:
        entry = line.split("\t")[0].split(" ")[0]
        word, _, flags = entry.partition("/")
        if not word.isalpha() or not word.islower():
            continue
        if lang == "en" and "T" not in flags:
            flags = flags.replace("R", "")
        forms = {word}
        for flag in flags:
            for strip, add, condition in rules.get(flag, ()):
                if condition.search(word) and word.endswith(strip):
                    forms.add(word[: len(word) - len(strip)] + add)
        if len(forms) > 1:
            families.append(forms)
    return families


def greek_fold(word: str) -> str:
    out = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
    return out.replace("ς", "σ")


def greek_families(words: Iterable[str]) -> list[set[str]]:
    """Forms grouped by stem and kind (nominal or verbal), from the ending sets of which at
    least three forms are attested."""
    by_folded: dict[str, set[str]] = defaultdict(set)
    for w in words:
        accents = sum(1 for c in unicodedata.normalize("NFD", w) if unicodedata.combining(c))
        if accents <= 1:  # a second accent marks a form before an enclitic (επόμενής μας)
            by_folded[greek_fold(w)].add(w)
    by_stem: dict[tuple[str, bool], set[str]] = defaultdict(set)
    for folded in by_folded:
        for kind, endings in enumerate(GREEK_ENDINGS):
            first = greek_fold(endings[0])
            if not folded.endswith(first):
                continue
            stem = folded[: len(folded) - len(first)]
            if len(stem) < 4 or (endings == FEMININE_H and stem[-1] in "σξψ"):
                # -ση, -ξη, -ψη nouns take -εις; -σες there is a verb's past (συνάντησες)
                continue
            found = [by_folded.get(stem + greek_fold(e), set()) for e in endings]
            if sum(1 for f in found if f) < 3:
                continue
            by_stem[stem, kind >= VERBAL].update(w for f in found for w in f)
    # A stem with both noun and verb forms (επιχείρηση, επιχείρησες "you attempted") is left
    # out: its forms cannot be told apart without the accents' positions.
    return [forms for (stem, verbal), forms in by_stem.items() if (stem, not verbal) not in by_stem]


# Writing the probes -------------------------------------------------------------------------
def corpus_texts(corpus: Path, home: Path) -> dict[str, tuple[str, str]]:
    """Each indexed document's language and text."""
    settings = Settings(home=home, corpus=corpus)
    run_index(settings)
    with Catalog(settings.catalog_path) as catalog:
        return {
            row.path: (row.language or "und", "\n".join(p.text for p in catalog.pages(row.sha256)))
            for row in catalog.files(status="indexed")
        }


def _pick(options: list[str], key: str) -> str:
    digest = int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16)
    return sorted(options)[digest % len(options)]


def write_probes(texts: dict[str, tuple[str, str]], out: Path) -> None:
    rows: list[tuple[str, str, str, str]] = []
    for lang in ("bg", "el", "pt", "en"):
        # Forms of several entries (homographs: Portuguese "sobre", a preposition and a form
        # of "sobrar") are left out: their siblings are not the reader's.
        family_of: dict[str, set[str]] = {}
        entries: Counter[str] = Counter()
        for family in hunspell_families(lang):
            for form in family:
                family_of.setdefault(form, family)
                entries[form] += 1
        docs = sorted(p for p, (dl, _) in texts.items() if dl == lang)
        per_doc = max(1, PER_LANGUAGE // max(len(docs), 1))
        for path in docs:
            words = Counter(w.lower() for w in WORD.findall(texts[path][1]))
            present = set(words)
            folded_present = {greek_fold(w) for w in present}
            taken = 0
            for word, _count in sorted(words.items(), key=lambda kv: (-kv[1], kv[0])):
                if taken >= per_doc:
                    break
                if len(word) < MIN_LENGTH or not word.isalpha() or is_stop(word):
                    continue
                family = family_of.get(word)
                if not family or entries[word] > 1:
                    continue
                others = [
                    f
                    for f in family
                    if f not in present
                    and greek_fold(f) not in folded_present
                    and len(f) >= 4
                    and entries[f] == 1
                ]
                if others:
                    rows.append((lang, _pick(others, f"{path}:{word}"), word, path))
                    taken += 1
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["language", "query", "in_document", "document"])
        writer.writerows(rows)
    print(f"{len(rows)} probes written to {out}")


# Measuring --------------------------------------------------------------------------------
def load_probes(path: Path = PROBES) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def measure(engine: SearchEngine, probes: list[dict[str, str]], misses: bool) -> None:
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missed: list[str] = []
    for probe in probes:
        result = engine.search(SearchRequest(q=probe["query"], per_page=100, expand=False))
        hit = probe["document"] in [h["path"] for h in result["hits"]]
        found[probe["language"]][0] += hit
        found[probe["language"]][1] += 1
        if not hit:
            missed.append(f"{probe['language']} {probe['query']} ({probe['in_document']})")
    print("inflected-form probes (forms from hunspell): documents found by a sibling form")
    print(f"{'language':9s} {'probes':>7s} {'found':>7s}")
    for lang in ("bg", "el", "pt", "en"):
        hit, total = found.get(lang, [0, 0])
        print(f"{lang:9s} {total:7d} {hit / total if total else 0:7.1%}")
    if misses and missed:
        print("missed: " + "; ".join(missed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--write", action="store_true", help="write the probes from hunspell")
    parser.add_argument("--misses", action="store_true", help="list the probes not found")
    args = parser.parse_args()
    if args.write:
        missing = [
            p
            for lang, p in PACKAGES.items()
            if not (HUNSPELL / f"{DICTIONARIES[lang]}.dic").is_file()
        ]
        if missing:
            raise SystemExit("install the dictionaries first: apt-get install " + " ".join(missing))
    with tempfile.TemporaryDirectory() as tmp:
        texts = corpus_texts(args.corpus, Path(tmp) / "home")
        if args.write:
            write_probes(texts, PROBES)
            return
        engine = SearchEngine(Settings(home=Path(tmp) / "home", corpus=args.corpus))
        measure(engine, load_probes(), args.misses)
        engine.close()


if __name__ == "__main__":
    main()
