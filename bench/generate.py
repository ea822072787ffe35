"""Generated collections for scale runs: thousands of realistic multilingual documents.

    python -m bench.generate OUT --documents 3000 [--seed 1] [--words 4000] [--pages 6]

Each document is a Markdown file in one of the four languages, about ``--words`` words over
about ``--pages`` pages (separated by form feeds, the way text exports mark pages), with
headings, a title, and facets in a ``manifest.csv`` as editors write it: country, topics, type,
year, organisation, language and, for a tenth of them, a shared work with other language
versions. The prose is a word-level Markov chain trained on the bundled corpus's own sources
(``markov.py``), so word frequencies, inflections and sentence shapes follow the real
documents; every document also names a few invented people, places and projects, so the
vocabulary keeps growing with the collection as a real one does.

``.queries.json`` beside the files (hidden, so the indexer skips it) lists the benchmark's
requests by kind (word, multi-word, phrase, filtered, sorted, deep page, fuzzy, autocomplete),
drawn from the same chains. The output depends only on the arguments: the same seed gives the
same files.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench.markov import Chain, load_chains

LANGUAGES = {"en": 0.40, "bg": 0.25, "pt": 0.20, "el": 0.15}
HOME_COUNTRY = {"bg": "BG", "el": "CY", "pt": "PT", "en": None}
COUNTRIES = ["BG", "IE", "CY", "PT", "EU"]
TOPICS = [
    "competence-centres",
    "ecosystem",
    "social-enterprise",
    "finance",
    "payment-by-results",
    "scaling",
    "policy",
    "impact-measurement",
    "capacity-building",
    "stakeholder-engagement",
    "transnational-cooperation",
    "social-services",
]
TYPES = {
    "report": 0.30,
    "minutes": 0.15,
    "policy-brief": 0.12,
    "training-material": 0.10,
    "consultation-summary": 0.08,
    "strategic-document": 0.08,
    "news": 0.07,
    "presentation": 0.05,
    "tool": 0.05,
}
ORGANISATIONS = [
    "Rethink Ireland",
    "Genio",
    "BCause Foundation",
    "Reach for Change Bulgaria",
    "Bulgarian Center for Not-for-Profit Law",
    "Cleantech Bulgaria",
    "Business Institute",
    "Agency for Development and Cohesion",
    "Portugal Social Innovation",
    "SYNTHESIS Center for Research and Education",
    "Centre for Social Innovation",
    "FUSE consortium",
]
_SYLLABLES = {
    "en": ["bar", "ton", "well", "ley", "mor", "ash", "brook", "field", "den", "ridge", "kin"],
    "pt": ["ca", "ri", "lho", "vei", "ra", "bo", "ta", "nho", "mi", "sal", "por", "ga"],
    "bg": ["бо", "ри", "ско", "вец", "ла", "ни", "ца", "град", "ев", "ко", "ман", "дол"],
    "el": ["κα", "λο", "πο", "ρι", "στα", "θη", "νι", "κος", "μα", "ρα", "δη", "λης"],
}


def invented_name(rng: random.Random, lang: str) -> str:
    parts = _SYLLABLES[lang]
    word = "".join(rng.choice(parts) for _ in range(rng.randint(2, 4)))
    return word[:1].upper() + word[1:]


@dataclass
class Spec:
    """What one generated document is: its file, its facets and its text's shape."""

    path: str
    language: str
    title: str
    country: list[str]
    topic: list[str]
    type: str
    year: int
    organisation: str
    work: str
    pages: int


def _facets(rng: random.Random, lang: str) -> tuple[list[str], list[str], str, int, str]:
    home = HOME_COUNTRY[lang]
    country = [home] if home and rng.random() < 0.7 else [rng.choice(COUNTRIES)]
    if rng.random() < 0.2:
        country.append(rng.choice([c for c in COUNTRIES if c not in country]))
    topic = rng.sample(TOPICS, rng.choice([1, 2, 2, 3]))
    kind = rng.choices(list(TYPES), weights=list(TYPES.values()))[0]
    year = rng.choices(range(2015, 2026), weights=[1, 1, 1, 2, 2, 3, 4, 5, 5, 4, 3])[0]
    return country, topic, kind, year, rng.choice(ORGANISATIONS)


