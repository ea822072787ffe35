"""The write side: files found, read, described and prepared in workers, and the run that adds
them to the index and the catalog."""
