"""Search quality on corpus/queries.csv: MRR@10, nDCG@10 and recall@5 per language and for
the cross-language queries, for

  (a) this project (with and without cross-language expansion),
  (b) a plain Whoosh index of the same extracted texts (StandardAnalyzer, default parser),
  (c) Recoll on the same files, when `recollindex`/`recollq` are installed (Debian: recollcmd),

plus a morphology check (``morphology.py``): for each language, word forms that do not occur in
a document although other forms of the same word do, and the share of those documents each
system finds; and the right page first: on corpus/page-queries.csv (queries whose answer is on
known pages of a long document), how often the first page a result shows — the page its link
opens at — is a right one, beside what opening at the first page with a hit would give.

    python -m bench.relevance [--corpus corpus] [--morph-samples 120]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.analysis import StandardAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.qparser import QueryParser

from bench import evaluation
from bench.morphology import Search, morphology_table
from bench.recoll import Recoll, installed
from indexer.config import Settings
from indexer.ingest.run import run_index
from indexer.search import SearchEngine, SearchRequest
from indexer.store.catalog import Catalog

ROOT = Path(__file__).resolve().parent.parent

GROUPS = ("en", "bg", "el", "pt", "cross")


# (a) the project -----------------------------------------------------------------
def project_ranker(engine: SearchEngine, expand: bool):
    def rank(q: evaluation.Judged) -> list[str]:
        try:
            result = engine.search(SearchRequest(q=q.query, per_page=10, expand=expand))
        except Exception:
            return []
        return [h["path"] for h in result["hits"]]

    return rank


# (b) plain Whoosh -----------------------------------------------------------------
class PlainWhoosh:
    """What a first Whoosh app would do: one TEXT field with the standard analyzer."""

    def __init__(self, documents: dict[str, str], folder: Path) -> None:
        schema = Schema(
            path=ID(stored=True, unique=True), content=TEXT(analyzer=StandardAnalyzer())
        )
        self.ix = whoosh_index.create_in(str(folder), schema)
        with self.ix.writer() as w:
            for path, text in documents.items():
                w.add_document(path=path, content=text)
        self.searcher = self.ix.searcher()
        self.parser = QueryParser("content", self.ix.schema)

    def search(self, text: str, limit: int | None = 10) -> list[str]:
        try:
            query = self.parser.parse(text)
        except Exception:
            return []
        return [hit["path"] for hit in self.searcher.search(query, limit=limit)]

    def ranker(self):
        return lambda q: self.search(q.query)


# Right page first -----------------------------------------------------------------
def page_rankers(engine: SearchEngine):
    """The pages a result shows for the judged document, best first; and, for comparison, the
    pages with a hit in page order."""

    def hit_of(q: evaluation.PageJudged) -> dict | None:
        try:
            result = engine.search(SearchRequest(q=q.query, per_page=10))
        except Exception:
            return None
        return next((h for h in result["hits"] if h["path"] == q.document), None)

    def shown(q: evaluation.PageJudged) -> list[int]:
        hit = hit_of(q)
        return [s["page"] for s in hit["snippets"]] if hit else []

    def in_page_order(q: evaluation.PageJudged) -> list[int]:
        hit = hit_of(q)
        return list(hit["pages"]) if hit else []

    return shown, in_page_order


def page_table(rows: list[tuple[str, dict[str, evaluation.PageScores]]]) -> None:
    groups = ("en", "bg", "el", "pt", "all")
    print(f"{'':42s}" + "".join(f"{g:>16s}" for g in groups))
    print(f"{'':42s}" + "".join(f"{'found first':>16s}" for _ in groups))
    for name, scores in rows:
        cells = []
        for g in groups:
            s = scores.get(g)
            cells.append(f"{s.found:4.2f} {s.first:4.2f} ({s.queries:2d})" if s else "-")
        print(f"{name:42s}" + "".join(f"{c:>16s}" for c in cells))


def right_page_first(engine: SearchEngine, page_queries: Path) -> None:
    """Print how often the first page shown is a right one, beside the first page with a hit."""
    judged = evaluation.load_pages(page_queries)
    shown, in_page_order = page_rankers(engine)
    rows_pages = [
        ("first page shown (best match)", evaluation.evaluate_pages(judged, shown)),
        ("first page with a hit", evaluation.evaluate_pages(judged, in_page_order)),
    ]
    print(f"\nright page first: {len(judged)} queries answered on known pages")
    page_table(rows_pages)
    best = rows_pages[0][1]["all"]
    print(f"a right page among the pages shown: {best.shown:.2f}")
    if best.misses:
        print(f"first page shown is not a right one: {', '.join(best.misses)}")


# Output -----------------------------------------------------------------
def table(rows: list[tuple[str, dict[str, evaluation.Scores]]]) -> None:
    header = f"{'system':34s}" + "".join(f"{g:>22s}" for g in GROUPS)
    print(header)
    print(f"{'':34s}" + "".join(f"{'MRR  nDCG  R@5':>22s}" for _ in GROUPS))
    for name, scores in rows:
        cells = []
        for g in GROUPS:
            s = scores.get(g)
            cells.append(
                f"{s.mrr:5.2f} {s.ndcg:5.2f} {s.recall5:5.2f} ({s.queries:2d})"
                if s
                else f"{'-':>22s}"
            )
        print(f"{name:34s}" + "".join(f"{c:>22s}" for c in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--morph-samples", type=int, default=120)
    parser.add_argument("--no-recoll", action="store_true")
    args = parser.parse_args()
    queries = evaluation.load(args.corpus / "queries.csv")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        settings = Settings(home=tmp_path / "home", corpus=args.corpus)
        started = time.perf_counter()
        run_index(settings)
        print(
            f"{len(queries)} queries; project index built in {time.perf_counter() - started:.1f} s"
        )
        engine = SearchEngine(settings)
        with Catalog(settings.catalog_path) as catalog:
            texts = {
                row.path: (
                    row.language or "und",
                    "\n".join(p.text for p in catalog.pages(row.sha256)),
                )
                for row in catalog.files(status="indexed")
            }
        (tmp_path / "plain").mkdir()
        plain = PlainWhoosh({p: t for p, (_, t) in texts.items()}, tmp_path / "plain")
        rows = [
            (
                "(a) project, all languages",
                evaluation.evaluate(queries, project_ranker(engine, True)),
            ),
            (
                "(a) project, typed language only",
                evaluation.evaluate(queries, project_ranker(engine, False)),
            ),
            ("(b) plain Whoosh", evaluation.evaluate(queries, plain.ranker())),
        ]
        recoll = None
        if not args.no_recoll and installed():
            os.environ.setdefault("RECOLL_CONFDIR", str(tmp_path / "recoll"))
            recoll = Recoll(args.corpus, tmp_path / "recoll")
            recoll.index(
                "sources build.py builder README.md queries.csv manifest.csv .kbignore", 1800
            )
            rows.append(
                ("(c) Recoll", evaluation.evaluate(queries, lambda q: recoll.search(q.query)))
            )
        else:
            print("(c) Recoll: not installed (apt-get install recollcmd) — skipped")
        print()
        table(rows)
        same = {name: evaluation.same_language_recall(s) for name, s in rows}
        print(
            "\nrecall@5, same-language queries: "
            + "; ".join(f"{n} {v:.2f}" for n, v in same.items())
        )
        misses = rows[0][1]["all"].misses
        if misses:
            print(f"project (all languages) misses in top 5: {', '.join(misses)}")

        page_queries = args.corpus / "page-queries.csv"
        if page_queries.is_file():
            right_page_first(engine, page_queries)

        # Every system returns up to 100 documents here: the question is whether it finds the
        # document at all, not where it ranks it.
        def project_search(form: str) -> list[str]:
            result = engine.search(SearchRequest(q=form, per_page=100, expand=False))
            return [h["path"] for h in result["hits"]]

        systems: dict[str, Search] = {
            "project": project_search,
            "plain": lambda f: plain.search(f, 100),
        }
        if recoll:
            systems["recoll"] = lambda f: recoll.search(f, limit=100)
        morphology_table(texts, args.morph_samples, systems)
        engine.close()


if __name__ == "__main__":
    main()
