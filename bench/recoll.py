"""Recoll, the desktop search engine built on Xapian, as a baseline over the same files.

The relevance benchmark asks it for ranked paths, the scale benchmark times its queries; both
index with one configuration, so their figures speak of the same Recoll.
"""

from __future__ import annotations

import shutil
import subprocess
import urllib.parse
from pathlib import Path


def installed() -> bool:
    return bool(shutil.which("recollindex") and shutil.which("recollq"))


class Recoll:
    """A Recoll index of ``corpus`` kept in ``folder`` (its configuration folder)."""

    def __init__(self, corpus: Path, folder: Path) -> None:
        self.corpus = corpus.resolve()
        self.conf = folder

    @property
    def indexed(self) -> bool:
        return (self.conf / "xapiandb").exists()

    def index(self, skipped: str, timeout: float) -> None:
        """Index the corpus, leaving out the file names in ``skipped`` (space-separated)."""
        self.conf.mkdir(parents=True, exist_ok=True)
        (self.conf / "recoll.conf").write_text(
            f"topdirs = {self.corpus}\n"
            f"skippedNames+ = {skipped}\n"
            # Xapian has no Greek or Bulgarian stemmer; Russian is the closest it has to Bulgarian.
            "indexstemminglanguages = english portuguese russian\n"
            "noaspell = 1\n"
            "loglevel = 1\n"
        )
        # recollindex exits non-zero when a file fails (an encrypted one); the rest is indexed.
        subprocess.run(
            ["recollindex", "-c", str(self.conf)],
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
        )

    def search(self, text: str, limit: int = 10) -> list[str]:
        """The paths (relative to the corpus) of the best ``limit`` matches, best first."""
        proc = subprocess.run(
            ["recollq", "-c", str(self.conf), "-n", f"0-{limit}", "-b", text],
            capture_output=True,
            text=True,
            timeout=120,
        )
        out = []
        for line in proc.stdout.splitlines():
            if line.startswith("file://"):
                path = Path(urllib.parse.unquote(line[len("file://") :]))
                try:
                    out.append(path.resolve().relative_to(self.corpus).as_posix())
                except ValueError:
                    continue
        return out
