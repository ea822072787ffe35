"""What a reader typed, made into the index's queries: the text made safe, the fields named,
the query per language and in the other languages, and an account of how it was understood."""
