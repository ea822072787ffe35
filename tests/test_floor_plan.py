"""The floor plan: each module imports only from its own floor and the floors below it.

The floors are listed here and nowhere else (``docs/architecture.md`` draws them). A module
belongs to the floor of the longest name below that is its own name or a package holding it;
every module of ``indexer`` and ``webapp`` must have one, so a new package is placed on purpose.
Every import counts — at the top of a module, inside a function, or for type checking only.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]

#: Bottom to top. A module may import from its own floor and any floor below it.
FLOORS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "ground: the words everything shares",
        (
            "indexer.errors",
            "indexer.languages",
            "indexer.models",
            "indexer.outcomes",
            "indexer.config",
            "indexer.sqlite_file",
            "indexer.data",
            "indexer.lru",
            "indexer.freed_memory",
            "indexer.translated",
        ),
    ),
    ("text: languages, words, terms, taxonomy", ("indexer.text",)),
    ("store: the catalog, the index, every SQL statement", ("indexer.store",)),
    (
        "the two sides: writing (ingest) and reading (search, translation)",
        ("indexer.ingest", "indexer.search", "indexer.translation"),
    ),
    ("editing: corrections and the trash, over the write side", ("indexer.editing",)),
    ("the face: what the CLI and the web app call", ("indexer", "indexer.status")),
    ("the web app", ("webapp",)),
    ("the command line", ("indexer.cli",)),
)

#: On the floor of the two sides, neither side imports the other.
SIDES: tuple[tuple[str, ...], ...] = (
    ("indexer.ingest",),
    ("indexer.search", "indexer.translation"),
)

#: Names that hold only themselves: ``indexer`` is the package's face, not every module in it.
ONLY_ITSELF = frozenset({"indexer"})

#: Modules outside the store that keep a database of their own (not the catalog): tables a
#: machine builds once from a library's data, and the web app's sign-in records.
OWN_DATABASES = frozenset(
    {
        "indexer.text.lemmas",
        "indexer.ingest.describe.gazetteer",
        "indexer.translation.tables",
        "webapp.security.shared_db",
        "webapp.security.sessions",
        "webapp.security.throttle",
    }
)


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for top in ("indexer", "webapp"):
        for path in (PROJECT / top).rglob("*.py"):
            parts = list(path.relative_to(PROJECT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _inside(name: str, holder: str) -> bool:
    return name == holder or (holder not in ONLY_ITSELF and name.startswith(holder + "."))


def floor_of(module: str) -> int:
    best, level = "", -1
    for i, (_, names) in enumerate(FLOORS):
        for holder in names:
            if _inside(module, holder) and len(holder) > len(best):
                best, level = holder, i
    return level


def _known(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imported(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """The project's modules ``module`` imports, with the line of each import."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                prefix = package[: len(package) - node.level + 1]
                base = ".".join([*prefix, base] if base else prefix)
            # `from package import module` imports the module; anything else, the package.
            names = [f"{base}.{alias.name}" for alias in node.names]
            names = [n if n in MODULES else base for n in names]
        else:
            continue
        for name in names:
            target = _known(name)
            if target is not None and target != module:
                yield target, node.lineno


def _arrows() -> dict[tuple[str, str], int]:
    return {
        (module, target): line
        for module, path in MODULES.items()
        for target, line in _imported(module, path)
    }


def test_every_module_has_a_floor() -> None:
    assert [m for m in MODULES if floor_of(m) < 0] == []


def test_no_module_imports_from_a_floor_above_its_own() -> None:
    upward = [
        f"{MODULES[a].relative_to(PROJECT)}:{line}: {a} (floor {floor_of(a)}) imports "
        f"{b} (floor {floor_of(b)}: {FLOORS[floor_of(b)][0]})"
        for (a, b), line in sorted(_arrows().items())
        if floor_of(b) > floor_of(a)
    ]
    assert upward == []


def test_the_two_sides_do_not_import_each_other() -> None:
    def side(module: str) -> int | None:
        for i, names in enumerate(SIDES):
            if any(_inside(module, holder) for holder in names):
                return i
        return None

    across = [
        f"{a} imports {b}"
        for (a, b) in sorted(_arrows())
        if side(a) is not None and side(b) is not None and side(a) != side(b)
    ]
    assert across == []


def test_sql_is_written_only_in_the_store() -> None:
    """Every statement on the catalog is a store method named for what its caller needs."""
    writing = [
        f"{MODULES[m].relative_to(PROJECT)}:{node.lineno}"
        for m, path in sorted(MODULES.items())
        if floor_of(m) != floor_of("indexer.store") and m not in OWN_DATABASES
        for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("execute", "executemany", "executescript")
    ]
    assert writing == []


def test_no_modules_import_each_other_in_a_loop() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for a, b in _arrows():
        graph[a].add(b)
    # Tarjan's strongly connected components, iteratively (the graph has ~200 modules).
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    loops: list[list[str]] = []
    for start in sorted(MODULES):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    loops.append(sorted(group))
    assert loops == []


def test_the_rule_sees_every_kind_of_import(tmp_path: Path) -> None:
    """Relative imports, imports inside functions or for type checking only, and
    `from package import module` are read the way Python reads them."""
    source = tmp_path / "example.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "from ..errors import KnowledgeBaseError\n"
        "import indexer.search.engine\n"
        "if TYPE_CHECKING:\n"
        "    from ..search.request import SearchRequest\n"
        "def later():\n"
        "    from ..search import engine, request\n"
        "    import webapp.server\n",
        encoding="utf-8",
    )
    seen = sorted({target for target, _ in _imported("indexer.store.example", source)})
    assert seen == [
        "indexer.errors",
        "indexer.search.engine",
        "indexer.search.request",
        "webapp.server",
    ]
    store = floor_of("indexer.store.catalog")
    assert [floor_of(t) > store for t in seen] == [False, True, True, True]
    assert floor_of("indexer") > floor_of("indexer.search.engine") > floor_of("indexer.errors")
    assert floor_of("indexer.cli.searching") > floor_of("webapp.views.api")


def test_the_web_app_reaches_the_indexer_only_through_its_face() -> None:
    """The web app imports names the face gives (``from indexer import …``), never a module
    inside the package: what the face lists is all a page may depend on."""
    inside = [
        f"{MODULES[a].relative_to(PROJECT)}:{line}: {a} imports {b}"
        for (a, b), line in sorted(_arrows().items())
        if _inside(a, "webapp") and b.startswith("indexer.")
    ]
    assert inside == []
