"""The suppliers app's demo data, one module per seeder, which the `seed_demo` command calls in order:
`factories` (the belts' factories and the demo supplier), `catalog` (their products, from the word
lists of `products`), `belt_managers`, `verification`, `onboarding` and `metric_history`.

No imports here: `bench/generate_catalog.py` reads `products` without setting Django up.
"""
