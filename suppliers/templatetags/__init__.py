"""Template tags and filters of the suppliers app."""
