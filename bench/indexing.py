"""Indexing speed and memory: `kb index` against bare pypdf on PDFs, and against Recoll on
generated collections of thousands of documents.

    python -m bench.indexing [--pdfs DIR] [--copies 2] [--repeat 3] [--sizes 1000 3000]
                             [--collections DIR] [--steps full incremental visible serve]
                             [--compare CHECKOUT] [--only pdf|generated] [--no-ocr]

PDFs: pages per second and processor time per page of `kb index --full` (the whole command:
start-up, the workers, the catalog and the index), with one worker and with the default number,
against bare pypdf `extract_text()` of the same files in one process; then a run with nothing
changed. The workload is the corpus's PDFs ``--copies`` times over (each copy changed by one
byte, so it is really extracted), or every PDF under ``--pdfs``.

Generated collections (`bench/generate.py`, made once into ``--collections``): documents per
second, processor time per document, pages per processor second and peak memory of a full build
at each of ``--sizes``, of an incremental run from one size to the next (the smaller collection
is the start of the larger one), and of Recoll's `recollindex` on the same files where it is
installed (skipped otherwise). ``visible``: while 100 documents are added to the smallest
size, how soon the first and the last of them are found; ``serve``: how soon `kb serve` on a
never-indexed data folder (the corpus) shows a page and the first results
(`bench/indexing_live.py`).

Every command runs in its own process tree, sampled by `bench/proctree.py`: wall time,
processor time of all its processes, and peak memory of the whole tree (the sum of resident
sets, which counts shared libraries once per process, and the sum of proportional sets, which
counts shared pages once). The machine may be busy: processor time is the steadier figure.
``--compare CHECKOUT`` runs another checkout of the project beside this one, alternating, so a
change is measured side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from pypdf import PdfReader

from bench.generate import generate
from bench.indexing_live import added_visible, serve_first
from bench.proctree import Measured, measure

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Checkout:
    """A copy of the project whose `kb` is measured (this one, or one to compare with)."""

    name: str
    path: Path

    #: Extra settings of every run (``--no-ocr``: KB_OCR=0).
    env: tuple[tuple[str, str], ...] = ()

    def index(self, home: Path, root: Path, *args: str) -> Measured:
        env = {**os.environ, "KB_HOME": str(home), "KB_CORPUS": str(root), **dict(self.env)}
        env["PYTHONPATH"] = str(self.path)
        command = [sys.executable, "-c", "from indexer.cli import main; main()", "index"]
        result = measure([*command, str(root), "--json", *args], env=env, cwd=self.path)
        if result.returncode:
            raise SystemExit(f"{self.name}: kb index failed:\n{result.stderr[-3000:]}")
        return result


def summary_of(result: Measured) -> dict:
    return json.loads(result.stdout)


def row(
    label: str, m: Measured, unit: float, unit_name: str, failed: int = 0, pages: int = 0
) -> str:
    per_cpu = f" {pages / m.cpu:6.0f} pages/CPU s" if pages else ""
    return (
        f"  {label:<44} {m.wall:8.1f} s wall {m.cpu:8.1f} s CPU ({m.main_cpu:6.1f} main) "
        f"{unit / m.wall:8.1f} {unit_name}/s {1000 * m.cpu / unit:7.1f} ms CPU/{unit_name[:-1]}"
        f"{per_cpu} {m.peak_tree_mb:6.0f} MB tree ({m.peak_tree_pss_mb:4.0f} MB PSS, "
        f"{m.peak_main_mb:4.0f} MB main, {m.peak_main_anon_mb:4.0f} MB of it its own)"
        + (f"  {failed} FAILED" if failed else "")
    )


def failures(summary: dict) -> str:
    return "".join(f"\n      failed: {f['path']}: {f['reason']}" for f in summary["failures"])


# PDFs -----------------------------------------------------------------------------------------
def make_workload(corpus: Path, copies: int, target: Path) -> list[Path]:
    """``copies`` copies of the corpus's PDFs, each made unique by a trailing comment."""
    sources = sorted(p for p in corpus.rglob("*.pdf") if "sources" not in p.parts)
    for n in range(copies):
        for source in sources:
            dest = target / f"copy{n}" / source.relative_to(corpus)
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(source.read_bytes() + b"\n%" + str(n).encode())
    return sorted(target.rglob("*.pdf"))


