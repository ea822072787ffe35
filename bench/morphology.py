"""The relevance benchmark's morphology check: does a system find a document by a form of a
word that the document does not contain, though other forms of the same word are there?

Readers type the form that comes to mind, and Bulgarian, Greek and Portuguese inflect heavily;
the judged queries hold only some forms, so this check draws many more from simplemma's
dictionaries over the indexed texts themselves. Kept apart from ``relevance.py`` because it is
a measure of its own, with its own cases and table.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

from simplemma.strategies.dictionaries import DefaultDictionaryFactory

from indexer.text.terms import WORD, fold

#: A system under test: the paths of the documents it finds for a query.
Search = Callable[[str], list[str]]


def forms_by_lemma(lang: str) -> dict[str, list[str]]:
    """Every lower-case word form of simplemma's dictionary for ``lang``, by lemma."""
    table: dict[str, list[str]] = defaultdict(list)
    for form, lemma in DefaultDictionaryFactory().get_dictionary(lang).items():
        if form.isalpha() and form.islower():
            table[lemma].append(form)
    return table


def morphology_cases(
    documents: dict[str, tuple[str, str]], lang: str, samples: int
) -> list[tuple[str, str]]:
    """(query form, document path) pairs: the form is absent from the document, but another
    form of its lemma is there several times."""
    lemma_of = DefaultDictionaryFactory().get_dictionary(lang)
    by_lemma = forms_by_lemma(lang)
    cases: list[tuple[str, str]] = []
    docs = sorted(p for p, (dl, _) in documents.items() if dl == lang)
    per_doc = max(1, samples // max(len(docs), 1))
    for path in docs:
        words = Counter(w.lower() for w in WORD.findall(documents[path][1]))
        present = set(words)
        taken = 0
        for word, count in sorted(words.items(), key=lambda kv: (-kv[1], kv[0])):
            if taken >= per_doc:
                break
            if count < 3 or len(word) < 6 or not word.isalpha():
                continue
            lemma = lemma_of.get(word)
            if not lemma:
                continue
            others = sorted(f for f in by_lemma.get(lemma, []) if f not in present and len(f) >= 5)
            if others:
                cases.append((others[len(others) // 2], path))
                taken += 1
    return cases


def morphology(cases: list[tuple[str, str]], search: Search) -> float:
    """The share of cases whose document ``search`` finds by the absent form."""
    found = sum(1 for form, path in cases if path in search(form))
    return found / len(cases) if cases else 0.0


def morphology_table(
    texts: dict[str, tuple[str, str]], samples: int, systems: dict[str, Search]
) -> None:
    """Print the share of cases each system finds, per language (``texts``: path to language
    and text); Greek once more with its accents (tonos) left out of the queries."""
    print("\nmorphology check: documents found by a form of a word that they do not contain")
    print(f"{'language':13s} {'cases':>6s}" + "".join(f" {name:>9s}" for name in systems))

    def row(label: str, cases: list[tuple[str, str]]) -> None:
        found = "".join(f" {morphology(cases, search):9.2%}" for search in systems.values())
        print(f"{label:13s} {len(cases):6d}" + found)

    for lang in ("en", "bg", "el", "pt"):
        cases = morphology_cases(texts, lang, samples)
        row(lang, cases)
        if lang == "el":
            row("el, no tonos", [(fold(f), p) for f, p in cases])
