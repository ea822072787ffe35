"""How right the facets are for files nobody described: per-field accuracy on two sets.

    python -m bench.facets [--compare CHECKOUT ...] [--sets labelled corpus] [--misses]
    python -m bench.facets --cpu 300 [--compare CHECKOUT]

*labelled*: the sample documents of `undescribed_samples` (four languages; PDF, scans, Word
with template properties, OpenDocument, Markdown, HTML, text; names that say nothing), with
their truth written down before the inference rules were tuned. *corpus*: the bundled corpus
with its manifest and folder names taken away, its truth from ``corpus/manifest.csv`` (a field
the manifest leaves empty is not scored).

Each checkout (this one, and any given with ``--compare``) indexes each set with its own
``kb index`` in a fresh data folder and lists what it inferred with ``kb list --json``; the
figures are the share of documents whose value is right: title (the same words), year (or
undated), country (the same set), type, language, organisation (any overlap, over documents
that name one), and places (recall and precision over all places, where the checkout infers
them). ``--misses`` prints every wrong value.

``--cpu N`` measures instead the processor time of ``kb index`` on N generated documents
(`generate.py`) without their manifest, so every value is inferred: per document, each
checkout side by side (alternating, ``--rounds`` rounds, three by default).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.proctree import measure
from bench.undescribed_build import build, build_corpus

ROOT = Path(__file__).resolve().parent.parent

FIELDS = ("title", "year", "country", "type", "language", "organisation", "place")


@dataclass(frozen=True)
class Checkout:
    name: str
    path: Path

    def env(self, home: Path, root: Path) -> dict[str, str]:
        return {
            **os.environ,
            "KB_HOME": str(home),
            "KB_CORPUS": str(root),
            "PYTHONPATH": str(self.path),
        }

    def kb(self, home: Path, root: Path, *args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-c", "from indexer.cli import main; main()", *args]
        return subprocess.run(
            command,
            env=self.env(home, root),
            cwd=self.path,
            capture_output=True,
            text=True,
            check=False,
        )

    def describe(self, root: Path) -> dict[str, dict[str, Any]]:
        """What this checkout infers for every file of ``root``, by file name."""
        with tempfile.TemporaryDirectory(prefix="facets-home-") as home:
            done = self.kb(Path(home), root, "index", str(root), "--full")
            if done.returncode not in (0, 1):
                raise SystemExit(f"{self.name}: kb index failed:\n{done.stderr[-3000:]}")
            listed = self.kb(Path(home), root, "list", "--json")
            if listed.returncode:
                raise SystemExit(f"{self.name}: kb list failed:\n{listed.stderr[-3000:]}")
        return {Path(d["path"]).name: d for d in json.loads(listed.stdout)}


def norm(text: str) -> str:
    """Words only, folded: case, accents, quotes, dashes and spacing do not count."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", text))


def same_org(a: str, b: str) -> bool:
    x, y = norm(a), norm(b)
    return bool(x and y) and (x == y or f" {x} " in f" {y} " or f" {y} " in f" {x} ")


@dataclass
class Score:
    right: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, ok: bool, miss: str) -> None:
        self.total += 1
        self.right += ok
        if not ok:
            self.misses.append(miss)

    def __str__(self) -> str:
        return (
            f"{self.right / self.total:5.2f} ({self.right}/{self.total})" if self.total else "  n/a"
        )


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def score(truth: dict[str, Any], found: dict[str, dict[str, Any]]) -> dict[str, Score]:
    scores = {f: Score() for f in FIELDS}
    place_right = place_found = 0
    for name, t in truth.items():
        doc = found.get(name)
        if doc is None:
            continue  # not indexed (the corpus's password-protected PDF)
        got: Callable[[str], Any] = doc.get
        if t.title:
            scores["title"].add(
                norm(got("title") or "") == norm(t.title), f"{name}: {got('title')!r} ≠ {t.title!r}"
            )
        if t.year is not None or hasattr(t, "places"):
            scores["year"].add(got("year") == t.year, f"{name}: {got('year')} ≠ {t.year}")
        if t.country or hasattr(t, "places"):
            mine = set(_as_list(got("country")))
            scores["country"].add(
                mine == set(t.country), f"{name}: {sorted(mine)} ≠ {sorted(t.country)}"
            )
        if t.type:
            scores["type"].add(got("type") == t.type, f"{name}: {got('type')} ≠ {t.type}")
        if t.language:
            scores["language"].add(
                got("language") == t.language, f"{name}: {got('language')} ≠ {t.language}"
            )
        orgs = _as_list(got("organisation"))
        if t.organisations:
            hit = any(same_org(a, b) for a in orgs for b in t.organisations)
            scores["organisation"].add(hit, f"{name}: {orgs} ∩ {list(t.organisations)} = ∅")
        if hasattr(t, "places") and "place" in doc:
            places = {norm(p) for p in _as_list(got("place"))}
            wanted = {norm(p) for p in t.places}
            place_right += len(places & wanted)
            place_found += len(places)
            for p in wanted:
                scores["place"].add(p in places, f"{name}: {p} not among {sorted(places)}")
    if place_found:
        scores["place"].misses.append(
            f"precision {place_right / place_found:.2f} ({place_right}/{place_found})"
        )
    return scores


