"""Indexing speed: pages per second of a full `kb index` with one worker and with all cores,
against bare pypdf text extraction of the same PDFs in one process, plus the time of a run in
which nothing changed (in process, and as the `kb index` command a user runs, start-up
included).

    python bench/indexing.py [--corpus corpus] [--copies 2] [--repeat 3]

All variants run side by side in the same invocation, alternating, so a busy machine affects
them alike; the figures printed are medians. The workload is the corpus's PDFs, ``--copies``
times over under different folder names (with one byte changed per copy, so that copies are
really extracted rather than recognised as duplicates).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer.config import Settings  # noqa: E402
from indexer.discover import walk  # noqa: E402
from indexer.pipeline import run_index  # noqa: E402


def make_workload(corpus: Path, copies: int, target: Path) -> list[Path]:
    """``copies`` copies of the corpus's PDFs, each made unique by a trailing comment."""
    sources = sorted(p for p in corpus.rglob("*.pdf") if "sources" not in p.parts)
    for n in range(copies):
        for source in sources:
            dest = target / f"copy{n}" / source.relative_to(corpus)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(source.read_bytes() + b"\n%" + str(n).encode())
    return sorted(target.rglob("*.pdf"))


def bare_pypdf(pdfs: list[Path]) -> tuple[int, float]:
    pages = 0
    started = time.perf_counter()
    for path in pdfs:
        try:
            reader = PdfReader(str(path))
            if reader.is_encrypted and not reader.decrypt(""):
                continue
            for page in reader.pages:
                page.extract_text()
                pages += 1
        except Exception:
            continue
    return pages, time.perf_counter() - started


def kb_full(workload: Path, workers: int) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(home=Path(home), corpus=workload, workers=workers)
        started = time.perf_counter()
        summary = run_index(settings, [workload], workers_count=workers)
        return summary.pages, time.perf_counter() - started


def kb_unchanged(workload: Path) -> tuple[float, float]:
    """Seconds of a run with nothing to do: the pipeline alone, and the whole command."""
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(home=Path(home), corpus=workload)
        run_index(settings, [workload])
        started = time.perf_counter()
        summary = run_index(settings, [workload])
        assert summary.added == summary.updated == 0
        in_process = time.perf_counter() - started
        env = {**os.environ, "KB_HOME": home, "KB_CORPUS": str(workload)}
        command = [sys.executable, "-c", "from indexer.cli import main; main()", "index"]
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True, cwd=ROOT)
        return in_process, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--copies", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        workload = Path(tmp) / "docs"
        pdfs = make_workload(args.corpus, args.copies, workload)
        files = sum(1 for _ in walk(workload))
        print(
            f"workload: {files} files ({len(pdfs)} PDFs) from {args.copies} copies of "
            f"{args.corpus}; {cores} cores; {args.repeat} rounds"
        )
        bare: list[float] = []
        one: list[float] = []
        many: list[float] = []
        unchanged: list[float] = []
        command: list[float] = []
        for round_ in range(args.repeat):
            pages, seconds = bare_pypdf(pdfs)
            bare.append(pages / seconds)
            kb_pages, seconds = kb_full(workload, 1)
            one.append(kb_pages / seconds)
            kb_pages, seconds = kb_full(workload, cores)
            many.append(kb_pages / seconds)
            in_process, whole = kb_unchanged(workload)
            unchanged.append(in_process)
            command.append(whole)
            print(
                f"  round {round_ + 1}: bare pypdf {bare[-1]:.1f} p/s ({pages} PDF pages), "
                f"kb 1 worker {one[-1]:.1f} p/s, kb {cores} workers {many[-1]:.1f} p/s "
                f"({kb_pages} pages), nothing changed {unchanged[-1]:.2f} s "
                f"(command {command[-1]:.2f} s)"
            )
        b, o, m = (statistics.median(x) for x in (bare, one, many))
        print("\nmedians")
        print(f"  bare pypdf extraction, 1 process : {b:8.1f} pages/s")
        print(f"  kb index --full, 1 worker        : {o:8.1f} pages/s  ({o / b:.2f} x bare)")
        print(
            f"  kb index --full, {cores} workers      : {m:8.1f} pages/s  ({m / b:.2f} x bare, "
            f"{m / o:.2f} x 1 worker)"
        )
        print(f"  kb index, nothing changed        : {statistics.median(unchanged):8.2f} s")
        print(f"  the same, whole command          : {statistics.median(command):8.2f} s")


if __name__ == "__main__":
    main()
