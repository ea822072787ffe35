"""Carrying a query into the knowledge base's other languages: bilingual dictionaries read where
Debian installs them (``dictd``, ``tables``, ``freedict``), the senses the collection confirms
(``senses``), the query's units and their equivalents (``structured``) and their scores
(``scoring``)."""
