"""Deciding what a run does: the folders walked, each file's step, renames and moved folders paired
with the rows they continue."""
