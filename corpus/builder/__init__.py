"""The sample corpus builder, one module per kind of output (see ``corpus/build.py``)."""
