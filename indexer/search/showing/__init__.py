"""What a reader sees of the results: the hits on screen with their snippets, document pages,
and advice when nothing is found."""
