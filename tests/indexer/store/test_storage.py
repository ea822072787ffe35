import io
import pickle

from indexer.store.storage import PEEK_BYTES, SharedFile


def test_pickles_read_through_a_shared_file_are_those_written_and_end_where_they_end():
    """Whoosh reads block headers with ``pickle.load`` on the shared file, which looks ahead
    with ``peek``: each object comes back whole — also one longer than a look ahead — and the
    next read starts right after it, as with a plain file."""
    objects = [
        (7, 2.5, b"x", None),
        list(range(3 * PEEK_BYTES)),
        {"a": "β" * PEEK_BYTES, "b": (1, 2)},
        3.25,
    ]
    buf = io.BytesIO()
    for obj in objects:
        pickle.dump(obj, buf, protocol=2)
        buf.write(b"TAIL")
    shared = SharedFile(buf.getvalue())
    plain = io.BytesIO(buf.getvalue())
    for obj in objects:
        assert shared.read_pickle() == obj == pickle.load(plain)
        assert shared.tell() == plain.tell()
        assert shared.read(4) == b"TAIL" == plain.read(4)
    assert shared.read(1) == b""


def test_a_look_ahead_leaves_the_read_position_where_it_was():
    shared = SharedFile(bytes(range(256)) * 4)
    shared.seek(1000)
    assert shared.file.peek(100) == bytes(range(256))[1000 - 768 :]  # only to the end
    assert shared.tell() == 1000
    shared.seek(3)
    assert shared.file.peek(2 * PEEK_BYTES) == (bytes(range(256)) * 4)[3 : 3 + PEEK_BYTES]
    assert shared.read(2) == bytes([3, 4])
