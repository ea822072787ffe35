"""Search across languages: judged queries whose relevant documents are in other languages.

    python bench/cross_language.py [--work DIR] [--tag NAME] [--documents 600]
                                   [--only corpus tuning generated tuned-subjects checked
                                           checked-2 checked-3 checked-4 checked-5 same
                                           concepts]

Four measurements, each printed per language of the query:

- **corpus**: ``corpus/cross-queries.csv`` (44 queries, 11 per language) on the sample documents,
  written and judged before the ranking was tuned; **tuning**: ``corpus/cross-tuning.csv`` and
  ``corpus/cross-tuning-2.csv`` (20 each), the queries it was tuned on, reported apart;
- **generated**: a collection made by ``bench/generate.py`` into which the subjects of
  ``bench/cross-subjects.json`` are written (each subject in two languages, a few documents
  each); its 40 queries ask about each subject in the two other languages; **tuned-subjects**:
  the same with the subjects of ``bench/cross-subjects-tuning.json``, in a collection of its
  own (another seed), which the ranking was tuned on; **checked**: the subjects of
  ``bench/cross-subjects-check.json`` (40 queries with inflected words, judged before any
  tuning on them), in a third collection; **checked-2**: the subjects of
  ``bench/cross-subjects-check-2.json`` (40 queries with years, numbers and place names, judged
  before any tuning on them), in a fourth collection; **checked-3**: the subjects of
  ``bench/cross-subjects-check-3.json`` (40 queries with everyday words, amounts and years,
  judged before any tuning on them), in a fifth collection; **checked-4**: the subjects of
  ``bench/cross-subjects-check-4.json`` (40 queries with everyday words for things and people,
  judged before any tuning on them), in a sixth collection; **checked-5**: the subjects of
  ``bench/cross-subjects-check-5.json`` (40 queries with everyday words for animals, aids of
  the body, school things and crafts, judged before any tuning on them), in a seventh
  collection;
- **same**: the same-language and code queries of ``corpus/queries.csv`` (and its own
  cross-language group), so a gain across languages is never paid for within one;
- **concepts**: the 20 multi-word concepts of ``bench/cross-concepts.json`` searched with all
  languages on and off: the documents found, how many of them a reader would judge to be about
  the concept (the document uses one of its phrases in some language, any inflected form), and
  how many of those documents are found.

Indexes are built once per ``--tag`` in ``--work`` and reused; ``--code CHECKOUT`` (and another
``--tag``) measures another checkout's code on the same collections.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import evaluation, other_code
from bench.generate import generate
from indexer.config import Settings
from indexer.ingest.run import run_index
from indexer.languages import script_of, script_of_language
from indexer.search import SearchEngine, SearchRequest
from indexer.store.catalog import Catalog
from indexer.text.keys import phrase_keys
from indexer.text.terms import WORD, term

ROOT = Path(__file__).resolve().parent.parent

LANGUAGES = ("en", "bg", "el", "pt")
SUBJECTS = ROOT / "bench" / "cross-subjects.json"
TUNING_SUBJECTS = ROOT / "bench" / "cross-subjects-tuning.json"
CHECK_SUBJECTS = ROOT / "bench" / "cross-subjects-check.json"
CHECK_2_SUBJECTS = ROOT / "bench" / "cross-subjects-check-2.json"
CHECK_3_SUBJECTS = ROOT / "bench" / "cross-subjects-check-3.json"
CHECK_4_SUBJECTS = ROOT / "bench" / "cross-subjects-check-4.json"
CHECK_5_SUBJECTS = ROOT / "bench" / "cross-subjects-check-5.json"
CONCEPTS = ROOT / "bench" / "cross-concepts.json"
#: Documents of each passage language that get a subject written into them.
PER_LANGUAGE = 3


# The collections ------------------------------------------------------------------------------
def subject_collection(
    out: Path, documents: int, seed: int = 7, subjects: Path = SUBJECTS
) -> list[evaluation.Judged]:
    """A generated collection with the subjects written into some of its documents, and the
    judged queries about them (written to ``.subjects.json`` beside the files)."""
    judged_file = out / ".subjects.json"
    if judged_file.is_file():
        return _judged(json.loads(judged_file.read_text("utf-8")))
    planned = generate(out, documents, seed=seed)
    rng = random.Random(seed)
    data = json.loads(subjects.read_text("utf-8"))
    free = {lang: [s.path for s in planned if s.language == lang] for lang in LANGUAGES}
    for paths in free.values():
        rng.shuffle(paths)
    rows = []
    for subject in data["subjects"]:
        written: list[str] = []
        for lang, sentences in subject["passages"].items():
            for _ in range(PER_LANGUAGE):
                path = free[lang].pop()
                _write_into(out / path, sentences, rng)
                written.append(path)
        for lang, queries in subject["queries"].items():
            for n, q in enumerate(queries, 1):
                rows.append(
                    {
                        "id": f"{subject['id']}-{lang}{n}",
                        "query": q,
                        "language": lang,
                        "expected": written,
                    }
                )
    judged_file.write_text(json.dumps(rows, ensure_ascii=False, indent=1), "utf-8")
    return _judged(rows)


def _write_into(path: Path, sentences: list[str], rng: random.Random) -> None:
    """Two or three of the subject's sentences as a paragraph on one page of the document."""
    text = path.read_text("utf-8")
    pages = text.split("\n\f")
    chosen = rng.sample(sentences, rng.choice([2, 3]))
    at = rng.randrange(len(pages))
    pages[at] = pages[at].rstrip("\n") + "\n\n" + " ".join(chosen) + "\n"
    path.write_text("\n\f".join(pages), "utf-8")


