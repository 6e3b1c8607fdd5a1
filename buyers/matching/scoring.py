"""How well one supplier fits one RFQ: signals between 0 and 1, weighted, and the reasons behind them.

Pure computation over facts the candidate queries gathered (`buyers.matching.candidates`): no
database access here, so scoring thousands of candidates costs microseconds each and the rules can
be tested on hand-built facts. The weights are `settings.MATCHING_WEIGHTS`; a signal whose weight
is missing counts zero. The score stored on a Match is the weighted sum as a percentage of the
total weight (0–100), so changing one weight keeps scores comparable.

The reasons are facts (`{"code": "capacity", "monthly": 200000, "unit": "piece"}`), never text:
`buyers.matching.reasons` renders them in the reader's language.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# Catalog relevance saturates: this many matching products count as fully relevant.
RELEVANT_PRODUCTS = 20
# A supplier that usually answers within an hour scores full marks on speed; a day or more, none.
FAST_RESPONSE_MINUTES = 60
SLOW_RESPONSE_MINUTES = 24 * 60
DAYS_PER_MONTH = 30

SIGNALS = (
    "catalog_relevance",
    "belt_specialisation",
    "capacity",
    "moq",
    "lead_time",
    "export_experience",
    "verification",
    "response",
    "track_record",
)

# How strongly a belt is specialised in the RFQ's category.
BELT_IN_CATEGORY = 1.0  # a specialty is the RFQ's category or above it (Bags for a backpack RFQ)
BELT_BELOW_CATEGORY = 0.5  # a specialty lies below it (Backpacks for a bags RFQ)


@dataclass(frozen=True)
class RfqFacts:
    """What scoring needs to know of the RFQ."""

    quantity: int
    unit: str
    destination_country: str
    required_by: date
    today: date

    @property
    def days_left(self) -> int:
        return (self.required_by - self.today).days


@dataclass(frozen=True)
class BeltFacts:
    specialisation: float
    name_en: str
    name_zh: str


@dataclass(slots=True)  # thousands per RFQ: slots make them quicker to build and to read
class SupplierFacts:
    """One candidate supplier, as the candidate queries found it."""

    supplier_id: int
    company_id: int = 0
    belt_id: int | None = None
    is_active: bool = True
    verified: bool = False
    export_markets: list[str] = field(default_factory=list)
    response_rate: int | None = None
    response_median_minutes: int | None = None
    # Its orders so far: buyers' average rating (1–5, over `rating_count` reviews) and the share
    # of its orders shipped by the agreed date (None until it has completed orders).
    rating_average: float | None = None
    rating_count: int = 0
    on_time_rate: int | None = None
    # Its published products in the RFQ's category subtree, and those whose words match the RFQ's.
    products_in_category: int = 0
    matching_products: int = 0
    # Of the matching products (or, when none matches the words, of those in the category):
    lowest_moq: int | None = None  # in the RFQ's unit
    fastest_lead_time: int | None = None  # days
    product_capacity: int | None = None  # the largest monthly capacity of one product, in the RFQ's unit
    # Its product lines (ProductLineCapacity) in the category subtree, in the RFQ's unit, summed.
    line_capacity: int | None = None
    # Where known, a score it cannot exceed (the candidate queries' prescore, taken before its
    # words were matched: a subset of its products matches no more, no cheaper, no faster).
    bound: float | None = None

    @property
    def monthly_capacity(self) -> int | None:
        known = [value for value in (self.line_capacity, self.product_capacity) if value]
        return max(known) if known else None


@dataclass
class Scored:
    supplier_id: int
    score: float
    signals: dict[str, float]
    reasons: list[dict[str, Any]]
    matching_products: int


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def catalog_relevance(count: int) -> float:
    """Logarithmic: the first matching products count most (1 → 0.23, 5 → 0.59, 20 → 1)."""
    if count <= 0:
        return 0.0
    return _clamp(math.log1p(count) / math.log1p(RELEVANT_PRODUCTS))


def capacity_signal(monthly: int | None, rfq: RfqFacts) -> float:
    """The share of the quantity the supplier can make before the required date (1 when it all fits)."""
    if not monthly or rfq.days_left <= 0:
        return 0.0
    producible = monthly * rfq.days_left / DAYS_PER_MONTH
    return _clamp(producible / rfq.quantity)


def moq_signal(lowest_moq: int | None, quantity: int) -> float:
    """1 when the quantity reaches the lowest MOQ; else the share of the MOQ it reaches."""
    if not lowest_moq:
        return 0.0
    return 1.0 if lowest_moq <= quantity else _clamp(quantity / lowest_moq)


def lead_time_signal(fastest: int | None, rfq: RfqFacts) -> float:
    """1 when the fastest product is ready before the required date, 0 when it misses it."""
    if fastest is None:
        return 0.0
    return 1.0 if fastest <= rfq.days_left else 0.0


def response_signal(rate: int | None, median_minutes: int | None) -> float:
    """Six parts how often it answers, four parts how fast; unknown figures count zero."""
    share = _clamp((rate or 0) / 100)
    if median_minutes is None:
        speed = 0.0
    else:
        span = SLOW_RESPONSE_MINUTES - FAST_RESPONSE_MINUTES
        speed = _clamp(1 - (median_minutes - FAST_RESPONSE_MINUTES) / span)
    return 0.6 * share + 0.4 * speed


def track_record_signal(rating_average: float | None, rating_count: int, on_time_rate: int | None) -> float:
    """Half the buyers' average rating (1 → 0, 5 → 1), half the on-time delivery rate; a supplier
    without completed orders scores zero here, as for response figures it has not earned yet."""
    rating = _clamp((float(rating_average) - 1) / 4) if rating_count and rating_average is not None else 0.0
    on_time = _clamp((on_time_rate or 0) / 100)
    return 0.5 * rating + 0.5 * on_time


def signals_of(supplier: SupplierFacts, rfq: RfqFacts, belts: Mapping[int, BeltFacts]) -> dict[str, float]:
    belt = belts.get(supplier.belt_id) if supplier.belt_id else None
    return {
        "catalog_relevance": catalog_relevance(supplier.matching_products),
        "belt_specialisation": belt.specialisation if belt else 0.0,
        "capacity": capacity_signal(supplier.monthly_capacity, rfq),
        "moq": moq_signal(supplier.lowest_moq, rfq.quantity),
        "lead_time": lead_time_signal(supplier.fastest_lead_time, rfq),
        "export_experience": 1.0 if rfq.destination_country in supplier.export_markets else 0.0,
        "verification": 1.0 if supplier.verified else 0.0,
        "response": response_signal(supplier.response_rate, supplier.response_median_minutes),
        "track_record": track_record_signal(supplier.rating_average, supplier.rating_count, supplier.on_time_rate),
    }


def reasons_of(
    supplier: SupplierFacts,
    rfq: RfqFacts,
    belts: Mapping[int, BeltFacts],
    signals: Mapping[str, float],
    *,
    invited: bool = False,
) -> list[dict[str, Any]]:
    """The facts a person reads as "why this supplier", strongest first."""
    reasons: list[dict[str, Any]] = []
    if invited:
        reasons.append({"code": "invited"})
    belt = belts.get(supplier.belt_id) if supplier.belt_id else None
    if belt and belt.specialisation > 0:
        reasons.append({"code": "belt", "belt_en": belt.name_en, "belt_zh": belt.name_zh})
    if supplier.matching_products:
        reasons.append({"code": "products", "count": supplier.matching_products})
    monthly = supplier.monthly_capacity
    if monthly:
        reasons.append({"code": "capacity", "monthly": monthly, "unit": rfq.unit})
    if signals["lead_time"] > 0 and supplier.fastest_lead_time is not None:
        reasons.append({"code": "lead_time", "days": supplier.fastest_lead_time})
    if signals["moq"] >= 1 and supplier.lowest_moq:
        reasons.append({"code": "moq", "moq": supplier.lowest_moq, "unit": rfq.unit})
    if supplier.response_median_minutes is not None:
        reasons.append({"code": "quotes_within", "minutes": supplier.response_median_minutes})
    if supplier.response_rate is not None:
        reasons.append({"code": "response_rate", "percent": supplier.response_rate})
    if supplier.rating_count and supplier.rating_average is not None:
        reasons.append(
            {"code": "rating", "average": round(float(supplier.rating_average), 1), "count": supplier.rating_count}
        )
    if supplier.on_time_rate is not None:
        reasons.append({"code": "on_time", "percent": supplier.on_time_rate})
    if signals["export_experience"] > 0:
        reasons.append({"code": "exports_to", "country": rfq.destination_country})
    if supplier.verified:
        reasons.append({"code": "verified"})
    return reasons


def score(
    supplier: SupplierFacts,
    rfq: RfqFacts,
    belts: Mapping[int, BeltFacts],
    weights: Mapping[str, float],
    *,
    invited: bool = False,
) -> Scored:
    """The supplier's score for the RFQ (0–100) with its signals and reasons."""
    signals = signals_of(supplier, rfq, belts)
    total_weight = sum(max(float(weights.get(name, 0)), 0.0) for name in SIGNALS) or 1.0
    weighted = sum(max(float(weights.get(name, 0)), 0.0) * value for name, value in signals.items())
    return Scored(
        supplier_id=supplier.supplier_id,
        score=round(100 * weighted / total_weight, 3),
        signals=signals,
        reasons=reasons_of(supplier, rfq, belts, signals, invited=invited),
        matching_products=supplier.matching_products,
    )


