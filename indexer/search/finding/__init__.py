"""One index generation held as arrays, and the documents a query matches in it: sets of
documents, positions, phrases, scores and facet counts."""