def _judged(rows: list[dict[str, Any]]) -> list[evaluation.Judged]:
    return [
        evaluation.Judged(r["id"], r["query"], r["language"], "cross", frozenset(r["expected"]))
        for r in rows
    ]


def indexed(home: Path, corpus: Path) -> Settings:
    """Settings of a data folder holding ``corpus``, indexed on first use."""
    settings = Settings(home=home, corpus=corpus)
    marker = home / "bench-indexed"
    if not marker.is_file():
        started = time.perf_counter()
        print(f"indexing {corpus} into {home} …", flush=True)
        run_index(settings)
        marker.write_text(f"{time.perf_counter() - started:.1f}", "utf-8")
    return settings


# Measuring ------------------------------------------------------------------------------------
def ranker(engine: SearchEngine, expand: bool = True) -> evaluation.Ranker:
    def rank(q: evaluation.Judged) -> list[str]:
        try:
            result = engine.search(SearchRequest(q=q.query, per_page=10, expand=expand))
        except Exception as err:  # a query that fails scores nothing, and is said
            print(f"  {q.id}: {type(err).__name__}: {err}")
            return []
        return [h["path"] for h in result["hits"]]

    return rank


def by_language(
    queries: list[evaluation.Judged], rank: evaluation.Ranker
) -> dict[str, evaluation.Scores]:
    """Scores per language of the query (every query here is a cross-language one)."""
    regrouped = [evaluation.Judged(q.id, q.query, q.language, "same", q.expected) for q in queries]
    return evaluation.evaluate(regrouped, rank)


def print_scores(title: str, scores: dict[str, evaluation.Scores], groups: tuple[str, ...]) -> None:
    print(f"\n{title}")
    print(f"{'':8s}" + "".join(f"{g:>22s}" for g in groups))
    print(f"{'':8s}" + "".join(f"{'nDCG   MRR   R@5':>22s}" for _ in groups))
    cells = []
    for g in groups:
        s = scores.get(g)
        cells.append(f"{s.ndcg:5.3f} {s.mrr:5.2f} {s.recall5:5.2f} ({s.queries})" if s else "-")
    print(f"{'':8s}" + "".join(f"{c:>22s}" for c in cells))
    misses = scores["all"].misses if "all" in scores else []
    if misses:
        print(f"  not all expected in the top 5: {', '.join(misses)}")


# Concepts -------------------------------------------------------------------------------------
def about(texts: dict[str, str], phrases: dict[str, list[str]]) -> set[str]:
    """The documents a reader would judge to be about a concept: those that use one of its
    phrases, in any inflected form, its words in order (stop words between them skipped)."""
    wanted = {lang: [phrase_keys(p, lang) for p in ps] for lang, ps in phrases.items()}
    found = set()
    for path, text in texts.items():
        words = WORD.findall(text)
        for lang, sequences in wanted.items():
            script = script_of_language(lang)
            keys = [f"{lang}:{t}" for w in words if script_of(w) == script and (t := term(lang, w))]
            joined = "\x00" + "\x00".join(keys) + "\x00"
            if any(s and ("\x00" + "\x00".join(s) + "\x00") in joined for s in sequences):
                found.add(path)
                break
    return found


def concepts(engine: SearchEngine, texts: dict[str, str]) -> list[dict[str, Any]]:
    data = json.loads(CONCEPTS.read_text("utf-8"))
    rows = []
    for concept in data["concepts"]:
        relevant = about(texts, concept["phrases"])
        row: dict[str, Any] = {"concept": concept["query"], "relevant": len(relevant)}
        for expand in (False, True):
            request = SearchRequest(q=concept["query"], expand=expand)
            found = {h["path"] for h in engine.iter_hits(request)}
            key = "all" if expand else "typed"
            row[key] = {
                "found": len(found),
                "relevant": len(found & relevant),
                "precision": len(found & relevant) / len(found) if found else 0.0,
                "recall": len(found & relevant) / len(relevant) if relevant else 0.0,
            }
        rows.append(row)
    return rows


