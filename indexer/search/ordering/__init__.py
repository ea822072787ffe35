"""Results and pages in order: channels scored and fused, and the best pages of each hit."""
