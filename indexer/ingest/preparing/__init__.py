"""A file made ready in a worker process: the pool and its limits, one worker's life, the file
opened safely, its text, and the document prepared for the index."""
