"""The version of the rules that describe a document, apart from the rules themselves.

A run that finds nothing changed compares it with what the latest run used without loading the
rules (`planning.unchanged`); `metadata.describe_key` puts it in every document's key.
"""

#: Bump when inference rules change, so every document is described again on the next run.
DESCRIBE_VERSION = 5