def specs(count: int, rng: random.Random, chains: dict[str, Chain], pages: int) -> list[Spec]:
    out: list[Spec] = []
    langs = list(LANGUAGES)
    weights = list(LANGUAGES.values())
    while len(out) < count:
        n = len(out)
        country, topic, kind, year, org = _facets(rng, "en")
        # A tenth of the documents come with versions in other languages (same work).
        versions = (
            rng.sample(langs, rng.choice([2, 3]))
            if rng.random() < 0.1
            else [rng.choices(langs, weights=weights)[0]]
        )
        work = f"work-{n:05d}" if len(versions) > 1 else ""
        for lang in versions[: count - len(out)]:
            if len(versions) == 1:
                country, topic, kind, year, org = _facets(rng, lang)
            heading = rng.choice(chains[lang].headings)
            title = f"{heading} — {invented_name(rng, lang)}"
            folder = country[0].lower()
            path = f"{folder}/{kind}/doc-{len(out):05d}_{lang}.md"
            n_pages = max(1, round(rng.gauss(pages, pages / 3)))
            out.append(Spec(path, lang, title, country, topic, kind, year, org, work, n_pages))
    return out


def document_text(spec: Spec, rng: random.Random, chain: Chain, words: int) -> str:
    """The Markdown of one document: a title, headed sections, pages split by form feeds."""
    names = [invented_name(rng, spec.language) for _ in range(4)]
    per_page = max(50, words // max(spec.pages, 1))
    lines = [f"# {spec.title}", ""]
    pages = []
    for number in range(spec.pages):
        body: list[str] = []
        count = 0
        if number or rng.random() < 0.5:
            body += [f"## {rng.choice(chain.headings)}", ""]
        while count < per_page:
            paragraph: list[str] = []
            for _ in range(rng.randint(2, 6)):
                sentence = chain.sentence(rng)
                if rng.random() < 0.15:
                    sentence.insert(rng.randrange(len(sentence)), rng.choice(names))
                paragraph.append(" ".join(sentence))
                count += len(sentence)
            body += [" ".join(paragraph), ""]
        pages.append("\n".join(body))
    lines.append("\n\f".join(pages))
    lines.append(f"\n_Sample content generated for benchmarks ({spec.language})._\n")
    return "\n".join(lines)


def _queries(rng: random.Random, chains: dict[str, Chain], n: int = 40) -> dict[str, list]:
    """Benchmark requests by kind, drawn from words of middling frequency in each language."""
    out: dict[str, list] = defaultdict(list)
    for chain in chains.values():
        common = [w for w, c in chain.words.most_common(1500)[40:] if c >= 3]
        pairs = [
            (a, b)
            for a, nxt in chain.following.items()
            for b, c in nxt.items()
            if c >= 2 and a.isalpha() and b.isalpha() and len(a) > 3 and len(b) > 3
        ]
        for _ in range(n // len(chains) + 1):
            word, other = rng.sample(common, 2)
            out["word"].append({"q": word})
            out["multi"].append({"q": f"{word} {other}"})
            if pairs:
                a, b = rng.choice(pairs)
                out["phrase"].append({"q": f'"{a} {b}"'})
            out["filtered"].append(
                {"q": word, "country": rng.sample(COUNTRIES, 2), "type": [rng.choice(list(TYPES))]}
            )
            out["sorted"].append({"q": word, "sort": rng.choice(["newest", "title", "oldest"])})
            out["deep"].append({"q": other, "page": rng.randint(5, 20)})
            typo = _typo(rng, word)
            out["fuzzy"].append({"q": f"{typo}~"})
            out["suggest"].append({"q": word[: rng.randint(2, 4)]})
    return {k: v[:n] for k, v in out.items()}


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :]


def generate(
    out: Path, documents: int, seed: int = 1, words: int = 4000, pages: int = 6
) -> list[Spec]:
    """Write ``documents`` files, ``manifest.csv`` and ``queries.json`` under ``out``."""
    rng = random.Random(seed)
    chains = load_chains(LANGUAGES)
    planned = specs(documents, rng, chains, pages)
    out.mkdir(parents=True, exist_ok=True)
    for spec in planned:
        target = out / spec.path
        target.parent.mkdir(parents=True, exist_ok=True)
        doc_rng = random.Random(f"{seed}:{spec.path}")
        target.write_text(document_text(spec, doc_rng, chains[spec.language], words), "utf-8")
    with (out / "manifest.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "path",
                "title",
                "country",
                "topic",
                "type",
                "year",
                "organisation",
                "language",
                "work",
            ]
        )
        for s in planned:
            writer.writerow(
                [
                    s.path,
                    s.title,
                    "; ".join(s.country),
                    "; ".join(s.topic),
                    s.type,
                    s.year,
                    s.organisation,
                    s.language,
                    s.work,
                ]
            )
    (out / ".queries.json").write_text(
        json.dumps(_queries(random.Random(seed), chains), ensure_ascii=False, indent=1), "utf-8"
    )
    return planned


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--words", type=int, default=4000)
    parser.add_argument("--pages", type=int, default=6)
    args = parser.parse_args()
    planned = generate(args.out, args.documents, args.seed, args.words, args.pages)
    print(f"{len(planned)} documents in {args.out}")


if __name__ == "__main__":
    main()
