"""The split award of an RFQ: an exact optimiser (solver), and its reasons in words (reasons).

See docs/allocation.md.
"""

from buyers.allocation.reasons import conflict_text, money_text, quantity_text, reason_text
from buyers.allocation.solver import (
    CONFLICT_CODES,
    Baseline,
    Constraints,
    Offer,
    Plan,
    Reason,
    best_single,
    delivery_ceiling,
    greedy_plan,
    landed_cost,
    optimise,
    plan_violations,
    share_cap,
)

__all__ = [
    "CONFLICT_CODES",
    "Baseline",
    "Constraints",
    "Offer",
    "Plan",
    "Reason",
    "best_single",
    "conflict_text",
    "delivery_ceiling",
    "greedy_plan",
    "landed_cost",
    "money_text",
    "optimise",
    "plan_violations",
    "quantity_text",
    "reason_text",
    "share_cap",
]
