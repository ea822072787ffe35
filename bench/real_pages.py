"""The right page first, on real documents nobody on this project wrote.

Each judged query (``bench/data/real-page-queries*.csv``: ``id, query, language, package,
document, pages, note``) is answered on known pages of one real PDF: a manual, FAQ or
textbook installed by a Debian package (``document`` is where Debian puts it, ``.pdf.gz``
included), or one of the shared sample PDFs (a path relative to ``--samples``). The pages
were judged by reading the section that answers the query, not by searching.

The documents are copied into a temporary folder (decompressed), indexed, and every query
is searched: *found* is the share of queries whose document is among the first ten results,
*first* the share whose first page shown (the first snippet, the page the result opens at)
is a right one. Each query file gets a table of its own, so queries written before the page
ranking was tuned are reported apart from those written after.

    python -m bench.real_pages [--queries FILE ...] [--misses]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import shutil
import tempfile
import time
from pathlib import Path

from bench import evaluation
from indexer.config import Settings
from indexer.ingest.run import run_index
from indexer.search import SearchEngine, SearchRequest

ROOT = Path(__file__).resolve().parent.parent

DATA = ROOT / "bench" / "data"
SAMPLES = Path("/work/shared/testdata/pdf-samples")


def load(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [row for row in csv.DictReader(fh) if row["query"].strip()]


def source_of(row: dict[str, str], samples: Path) -> Path:
    document = row["document"]
    return Path(document) if document.startswith("/") else samples / document


def copy_documents(rows: list[dict[str, str]], samples: Path, folder: Path) -> dict[str, str]:
    """Each available document copied (decompressed) into ``folder``; its path in the index
    by its source path. Prints what to install for the missing ones."""
    names: dict[str, str] = {}
    missing: dict[str, str] = {}
    for row in rows:
        source = source_of(row, samples)
        if str(source) in names or str(source) in missing:
            continue
        if not source.is_file():
            missing[str(source)] = row["package"]
            continue
        name = f"{row['package']}/{source.name.removesuffix('.gz')}"
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix == ".gz":
            with gzip.open(source, "rb") as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst)
        else:
            shutil.copyfile(source, target)
        names[str(source)] = name
    if missing:
        packages = sorted({p for p in missing.values() if p != "pdf-samples"})
        print(f"{len(missing)} documents missing; their queries are left out.")
        if packages:
            print("install them with: apt-get install " + " ".join(packages))
        if "pdf-samples" in missing.values():
            print(f"sample PDFs not found under {samples} (--samples)")
    return names


def judged(rows: list[dict[str, str]], names: dict[str, str], samples: Path):
    out = []
    for row in rows:
        name = names.get(str(source_of(row, samples)))
        if name is None:
            continue
        pages = frozenset(int(p) for p in row["pages"].split(";") if p.strip())
        out.append(evaluation.PageJudged(row["id"], row["query"], row["language"], name, pages))
    return out


def shown_pages(engine: SearchEngine):
    def shown(q: evaluation.PageJudged) -> list[int]:
        result = engine.search(SearchRequest(q=q.query, per_page=10))
        hit = next((h for h in result["hits"] if h["path"] == q.document), None)
        return [s["page"] for s in hit["snippets"]] if hit else []

    return shown


def report(title: str, scores: dict[str, evaluation.PageScores], misses: bool) -> None:
    groups = [*sorted(g for g in scores if g != "all"), "all"]
    print(f"\n{title}")
    print(f"{'':10s}" + "".join(f"{g:>18s}" for g in groups))
    print(f"{'':10s}" + "".join(f"{'found first (n)':>18s}" for _ in groups))
    cells = [
        f"{scores[g].found:4.2f} {scores[g].first:4.2f} ({scores[g].queries:2d})" for g in groups
    ]
    print(f"{'':10s}" + "".join(f"{c:>18s}" for c in cells))
    print(f"a right page among the pages shown: {scores['all'].shown:.2f}")
    if misses and scores["all"].misses:
        print("first page shown is not a right one: " + ", ".join(scores["all"].misses))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--queries", type=Path, nargs="+", default=sorted(DATA.glob("real-page-queries*.csv"))
    )
    parser.add_argument("--samples", type=Path, default=SAMPLES)
    parser.add_argument("--misses", action="store_true", help="list the queries missed")
    args = parser.parse_args()
    sets = {path: load(path) for path in args.queries}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "documents"
        names = copy_documents([r for rows in sets.values() for r in rows], args.samples, folder)
        settings = Settings(home=Path(tmp) / "home", corpus=folder)
        started = time.perf_counter()
        run_index(settings)
        print(f"{len(names)} documents indexed in {time.perf_counter() - started:.1f} s")
        engine = SearchEngine(settings)
        shown = shown_pages(engine)
        for path, rows in sets.items():
            queries = judged(rows, names, args.samples)
            if queries:
                scores = evaluation.evaluate_pages(queries, shown)
                report(
                    f"right page first: {path.name} ({len(queries)} queries)", scores, args.misses
                )
        engine.close()


if __name__ == "__main__":
    main()
