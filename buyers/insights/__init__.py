"""Demand insights: weekly demand per category and belt, surges, alerts, digests, dashboards.

- `aggregation` — rewrites the DemandWeek rows of the weeks touched since the last run.
- `surges` — detects surges in those weeks and alerts the belt's suppliers once.
- `digests` — the weekly digest e-mail to each belt's suppliers.
- `selectors` — what the trending page and the belt dashboard show, read from the aggregates only.
- `charts` — the server-drawn SVG bar charts.

See docs/demand-insights.md.
"""
