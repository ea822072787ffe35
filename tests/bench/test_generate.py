"""Generated collections: the same arguments give the same files, and a smaller collection is
the start of a larger one, so a benchmark can grow one into the other and index only what is
new."""

from __future__ import annotations

from pathlib import Path

from bench.generate import generate


def _texts(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text("utf-8") for p in folder.rglob("*.md")}


def test_a_smaller_collection_made_in_the_same_process_is_the_start_of_a_larger_one(
    tmp_path: Path,
) -> None:
    small = generate(tmp_path / "small", 6, words=300, pages=2)
    large = generate(tmp_path / "large", 9, words=300, pages=2)
    assert [s.path for s in large[:6]] == [s.path for s in small]
    small_texts, large_texts = _texts(tmp_path / "small"), _texts(tmp_path / "large")
    assert small_texts == {path: large_texts[path] for path in small_texts}
    again = generate(tmp_path / "again", 6, words=300, pages=2)
    assert again == small
    assert _texts(tmp_path / "again") == small_texts
