"""After the walk: new files paired with the rows they continue, and the rows that leave.

A file the catalog has no row for may still be a document the index holds: renamed inside its
folder (same folder, same content, the old path gone), or in a documents folder that was moved
(same relative path and content, the old folder outside the run). Such a file takes over the
old row (its id and first-seen date) instead of being added next to it; the rest are added.
What no file took over and is no longer found leaves the index.

Folders that are not part of a run keep their documents, unless the folder is gone, its files
moved into a folder of the run, or the run rebuilds the index in full (the planner names those
folders, with the reason).
"""

from __future__ import annotations

from .plan import Plan


def pair_new_files(plan: Plan, roots: list[str]) -> set[str]:
    """Resolve every ``new`` step of the run over ``roots`` to a rename, a move or an add.

    Returns the folders outside the run whose files moved into it."""
    _pair_renames(plan)
    moved_from = _pair_moves(plan, roots)
    plan.db.execute("UPDATE plan SET kind = 'add' WHERE kind = 'new'")
    return moved_from


def _pair_renames(plan: Plan) -> None:
    """A new file with the content of an indexed file that vanished from the same folder."""
    _pair(
        plan,
        "rename",
        """SELECT p.seq, f.id, f.root, f.path, f.first_seen FROM plan p
           JOIN files f ON f.root = p.root AND f.sha256 = p.sha256
           WHERE p.kind = 'new' AND f.status = 'indexed' AND NOT EXISTS
             (SELECT 1 FROM found x WHERE x.root = f.root AND x.path = f.path)
           ORDER BY p.seq, f.path""",
        [],
    )


def _pair_moves(plan: Plan, roots: list[str]) -> set[str]:
    """A new file with the path and content of an indexed file of a folder outside the run:
    the same document, in a documents folder that was moved (or copied) elsewhere. Returns
    those folders (their other files then leave the index too)."""
    marks = ",".join("?" * len(roots))
    return _pair(
        plan,
        "move",
        f"""SELECT p.seq, f.id, f.root, f.path, f.first_seen FROM plan p
            JOIN files f ON f.path = p.path AND f.sha256 = p.sha256
            WHERE p.kind = 'new' AND f.status = 'indexed' AND f.root NOT IN ({marks})
            ORDER BY p.seq, f.root""",
        list(roots),
    )


def _pair(plan: Plan, kind: str, sql: str, args: list[object]) -> set[str]:
    """Turn new files into ``kind`` steps, each taking over the row the query pairs it with.

    ``sql`` yields (seq, id, root, path, first_seen) candidates in order of preference;
    each file takes at most one row and each row goes to at most one file. Returns the
    folders of the rows taken over.
    """
    taken: set[str] = set()
    paired: set[int] = set()
    roots: set[str] = set()
    updates: list[tuple[object, ...]] = []
    for seq, row_id, root, path, first_seen in plan.db.execute(sql, args).fetchall():
        if seq in paired or row_id in taken:
            continue
        paired.add(seq)
        taken.add(row_id)
        roots.add(root)
        old_path = path if kind == "rename" else f"{root}/{path}"
        updates.append((kind, row_id, old_path, first_seen, seq))
    plan.db.executemany(
        "UPDATE plan SET kind = ?, old_id = ?, old_path = ?, first_seen = ? WHERE seq = ?",
        updates,
    )
    return roots


def add_removals(plan: Plan, roots: list[str], dropped: dict[str, str]) -> None:
    """Rows that leave the index: vanished files of the run's ``roots``, and every file of the
    ``dropped`` folders (folder → the reason), but for rows a file of the run took over."""
    consumed = "(SELECT old_id FROM plan WHERE old_id IS NOT NULL)"
    live = "f.status IN ('indexed', 'failed')"
    for root in sorted(set(roots)):
        plan.db.execute(
            f"""INSERT INTO plan(kind, root, path, id, indexed, sha256)
                SELECT 'remove', f.root, f.path, f.id, f.status = 'indexed', f.sha256
                FROM files f WHERE f.root = ? AND {live}
                  AND NOT EXISTS (SELECT 1 FROM found x WHERE x.root = f.root
                                  AND x.path = f.path)
                  AND f.id NOT IN {consumed}
                ORDER BY f.path""",
            (root,),
        )
    for root in sorted(dropped):
        plan.db.execute(
            f"""INSERT INTO plan(kind, root, path, id, indexed, sha256, reason)
                SELECT 'remove', f.root, f.path, f.id, f.status = 'indexed', f.sha256, ?
                FROM files f WHERE f.root = ? AND {live} AND f.id NOT IN {consumed}
                ORDER BY f.path""",
            (dropped[root], root),
        )
