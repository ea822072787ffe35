"""The package face: named functions, classes and constants, never whole modules, each found
where the face says and imported only when first asked for."""

import inspect
import subprocess
import sys

import indexer


def test_every_name_of_the_face_is_a_function_class_or_constant_it_can_give() -> None:
    public = sorted(indexer._table())  # the names the type checker's block lists
    assert len(public) > 60 and set(public) <= set(dir(indexer))
    given = {name: getattr(indexer, name) for name in public}
    assert [n for n, value in given.items() if inspect.ismodule(value)] == []
    assert given["purge_trash"].__module__ == "indexer.editing.trash"
    assert given["SearchEngine"].__name__ == "SearchEngine"


def test_an_unknown_name_is_refused() -> None:
    try:
        indexer.not_a_public_name  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as err:
        assert "not_a_public_name" in str(err)
    else:
        raise AssertionError("an unknown name was given")


def test_a_name_loads_only_the_part_that_holds_it() -> None:
    """Asking the face for an indexing name loads no search engine and no PDF reader."""
    code = (
        "import sys, indexer\n"
        "indexer.run_index\n"
        "print(sorted(m for m in sys.modules if m.startswith(('indexer.search', 'pypdf'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
