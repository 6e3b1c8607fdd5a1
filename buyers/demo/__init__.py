"""The buyers app's demo data, which the `seed_demo` command calls in order: `rfqs` (the open
sourcing requests) and, after the deals, `insights` (eight weeks of demand history and a surge)."""
