"""The orders app's demo data, which the `seed_demo` command calls in order: `deals` (quotes,
awards, orders and messages) and `mascots` (the 32 plush factories' quotes of story 3)."""