def accuracy(args: argparse.Namespace, checkouts: list[Checkout], tmp: Path) -> None:
    sets: dict[str, tuple[Path, dict[str, Any]]] = {}
    if "labelled" in args.sets:
        sets["labelled"] = (tmp / "labelled", build(tmp / "labelled"))
    if "corpus" in args.sets:
        sets["corpus"] = (tmp / "corpus", build_corpus(tmp / "corpus"))
    for set_name, (root, truth) in sets.items():
        print(f"\n{set_name}: {len(truth)} files")
        results = {c.name: score(truth, c.describe(root)) for c in checkouts}
        print(f"  {'field':<14}" + "".join(f"{c.name:>22}" for c in checkouts))
        for f in FIELDS:
            print(f"  {f:<14}" + "".join(f"{results[c.name][f]!s:>22}" for c in checkouts))
        for c in checkouts:
            extra = results[c.name]["place"].misses[-1:]
            if extra and extra[0].startswith("precision"):
                print(f"  places {c.name}: {extra[0]}")
        if args.misses:
            for c in checkouts:
                print(f"\n  misses of {c.name}:")
                for f in FIELDS:
                    for miss in results[c.name][f].misses:
                        print(f"    {f}: {miss}")


def cpu(args: argparse.Namespace, checkouts: list[Checkout], tmp: Path) -> None:
    from bench.generate import generate

    root = tmp / "generated"
    generate(root, args.cpu, seed=3, words=1500, pages=4)
    (root / "manifest.csv").unlink()
    times: dict[str, list[float]] = {c.name: [] for c in checkouts}
    for _ in range(args.rounds):
        for c in checkouts:
            home = tmp / f"home-{c.name}"
            command = [
                sys.executable,
                "-c",
                "from indexer.cli import main; main()",
                "index",
                str(root),
                "--full",
                "--json",
            ]
            result = measure(command, env=c.env(home, root), cwd=c.path)
            if result.returncode:
                raise SystemExit(f"{c.name}: kb index failed:\n{result.stderr[-3000:]}")
            times[c.name].append(result.cpu)
    print(f"\nkb index --full of {args.cpu} generated documents without a manifest")
    for c in checkouts:
        best = min(times[c.name])
        print(
            f"  {c.name:<20} {1000 * best / args.cpu:7.1f} ms CPU per document "
            f"(best of {args.rounds}; "
            f"all: {', '.join(f'{t:.1f}' for t in times[c.name])} s; "
            f"median {statistics.median(times[c.name]):.1f} s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--compare", type=Path, nargs="*", default=[])
    parser.add_argument(
        "--sets", nargs="+", default=["labelled", "corpus"], choices=["labelled", "corpus"]
    )
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--cpu", type=int, default=0, help="measure indexing CPU instead")
    parser.add_argument("--rounds", type=int, default=3, help="of --cpu, each checkout")
    args = parser.parse_args()
    checkouts = [Checkout("this", ROOT)] + [Checkout(p.name or str(p), p) for p in args.compare]
    with tempfile.TemporaryDirectory(prefix="facets-bench-") as tmp:
        if args.cpu:
            cpu(args, checkouts, Path(tmp))
        else:
            accuracy(args, checkouts, Path(tmp))


if __name__ == "__main__":
    main()