def print_concepts(rows: list[dict[str, Any]], total: int) -> None:
    print(f"\nmulti-word concepts ({total} documents): found, of them about the concept, recall")
    print(f"{'concept':26s}{'about it':>9s}{'typed language only':>26s}{'all languages':>26s}")
    sums = {"typed": [0.0, 0.0, 0.0], "all": [0.0, 0.0, 0.0]}
    for r in rows:
        cells = []
        for key in ("typed", "all"):
            s = r[key]
            cells.append(f"{s['found']:4d} {s['precision']:6.2f} {s['recall']:6.2f}")
            sums[key][0] += s["found"]
            sums[key][1] += s["precision"]
            sums[key][2] += s["recall"]
        print(f"{r['concept']:26s}{r['relevant']:9d}{cells[0]:>26s}{cells[1]:>26s}")
    n = len(rows)
    cells = [f"{v[0] / n:4.1f} {v[1] / n:6.2f} {v[2] / n:6.2f}" for v in sums.values()]
    print(f"{'mean':26s}{'':9s}{cells[0]:>26s}{cells[1]:>26s}")


def document_texts(settings: Settings) -> dict[str, str]:
    with Catalog(settings.catalog_path) as catalog:
        return {
            row.path: "\n".join(p.text for p in catalog.pages(row.sha256))
            for row in catalog.files(status="indexed")
        }


# Running --------------------------------------------------------------------------------------
def timed(label: str, work: Callable[[], Any]) -> Any:
    started = time.process_time()
    out = work()
    print(f"  ({label}: {time.process_time() - started:.1f} s of CPU)")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / "results" / "cross")
    parser.add_argument("--tag", default="kb", help="name of the data folders in --work")
    parser.add_argument("--documents", type=int, default=600, help="generated collection size")
    parser.add_argument(
        "--only",
        nargs="+",
        default=[
            "corpus",
            "tuning",
            "generated",
            "tuned-subjects",
            "checked",
            "checked-2",
            "checked-3",
            "checked-4",
            "checked-5",
            "same",
            "concepts",
        ],
    )
    parser.add_argument("--out", type=Path, help="where the figures go as JSON")
    parser.add_argument(
        "--code", type=Path, help="measure another checkout's code (its indexer, these benchmarks)"
    )
    args = parser.parse_args()
    other_code.rerun_with(args.code, "bench.cross_language")
    args.work.mkdir(parents=True, exist_ok=True)
    figures: dict[str, Any] = {}
    groups = (*LANGUAGES, "all")
    if {"corpus", "tuning", "same", "concepts"} & set(args.only):
        settings = indexed(args.work / f"home-{args.tag}-corpus", ROOT / "corpus")
        engine = SearchEngine(settings)
        for part, key, name in (
            ("corpus", "corpus", "cross-queries.csv"),
            ("tuning", "tuning", "cross-tuning.csv"),
            ("tuning", "tuning-2", "cross-tuning-2.csv"),
        ):
            if part in args.only:
                queries = evaluation.load(ROOT / "corpus" / name)
                scores = timed(key, lambda q=queries: by_language(q, ranker(engine)))
                print_scores(f"cross-language, sample documents (corpus/{name})", scores, groups)
                figures[key] = {g: vars(s) for g, s in scores.items()}
        if "same" in args.only:
            queries = evaluation.load(ROOT / "corpus" / "queries.csv")
            scores = timed("same", lambda: evaluation.evaluate(queries, ranker(engine)))
            print_scores(
                "relevance set (corpus/queries.csv): same language, codes, and its cross group",
                scores,
                (*LANGUAGES, "cross"),
            )
            figures["same"] = {g: vars(s) for g, s in scores.items()}
        if "concepts" in args.only:
            texts = document_texts(settings)
            rows = concepts(engine, texts)
            print_concepts(rows, len(texts))
            figures["concepts"] = rows
        engine.close()
    for part, subjects, seed, name in (
        ("generated", SUBJECTS, 7, ""),
        ("tuned-subjects", TUNING_SUBJECTS, 11, "tuning-"),
        ("checked", CHECK_SUBJECTS, 13, "check-"),
        ("checked-2", CHECK_2_SUBJECTS, 17, "check-2-"),
        ("checked-3", CHECK_3_SUBJECTS, 19, "check-3-"),
        ("checked-4", CHECK_4_SUBJECTS, 23, "check-4-"),
        ("checked-5", CHECK_5_SUBJECTS, 29, "check-5-"),
    ):
        if part not in args.only:
            continue
        collection = args.work / f"subjects-{name}{args.documents}"
        queries = subject_collection(collection, args.documents, seed, subjects)
        home = args.work / f"home-{args.tag}-{name}{args.documents}"
        settings = indexed(home, collection)
        engine = SearchEngine(settings)
        scores = timed(part, lambda q=queries, e=engine: by_language(q, ranker(e)))
        print_scores(
            f"cross-language, generated collection of {args.documents} documents "
            f"({subjects.relative_to(ROOT)})",
            scores,
            groups,
        )
        figures[part] = {g: vars(s) for g, s in scores.items()}
        engine.close()
    out = args.out or args.work / f"cross-results-{args.tag}.json"
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=1), "utf-8")
    print(f"\nfigures written to {out}")


if __name__ == "__main__":
    main()
