"""Small bilingual dictionaries in dictd's format (an index of base64 offsets and a dictzip data
file), written by the tests the way Debian's FreeDict packages install theirs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import idzip

from indexer.config import Settings
from indexer.ingest.run import run_index
from indexer.search import SearchEngine, SearchRequest
from tests.factories import make_text

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def b64(n: int) -> str:
    digits = ""
    while True:
        digits = _B64[n % 64] + digits
        n //= 64
        if not n:
            return digits


def write_dictd(
    folder: Path, name: str, entries: list[tuple[str, str]], zipped: bool = True
) -> Path:
    """``freedict-NAME.index`` and ``.dict.dz`` (or ``.dict``) holding ``(headword, entry)``."""
    folder.mkdir(parents=True, exist_ok=True)
    data = b""
    lines = ["00databaseshort\tA\tB"]  # dictd's own entries, which are no headwords
    data += b"x"
    for headword, text in entries:
        body = (text.strip("\n") + "\n\n").encode("utf-8")
        lines.append(f"{headword.lower()}\t{b64(len(data))}\t{b64(len(body))}")
        data += body
    stem = folder / f"freedict-{name}"
    Path(f"{stem}.index").write_text("\n".join(sorted(lines)) + "\n", "utf-8")
    if zipped:
        Path(f"{stem}.dict.dz").write_bytes(idzip.compress(data, sync_size=4096))
    else:
        Path(f"{stem}.dict").write_bytes(data)
    return stem


def indexed_knowledge_base(
    root: Path, documents: dict[str, str], manifest: str, dictionaries: Path
) -> Settings:
    """``documents`` (path → text) with their ``manifest`` written under ``root`` and indexed,
    searched with the dictionaries in ``dictionaries``."""
    for path, text in documents.items():
        make_text(root / "docs" / path, text)
    make_text(root / "docs" / "manifest.csv", manifest)
    settings = Settings(
        home=root / "home",
        corpus=root / "docs",
        workers=1,
        dictionaries=dictionaries,
        cache=root / "cache",
    )
    summary = run_index(settings)
    assert summary.failed == 0 and summary.added == len(documents), summary
    return settings


@contextmanager
def searched(
    root: Path, documents: dict[str, str], manifest: str, dictionaries: Path
) -> Iterator[SearchEngine]:
    """An engine searching ``indexed_knowledge_base``, closed afterwards."""
    found = SearchEngine(indexed_knowledge_base(root, documents, manifest, dictionaries))
    try:
        yield found
    finally:
        found.close()


@contextmanager
def searched_with(
    root: Path, documents: dict[str, str], manifest: str, name: str, entries: list[tuple[str, str]]
) -> Iterator[SearchEngine]:
    """``searched`` with one dictionary, ``freedict-NAME``, holding ``entries``."""
    write_dictd(root / "dictd", name, entries)
    with searched(root, documents, manifest, root / "dictd") as found:
        yield found


def ranked_paths(engine: SearchEngine, q: str, **request: object) -> list[str]:
    """The paths of a search's hits, in their order."""
    result = engine.search(SearchRequest(q=q, **request))  # type: ignore[arg-type]
    return [h["path"] for h in result["hits"]]
