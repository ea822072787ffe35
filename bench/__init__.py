"""The benchmarks: each a module run from the project folder (``python -m bench.relevance``)."""
