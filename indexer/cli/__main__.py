"""``python -m indexer.cli``: the ``kb`` command where no console script is installed (and how
the server starts its folder watcher)."""

from . import main

if __name__ == "__main__":
    main()
