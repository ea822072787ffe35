"""Describing documents: the manifest, the embedded metadata and what the text itself says
(topics, countries, types), against the taxonomy."""
