"""Words offered while typing and instead of what was typed: completions, did you mean, and
the correction searched when the words find nothing."""
