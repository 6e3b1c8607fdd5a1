"""Pages of the suppliers app, one module per area."""