def bare_pypdf(pdfs: list[Path]) -> tuple[int, float, float]:
    """Pages, wall seconds and processor seconds of extracting the PDFs' text in this process."""
    pages = 0
    started, cpu = time.perf_counter(), time.process_time()
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
    return pages, time.perf_counter() - started, time.process_time() - cpu


def bench_pdfs(args: argparse.Namespace, checkouts: list[Checkout], tmp: Path) -> None:
    workload = tmp / "pdfs"
    if args.pdfs:
        shutil.copytree(args.pdfs, workload)
        pdfs = sorted(workload.rglob("*.pdf"))
    else:
        pdfs = make_workload(ROOT / "corpus", args.copies, workload)
    cores = os.cpu_count() or 1
    print(f"\nPDFs: {len(pdfs)} files; {cores} cores; {args.repeat} rounds (medians)")
    rates: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    unchanged: dict[str, list[float]] = {}
    kb_pages = 0

    def note(label: str, pages: int, wall: float, seconds: float) -> None:
        rates.setdefault(label, []).append(pages / wall)
        cpu.setdefault(label, []).append(1000 * seconds / pages)

    for round_ in range(args.repeat):
        pages, wall, seconds = bare_pypdf(pdfs)
        note("bare pypdf extract_text(), 1 process", pages, wall, seconds)
        for checkout in checkouts:
            for workers in (1, cores):
                home = tmp / f"home-{checkout.name}-{workers}-{round_}"
                m = checkout.index(home, workload, "--full", "--workers", str(workers))
                kb_pages = summary_of(m)["pages"]
                note(
                    f"{checkout.name}: kb index --full, {workers} worker(s)",
                    kb_pages,
                    m.wall,
                    m.cpu,
                )
                if workers == cores:
                    again = checkout.index(home, workload)
                    unchanged.setdefault(checkout.name, []).append(again.wall)
                shutil.rmtree(home, ignore_errors=True)
        print(f"  round {round_ + 1} done ({pages} PDF pages, kb: {kb_pages} pages)")
    bare = statistics.median(rates["bare pypdf extract_text(), 1 process"])
    for label, values in rates.items():
        value = statistics.median(values)
        per_page = statistics.median(cpu[label])
        print(
            f"  {label:<52} {value:8.1f} pages/s ({value / bare:4.2f} x bare) "
            f"{per_page:6.1f} ms CPU/page"
        )
    for name, values in unchanged.items():
        label = f"{name}: kb index, nothing changed (whole command)"
        print(f"  {label:<52} {statistics.median(values):8.2f} s")


# Generated collections ----------------------------------------------------------------------
def collection(base: Path, size: int) -> Path:
    path = base / f"c{size}"
    if not (path / "manifest.csv").is_file():
        print(f"  generating {size} documents into {path} …")
        generate(path, size)
    return path


def recoll(source: Path, confdir: Path, reset: bool) -> Measured | None:
    if shutil.which("recollindex") is None:
        return None
    confdir.mkdir(parents=True, exist_ok=True)
    (confdir / "recoll.conf").write_text(
        f"topdirs = {source}\nskippedNames = .* manifest.csv\nnoaspell = 1\nloglevel = 1\n"
    )
    command = ["recollindex", "-c", str(confdir), *(["-z"] if reset else [])]
    return measure(command)


def grow(target: Path, source: Path) -> None:
    """Make ``target`` hold ``source``'s files (same names, contents and times)."""
    shutil.copytree(source, target, dirs_exist_ok=True, copy_function=shutil.copy2)


