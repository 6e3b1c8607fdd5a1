"""Properties of the split award optimiser over random quotes and constraints (hypothesis).

Whatever the quotes and the buyer's constraints: a plan the optimiser returns meets every
constraint, its total is the exact sum of its lines as orders price them, and it is never dearer
than the greedy plan or the best single quote when those meet the constraints too. On instances
small enough to enumerate, "no plan" is confirmed by brute force, and a found plan is the
cheapest there is (to the rounding of its lines).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from buyers.allocation import Constraints, Offer, delivery_ceiling, landed_cost, optimise, plan_violations
from marketplace.pricing import PriceTerms

RATES = [Decimal(1), Decimal("0.1389"), Decimal("7.2")]
PROPERTY_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def offers_for(draw: st.DrawFn, quantity: int, *, most: int) -> list[Offer]:
    """1..`most` quotes for `quantity` units: 1–3 tiers falling in price, a minimum, maybe a
    maximum, fixed or per-unit freight, in one of three currencies, some late, belts, provinces,
    and a few suppliers that sent two quotes."""
    count = draw(st.integers(1, most))
    offers = []
    for key in range(1, count + 1):
        start = draw(st.integers(1, max(1, quantity // 2)))
        cents = draw(st.integers(10, 5000))
        tiers = []
        for _tier in range(draw(st.integers(1, 3))):
            tiers.append((start, Decimal(cents).scaleb(-2)))
            start += draw(st.integers(1, max(1, quantity)))
            cents = max(1, cents - draw(st.integers(1, 500)))
        minimum = tiers[0][0] + draw(st.sampled_from([0, 0, 0, 1, quantity // 3]))
        maximum = draw(st.none() | st.integers(minimum, minimum + 2 * quantity))
        per_unit = draw(st.booleans())
        freight = Decimal(draw(st.integers(0, 300 if per_unit else 20000))).scaleb(-2)
        terms = PriceTerms.of(tiers, minimum=minimum, maximum=maximum, freight=freight, freight_per_unit=per_unit)
        offers.append(
            Offer(
                key=key,
                supplier=draw(st.sampled_from([key, key, key, 1])),
                terms=terms,
                rate=draw(st.sampled_from(RATES)),
                places=draw(st.sampled_from([2, 2, 0])),
                late=draw(st.booleans()) and draw(st.booleans()),
                belt=draw(st.sampled_from([None, "Yiwu", "Baigou", "Dongguan"])),
                province=draw(st.sampled_from([None, "Zhejiang", "Hebei"])),
            )
        )
    return offers


@st.composite
def constraints_for(draw: st.DrawFn, quantity: int, keys: Sequence[int]) -> Constraints:
    def sometimes(values: st.SearchStrategy[int]) -> int | None:
        """A constraint in about one RFQ of four: with all of them at once, most RFQs have no plan."""
        return draw(values) if draw(st.integers(0, 3)) == 0 else None

    return Constraints(
        quantity=quantity,
        target_places=draw(st.sampled_from([2, 2, 0])),
        over_delivery_percent=draw(st.sampled_from([Decimal(0), Decimal(0), Decimal(10), Decimal("50")])),
        max_share_percent=sometimes(st.sampled_from([Decimal(34), Decimal(50), Decimal("75.5"), Decimal(100)])),
        min_suppliers=sometimes(st.integers(1, 3)),
        max_suppliers=sometimes(st.integers(1, 3)),
        min_belts=sometimes(st.integers(1, 2)),
        min_provinces=sometimes(st.integers(1, 2)),
        excluded=frozenset(draw(st.sets(st.sampled_from(keys), max_size=1)) if draw(st.booleans()) else ()),
        required=frozenset(draw(st.sets(st.sampled_from(keys), max_size=2)) if draw(st.booleans()) else ()),
        allow_late=draw(st.booleans()),
    )


@st.composite
def rfqs(draw: st.DrawFn, *, quantities: st.SearchStrategy[int], most: int) -> tuple[list[Offer], Constraints]:
    quantity = draw(quantities)
    offers = draw(offers_for(quantity, most=most))
    return offers, draw(constraints_for(quantity, [offer.key for offer in offers]))


def _rounding_allowance(offers: Sequence[Offer], constraints: Constraints) -> Decimal:
    """What rounding each line to its currency and then to the buyer's can move a total by, for
    any set of lines, twice (the plan's and the one it is compared with): the program minimises
    the unrounded cost."""
    per_line = [
        offer.rate * Decimal(1).scaleb(-offer.places) + Decimal(1).scaleb(-constraints.target_places)
        for offer in offers
    ]
    return 2 * sum(per_line, Decimal(0))


def _cheapest_by_brute_force(offers: Sequence[Offer], constraints: Constraints) -> Decimal | None:
    """Every allocation of whole units within each offer's minimum and maximum, up to the delivery
    ceiling; the cheapest exact total of those that meet every constraint."""
    ceiling = delivery_ceiling(constraints)
    choices = []
    for offer in offers:
        top = min(ceiling, offer.terms.maximum if offer.terms.maximum is not None else ceiling)
        choices.append([0, *range(offer.terms.minimum, top + 1)])
    best: Decimal | None = None
    for quantities in itertools.product(*choices):
        if not constraints.quantity <= sum(quantities) <= ceiling:
            continue
        lines = {offer.key: quantity for offer, quantity in zip(offers, quantities, strict=True) if quantity}
        if plan_violations(lines, offers, constraints):
            continue
        total = sum(
            (
                landed_cost(o, q, target_places=constraints.target_places)
                for o, q in zip(offers, quantities, strict=True)
                if q
            ),
            Decimal(0),
        )
        if best is None or total < best:
            best = total
    return best


@PROPERTY_SETTINGS
@given(rfqs(quantities=st.integers(1, 2000), most=8))
def test_allocation_plans_meet_every_constraint_and_beat_both_baselines(rfq: tuple[list[Offer], Constraints]) -> None:
    offers, constraints = rfq

    plan = optimise(offers, constraints)

    assert set(plan.reasons) == {offer.key for offer in offers}
    if plan.status == "infeasible":
        assert plan.conflicts
        assert plan.lines == {}
        return
    assert plan.status == "optimal"
    assert plan_violations(plan.lines, offers, constraints) == []
    assert all(quantity > 0 for quantity in plan.lines.values())
    by_key = {offer.key: offer for offer in offers}
    assert plan.total == sum(
        (landed_cost(by_key[key], q, target_places=constraints.target_places) for key, q in plan.lines.items()),
        Decimal(0),
    )
    assert plan.total is not None
    for baseline in (plan.greedy, plan.single):
        if baseline is not None and not plan_violations(baseline.lines, offers, constraints):
            assert plan.total <= baseline.total


@PROPERTY_SETTINGS
@given(rfqs(quantities=st.integers(1, 10), most=4))
def test_allocation_says_no_plan_only_when_none_exists_and_otherwise_finds_the_cheapest(
    rfq: tuple[list[Offer], Constraints],
) -> None:
    offers, constraints = rfq

    plan = optimise(offers, constraints)
    cheapest = _cheapest_by_brute_force(offers, constraints)

    if cheapest is None:
        assert plan.status == "infeasible"
        assert plan.conflicts
        return
    assert plan.status == "optimal"
    assert plan.total is not None
    assert plan_violations(plan.lines, offers, constraints) == []
    assert cheapest <= plan.total <= cheapest + _rounding_allowance(offers, constraints)
