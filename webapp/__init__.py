"""Web app (placeholder until the views land)."""