def bench_generated(args: argparse.Namespace, checkouts: list[Checkout], tmp: Path) -> None:
    base = args.collections
    sizes = sorted(args.sizes)
    print(f"\nGenerated collections: {', '.join(map(str, sizes))} documents")
    paths = {size: collection(base, size) for size in sizes}
    for size in sizes if "full" in args.steps else []:
        print(f"\n{size} documents, full build")
        for checkout in checkouts:
            home = tmp / f"home-{checkout.name}-{size}"
            m = checkout.index(home, paths[size], "--full")
            s = summary_of(m)
            pages = s["pages"]
            print(row(f"{checkout.name}: kb index --full", m, size, "docs", s["failed"], pages))
            print(failures(s), end="")
            again = checkout.index(home, paths[size])
            print(f"  {checkout.name}: kb index, nothing changed: {again.wall:.2f} s wall")
            shutil.rmtree(home, ignore_errors=True)
        r = recoll(paths[size], tmp / f"recoll-{size}", reset=True)
        if r is None:
            print("  Recoll: recollindex not installed, skipped")
        else:
            print(row("Recoll: recollindex", r, size, "docs", pages=pages))
    for small, large in pairwise(sizes) if "incremental" in args.steps else []:
        print(f"\nincremental: {small} → {large} documents ({large - small} new)")
        for checkout in checkouts:
            work, home = tmp / f"grow-{checkout.name}", tmp / f"home-grow-{checkout.name}"
            grow(work, paths[small])
            checkout.index(home, work)
            grow(work, paths[large])
            m = checkout.index(home, work)
            s = summary_of(m)
            print(row(f"{checkout.name}: kb index", m, large - small, "docs", s["failed"]))
            print(failures(s), end="")
            shutil.rmtree(work, ignore_errors=True)
            shutil.rmtree(home, ignore_errors=True)
        work = tmp / "grow-recoll"
        grow(work, paths[small])
        if recoll(work, tmp / "recoll-grow", reset=True) is not None:
            grow(work, paths[large])
            r = recoll(work, tmp / "recoll-grow", reset=False)
            assert r is not None
            print(row("Recoll: recollindex", r, large - small, "docs"))
        shutil.rmtree(work, ignore_errors=True)


def bench_live(args: argparse.Namespace, checkouts: list[Checkout], tmp: Path) -> None:
    """How soon documents are found: added to an index, and from `kb serve`'s first start."""
    size = min(args.sizes)
    if "visible" in args.steps:
        print(f"\nvisible while a run goes: 100 documents added to {size}")
        small, large = collection(args.collections, size), collection(args.collections, size + 100)
        for checkout in checkouts:
            work, home = tmp / f"live-{checkout.name}", tmp / f"home-live-{checkout.name}"
            grow(work, small)
            checkout.index(home, work)
            grow(work, large)
            print(
                f"  {checkout.name}: " + added_visible(checkout.path, work, home, size, size + 100)
            )
            shutil.rmtree(work, ignore_errors=True)
            shutil.rmtree(home, ignore_errors=True)
    if "serve" in args.steps:
        print("\nkb serve on a never-indexed data folder (the corpus)")
        for checkout in checkouts:
            home = tmp / f"home-serve-{checkout.name}"
            print(
                f"  {checkout.name}: " + serve_first(checkout.path, ROOT / "corpus", home, "social")
            )
            shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pdfs", type=Path, help="a folder of PDFs instead of the corpus's")
    parser.add_argument("--copies", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000])
    parser.add_argument(
        "--collections",
        type=Path,
        default=Path(tempfile.gettempdir()) / "kb-bench-collections",
        help="where generated collections are made once and kept",
    )
    parser.add_argument(
        "--steps",
        nargs="+",
        choices=["full", "incremental", "visible", "serve"],
        default=["full", "incremental", "visible", "serve"],
    )
    parser.add_argument("--compare", type=Path, help="another checkout to measure beside this")
    parser.add_argument("--only", choices=["pdf", "generated"])
    parser.add_argument(
        "--no-ocr", action="store_true", help="kb runs without OCR (KB_OCR=0), as bare pypdf"
    )
    args = parser.parse_args()
    env = (("KB_OCR", "0"),) if args.no_ocr else ()
    checkouts = [Checkout("this", ROOT, env)]
    if args.compare:
        checkouts.insert(0, Checkout("other", args.compare.resolve(), env))
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        if args.only in (None, "pdf"):
            bench_pdfs(args, checkouts, Path(tmp))
        if args.only in (None, "generated"):
            bench_generated(args, checkouts, Path(tmp))
            bench_live(args, checkouts, Path(tmp))


if __name__ == "__main__":
    main()
