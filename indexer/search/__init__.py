"""The read side of the knowledge base: from a request to a page of results.

``SearchEngine`` is the entry point; ``SearchRequest`` says what one result page shows; the
shapes of what comes back are declared in ``contract``.
"""

from .engine import SearchEngine
from .request import MAX_PER_PAGE, SORTS, SearchRequest

__all__ = ["MAX_PER_PAGE", "SORTS", "SearchEngine", "SearchRequest"]
