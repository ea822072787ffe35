"""Storage: the catalog (SQLite) of every file, run and change, the Whoosh schema, the index
folder with its one writer, and the data folder's status."""
