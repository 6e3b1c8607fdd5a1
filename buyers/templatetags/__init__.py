"""Template tags and filters of the buyers app."""
