"""An index written in an earlier version's layout: refused by readers, rebuilt by any run.

An upgrade can change what the index's files hold (and Whoosh's pickled schema names the
classes of the version that wrote it), so a reader must not open one written in another
layout; the next run rebuilds it from the catalog's cached text, keeping every folder it held.
"""

import pytest

from indexer import IndexOutdated, run_index, status_dict
from indexer.store import index as store
from tests.factories import TEXTS, make_text
from tests.knowledge_bases import hit_paths, search


def _age(settings) -> None:
    """Stamp the active index as written by the version before this one."""
    folder = store.current_dir(settings)
    (folder / "kb-schema-version").write_text("4", "utf-8")


def _paths(settings, words: str) -> set[str]:
    return set(hit_paths(search(settings, words)))


def test_an_index_in_an_earlier_layout_is_refused_then_rebuilt_with_every_folder(
    settings, tmp_path
):
    make_text(settings.corpus / "centre.txt", TEXTS["en"] + " Zorblat.")
    extra = tmp_path / "more"
    make_text(extra / "portugal.txt", TEXTS["pt"] + " Quenfid.")
    run_index(settings)
    run_index(settings, [extra])  # a folder added beside the default one
    assert _paths(settings, "zorblat") == {"centre.txt"}

    _age(settings)
    assert store.index_outdated(settings)
    assert status_dict(settings)["index_outdated"] is True
    with pytest.raises(IndexOutdated, match="kb index"):
        _paths(settings, "zorblat")

    summary = run_index(settings)  # an ordinary run, naming only the default folder
    assert summary.full
    assert summary.failed == 0
    assert not store.index_outdated(settings)
    assert status_dict(settings)["index_outdated"] is False
    assert _paths(settings, "zorblat") == {"centre.txt"}
    assert _paths(settings, "quenfid") == {"portugal.txt"}  # the other folder was kept
