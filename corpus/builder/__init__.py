"""The sample corpus builder, one module per kind of output (``python -m corpus.build``)."""