# The nine signals of one candidate in `SIGNALS` order, as `Scorer.signals` computes them.
Signals = tuple[float, float, float, float, float, float, float, float, float]


class Scorer:
    """`score` without the reasons, for ordering thousands of candidates of one RFQ: the weights
    are read once, and the number is exactly the one `score` gives (same signals, same sum).

    A candidate's signals (`signals`) can be kept and handed back to `number` and `scored`, so that
    one whose number ordered it is not computed again when it is kept (`services.matching._best`).
    """

    def __init__(self, rfq: RfqFacts, belts: Mapping[int, BeltFacts], weights: Mapping[str, float]) -> None:
        self.rfq = rfq
        self.belts = belts
        self.weights = [max(float(weights.get(name, 0)), 0.0) for name in SIGNALS]
        self.total_weight = sum(self.weights) or 1.0

    def signals(self, supplier: SupplierFacts) -> Signals:
        """The values of `signals_of`, in `SIGNALS` order (the same floats)."""
        rfq = self.rfq
        belt = self.belts.get(supplier.belt_id) if supplier.belt_id else None
        return (
            catalog_relevance(supplier.matching_products),
            belt.specialisation if belt else 0.0,
            capacity_signal(supplier.monthly_capacity, rfq),
            moq_signal(supplier.lowest_moq, rfq.quantity),
            lead_time_signal(supplier.fastest_lead_time, rfq),
            1.0 if rfq.destination_country in supplier.export_markets else 0.0,
            1.0 if supplier.verified else 0.0,
            response_signal(supplier.response_rate, supplier.response_median_minutes),
            track_record_signal(supplier.rating_average, supplier.rating_count, supplier.on_time_rate),
        )

    def number(self, signals: Signals) -> float:
        """The score of these signals: weighted and summed in `SIGNALS` order, as `__call__` does."""
        weight = self.weights
        weighted = (
            weight[0] * signals[0]
            + weight[1] * signals[1]
            + weight[2] * signals[2]
            + weight[3] * signals[3]
            + weight[4] * signals[4]
            + weight[5] * signals[5]
            + weight[6] * signals[6]
            + weight[7] * signals[7]
            + weight[8] * signals[8]
        )
        return round(100 * weighted / self.total_weight, 3)

    def __call__(self, supplier: SupplierFacts) -> float:
        return self.number(self.signals(supplier))

    def scored(self, supplier: SupplierFacts, *, invited: bool = False, signals: Signals | None = None) -> Scored:
        """`score` with the weights read once: the same signals, number and reasons. `signals`: the
        supplier's as `signals` gave them for its facts as they are now (not computed again)."""
        values = self.signals(supplier) if signals is None else signals
        named = dict(zip(SIGNALS, values, strict=True))
        weighted = sum(weight * value for weight, value in zip(self.weights, values, strict=True))
        return Scored(
            supplier_id=supplier.supplier_id,
            score=round(100 * weighted / self.total_weight, 3),
            signals=named,
            reasons=reasons_of(supplier, self.rfq, self.belts, named, invited=invited),
            matching_products=supplier.matching_products,
        )

    def sql_bound(self) -> tuple[str, dict[str, Any]]:
        """This score as a PostgreSQL expression over the candidate query's columns (named below),
        with its parameters: the database orders thousands of candidates by it and hands over the
        best few hundred only. It scores every product in the category as matching the RFQ's words,
        so it is the bound `SupplierFacts.bound` documents; it gives the number `__call__` gives for
        the same facts, before `__call__` rounds it to three decimals (tests/buyers/test_matching_facts.py
        compares them).

        Columns: `products`, `lowest_moq`, `fastest`, `product_capacity`, `line_capacity`,
        `belt_id`, `markets` (stored export markets, "LK,US"), `verification_status`,
        `response_rate`, `response_median_minutes`, `rating_average`, `rating_count`, `on_time_rate`.
        """
        rfq = self.rfq
        full = [pk for pk, belt in self.belts.items() if belt.specialisation >= BELT_IN_CATEGORY]
        partly = [pk for pk, belt in self.belts.items() if 0 < belt.specialisation < BELT_IN_CATEGORY]
        span = SLOW_RESPONSE_MINUTES - FAST_RESPONSE_MINUTES
        # Every number is a float8 (the parameters cast, the constants written as floats): no
        # numeric arithmetic, a few microseconds per candidate.
        expression = f"""(100.0::float8 * (
              %(w0)s::float8 * LEAST(1.0::float8, ln(1.0::float8 + products) / ln({1.0 + RELEVANT_PRODUCTS}::float8))
            + %(w1)s::float8 * (CASE WHEN belt_id = ANY (%(full_belts)s) THEN {float(BELT_IN_CATEGORY)}::float8
                             WHEN belt_id = ANY (%(partly_belts)s) THEN {float(BELT_BELOW_CATEGORY)}::float8
                             ELSE 0.0::float8 END)
            + %(w2)s::float8 * (CASE WHEN %(days_left)s > 0 AND GREATEST(line_capacity, product_capacity) > 0
                             THEN LEAST(1.0::float8, GREATEST(line_capacity, product_capacity)::float8
                                             * %(days_left)s / {float(DAYS_PER_MONTH)}::float8 / %(quantity)s)
                             ELSE 0.0::float8 END)
            + %(w3)s::float8 * (CASE WHEN coalesce(lowest_moq, 0) = 0 THEN 0.0::float8
                             WHEN lowest_moq <= %(quantity)s THEN 1.0::float8
                             ELSE LEAST(1.0::float8, %(quantity)s::float8 / lowest_moq) END)
            + %(w4)s::float8 * (CASE WHEN fastest <= %(days_left)s THEN 1.0::float8 ELSE 0.0::float8 END)
            + %(w5)s::float8 * (CASE WHEN position(%(destination)s in coalesce(markets, '')) > 0
                                     THEN 1.0::float8 ELSE 0.0::float8 END)
            + %(w6)s::float8 * (CASE WHEN verification_status = 'verified' THEN 1.0::float8 ELSE 0.0::float8 END)
            + %(w7)s::float8 * (
                  0.6::float8 * LEAST(1.0::float8, GREATEST(0, coalesce(response_rate, 0)) / 100.0::float8)
                + 0.4::float8 * (CASE WHEN response_median_minutes IS NULL THEN 0.0::float8
                                 ELSE LEAST(1.0::float8, GREATEST(0.0::float8, 1.0::float8
                                      - (response_median_minutes - {FAST_RESPONSE_MINUTES})::float8
                                        / {float(span)}::float8))
                                 END))
            + %(w8)s::float8 * (0.5::float8 * (CASE WHEN rating_count > 0 AND rating_average IS NOT NULL
                                    THEN LEAST(1.0::float8, GREATEST(0.0::float8,
                                               (rating_average::float8 - 1.0::float8) / 4.0::float8))
                                    ELSE 0.0::float8 END)
                        + 0.5::float8 * LEAST(1.0::float8, GREATEST(0, coalesce(on_time_rate, 0)) / 100.0::float8))
        ) / %(total_weight)s::float8)"""
        params: dict[str, Any] = {f"w{index}": weight for index, weight in enumerate(self.weights)}
        params |= {
            "full_belts": full,
            "partly_belts": partly,
            "days_left": rfq.days_left,
            "quantity": rfq.quantity,
            "destination": rfq.destination_country or "--",
            "total_weight": self.total_weight,
        }
        return expression, params


def quick_score(
    supplier: SupplierFacts, rfq: RfqFacts, belts: Mapping[int, BeltFacts], weights: Mapping[str, float]
) -> float:
    """The same score as `score`, without the reasons (for many candidates, build one `Scorer`)."""
    return Scorer(rfq, belts, weights)(supplier)


def ranked(scored: list[Scored]) -> list[Scored]:
    """Best first; ties broken by more matching products, then the older supplier (lower id)."""
    return sorted(scored, key=lambda item: (-item.score, -item.matching_products, item.supplier_id))
