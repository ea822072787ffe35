"""What a warmed search process made to serve requests, kept out of the garbage collector's way.

Python's collector looks for reference cycles by walking every container object it tracks; a
full pass walks all of them. A warmed worker holds tens of thousands of containers for its
whole life (lemma tables, dictionaries, the generation's sort orders and words for
autocomplete) and every request adds a few hundred that live on in its caches; an occasional
full pass walked them all inside whichever request happened to allocate at that moment —
30–80 ms of one request's time at 10,000 documents, the largest single cost in the slowest
requests of several kinds.

``settle`` is called once a worker is warm: what exists then is moved out of the collector's
passes for good (``gc.freeze``: it is still freed when nothing refers to it), and the youngest
generation is collected after 10,000 allocations instead of 700, so a request's own short-lived
objects are mostly gone before a pass could promote them — full passes become rare. Cyclic
garbage is still collected, only less often.
"""

from __future__ import annotations

import gc

#: Allocations of container objects between two passes over the youngest generation.
YOUNG_PASS = 10_000


def settle() -> None:
    """Collect what is garbage now, keep everything else out of later passes, and make passes
    rarer (for the rest of the process's life)."""
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_PASS, middle, oldest)
