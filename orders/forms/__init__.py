"""Forms of the orders app, one module per area."""
