"""Forms of the buyers app, one module per area."""
