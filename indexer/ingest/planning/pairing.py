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

from ...store.plan_tables import Candidate
from .plan import Plan


def pair_new_files(plan: Plan, roots: list[str]) -> set[str]:
    """Resolve every ``new`` step of the run over ``roots`` to a rename, a move or an add.

    Returns the folders outside the run whose files moved into it."""
    # A new file with the content of an indexed file that vanished from the same folder.
    _pair(plan, "rename", plan.rename_candidates())
    # A new file with the path and content of an indexed file of a folder outside the run:
    # the same document, in a documents folder that was moved (or copied) elsewhere; those
    # folders are returned (their other files then leave the index too).
    moved_from = _pair(plan, "move", plan.move_candidates(roots))
    plan.add_the_rest()
    return moved_from


def _pair(plan: Plan, kind: str, candidates: list[Candidate]) -> set[str]:
    """Turn new files into ``kind`` steps, each taking over the row it is paired with.

    ``candidates`` are (seq, id, root, path, first_seen) in order of preference; each file
    takes at most one row and each row goes to at most one file. Returns the folders of the
    rows taken over.
    """
    taken: set[str] = set()
    paired: set[int] = set()
    roots: set[str] = set()
    updates: list[tuple[str, str, str, float | None, int]] = []
    for seq, row_id, root, path, first_seen in candidates:
        if seq in paired or row_id in taken:
            continue
        paired.add(seq)
        taken.add(row_id)
        roots.add(root)
        old_path = path if kind == "rename" else f"{root}/{path}"
        updates.append((kind, row_id, old_path, first_seen, seq))
    plan.take_over(updates)
    return roots


def add_removals(plan: Plan, roots: list[str], dropped: dict[str, str]) -> None:
    """Rows that leave the index: vanished files of the run's ``roots``, and every file of the
    ``dropped`` folders (folder → the reason), but for rows a file of the run took over."""
    for root in sorted(set(roots)):
        plan.remove_vanished(root)
    for root in sorted(dropped):
        plan.remove_folder(root, dropped[root])
