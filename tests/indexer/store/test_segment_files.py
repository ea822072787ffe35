"""The term dictionary of a segment file is Whoosh's ordered hash file, byte for byte, and a
reader of Whoosh finds every term in it."""

from __future__ import annotations

import random
from pathlib import Path

from whoosh.filedb.filetables import OrderedHashReader, OrderedHashWriter
from whoosh.filedb.structfile import StructFile

from indexer.store.segment_files import _TermDictionary


def _written(path: Path, writer_class: type, keys: list[bytes]) -> bytes:
    writer = writer_class(StructFile(path.open("wb")))
    writer.extras["fieldmap"] = {"text": 0}
    for key in keys:
        writer.add(key, b"value of " + key)
    writer.close()
    return path.read_bytes()


def test_term_dictionary_is_whooshs_hash_file(tmp_path: Path) -> None:
    # Keys of many lengths, enough for every one of the 256 tables to hold several and for
    # hashes to collide within a table (the next free slot is taken).
    rng = random.Random(7)
    keys = sorted({rng.randbytes(rng.randint(1, 9)) for _ in range(20_000)})
    ours = _written(tmp_path / "ours", _TermDictionary, keys)
    whooshs = _written(tmp_path / "whoosh", OrderedHashWriter, keys)
    assert ours == whooshs

    reader = OrderedHashReader.open(_StorageOf(tmp_path), "ours")
    try:
        for key in keys[::97]:
            assert reader[key] == b"value of " + key
        assert list(reader.keys()) == keys
        assert reader.closest_key(keys[10] + b"\x00") == keys[11]
    finally:
        reader.close()


def test_an_empty_term_dictionary_is_whooshs_too(tmp_path: Path) -> None:
    assert _written(tmp_path / "ours", _TermDictionary, []) == _written(
        tmp_path / "whoosh", OrderedHashWriter, []
    )


class _StorageOf:
    """The folder as Whoosh's readers ask for a file of it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def open_file(self, name: str) -> StructFile:
        return StructFile((self.folder / name).open("rb"))

    def file_length(self, name: str) -> int:
        return (self.folder / name).stat().st_size
