"""The split award optimiser, as a buyer sees it: the plan's lines, its total, and why.

No database: `buyers.allocation.solver` is pure. Amounts are in CNY for a CNY buyer unless a test
says otherwise, so the numbers can be checked by hand.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.utils import translation
from scipy.optimize import OptimizeResult

from buyers.allocation import (
    Constraints,
    Offer,
    conflict_text,
    greedy_plan,
    landed_cost,
    optimise,
    plan_violations,
    reason_text,
)
from buyers.allocation import solver as allocation_solver
from marketplace.pricing import PriceTerms

D = Decimal


def offer(
    key: int,
    tiers: list[tuple[int, str]],
    *,
    supplier: int | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
    freight: str | None = None,
    per_unit: bool = False,
    rate: str = "1",
    late: bool = False,
    belt: str | None = None,
    province: str | None = None,
) -> Offer:
    terms = PriceTerms.of(
        [(quantity, D(price)) for quantity, price in tiers],
        minimum=minimum,
        maximum=maximum,
        freight=D(freight) if freight is not None else None,
        freight_per_unit=per_unit,
    )
    return Offer(
        key=key,
        supplier=key if supplier is None else supplier,
        terms=terms,
        rate=D(rate),
        late=late,
        belt=belt,
        province=province,
    )


THREE_TIERS = [(5000, "13.80"), (10000, "13.20"), (20000, "12.60")]


def test_allocation_prices_the_whole_quantity_at_the_tier_the_allocated_quantity_reaches() -> None:
    """12,000 units of a 5000:13.80 / 10000:13.20 / 20000:12.60 quote cost 13.20 each: 158,400."""
    plan = optimise([offer(1, THREE_TIERS)], Constraints(quantity=12000))

    assert plan.status == "optimal"
    assert plan.lines == {1: 12000}
    assert plan.total == D("158400.00")
    assert plan.gap == 0.0


def test_allocation_converts_every_line_into_the_buyers_currency_and_rounds_it_as_an_order_does() -> None:
    """1,000 units at USD 1.234 with USD 10 freight, for a CNY buyer at 7.2: (1,234.00 + 10.00) × 7.2."""
    dollar = offer(1, [(100, "1.234")], freight="10", rate="7.2")

    plan = optimise([dollar], Constraints(quantity=1000))

    assert plan.total == D("8956.80")
    assert plan.total == landed_cost(dollar, 1000, target_places=2)


def test_allocation_never_plans_a_quote_below_its_minimum() -> None:
    """The cheap quote offers 900 but the other one takes no fewer than 300: 700 + 300, not 900 + 100."""
    cheap = offer(1, [(100, "1.00")], maximum=900)
    dear = offer(2, [(100, "2.00")], minimum=300)

    plan = optimise([cheap, dear], Constraints(quantity=1000))

    assert plan.lines == {1: 700, 2: 300}
    assert plan.total == D("1300.00")
    assert plan.reasons[2].code == "minimum"


def test_allocation_prefers_one_supplier_when_a_second_shipment_costs_more_than_it_saves() -> None:
    """A: 10.00 a unit + 500 freight, up to 1,000. B: 9.50 + 500, up to 600.
    A alone: 10,500. B 600 + A 400 (what greedy does, B being 10.33 a unit landed against A's 10.50):
    6,200 + 4,500 = 10,700."""
    a = offer(1, [(1, "10.00")], maximum=1000, freight="500")
    b = offer(2, [(1, "9.50")], maximum=600, freight="500")

    plan = optimise([a, b], Constraints(quantity=1000))

    assert plan.lines == {1: 1000}
    assert plan.total == D("10500.00")
    assert plan.greedy is not None
    assert plan.greedy.lines == {2: 600, 1: 400}
    assert plan.greedy.total == D("10700.00")
    assert plan.saving_vs_greedy == D("200.00")


def test_allocation_beats_greedy_where_a_tier_break_outweighs_a_cheaper_small_quote() -> None:
    """10,000 units. A: 10.00 a unit from 1,000, 8.00 from 10,000. B: 7.90 a unit, up to 2,000.
    Greedy takes B first (7.90 < 8.00 at full quantity): 2,000 × 7.90 + 8,000 × 10.00 = 95,800.
    The optimum is A alone at its 10,000 tier: 80,000, 15,800 (16.5 %) less."""
    a = offer(1, [(1000, "10.00"), (10000, "8.00")], maximum=10000)
    b = offer(2, [(1000, "7.90")], maximum=2000)

    plan = optimise([a, b], Constraints(quantity=10000))

    assert plan.lines == {1: 10000}
    assert plan.total == D("80000.00")
    assert plan.greedy is not None
    assert plan.greedy.total == D("95800.00")
    assert plan.saving_vs_greedy == D("15800.00")
    assert plan.single is not None
    assert plan.single.lines == {1: 10000}
    assert plan.saving_vs_single == D("0.00")


def test_allocation_gives_no_supplier_more_than_the_max_share() -> None:
    offers = [offer(1, [(1, "1.00")]), offer(2, [(1, "1.10")]), offer(3, [(1, "1.20")])]
    constraints = Constraints(quantity=10000, max_share_percent=D(40))

    plan = optimise(offers, constraints)

    assert plan.lines == {1: 4000, 2: 4000, 3: 2000}
    assert plan.reasons[1].code == "share_cap"
    assert plan_violations(plan.lines, offers, constraints) == []


def test_allocation_counts_the_max_share_per_supplier_across_its_quotes() -> None:
    """Two quotes of one supplier share its 50 %."""
    offers = [offer(1, [(1, "1.00")], supplier=7), offer(2, [(1, "1.01")], supplier=7), offer(3, [(1, "2.00")])]

    plan = optimise(offers, Constraints(quantity=1000, max_share_percent=D(50)))

    assert plan.lines[1] + plan.lines.get(2, 0) == 500
    assert plan.lines[3] == 500


def test_allocation_spreads_the_order_over_the_provinces_asked_for() -> None:
    offers = [
        offer(1, [(1, "1.00")], province="Zhejiang"),
        offer(2, [(1, "1.01")], province="Zhejiang"),
        offer(3, [(1, "1.50")], province="Guangdong", minimum=100),
        offer(4, [(1, "1.40")], province=None),  # no province: counts for none
    ]

    plan = optimise(offers, Constraints(quantity=1000, min_provinces=2))

    assert plan.lines == {1: 900, 3: 100}


def test_allocation_spreads_the_order_over_the_belts_asked_for() -> None:
    offers = [
        offer(1, [(1, "1.00")], belt="Yiwu"),
        offer(2, [(1, "1.20")], belt="Baigou", minimum=50),
        offer(3, [(1, "1.10")], belt="Yiwu"),
    ]

    plan = optimise(offers, Constraints(quantity=1000, min_belts=2))

    assert plan.lines == {1: 950, 2: 50}


def test_allocation_uses_at_least_and_at_most_the_number_of_suppliers_asked_for() -> None:
    offers = [offer(key, [(1, f"1.{key}0")], minimum=100) for key in range(1, 6)]

    at_least = optimise(offers, Constraints(quantity=1000, min_suppliers=3))
    capped = optimise(offers, Constraints(quantity=1000, max_share_percent=D(20), max_suppliers=5))
    at_most = optimise(offers, Constraints(quantity=1000, max_share_percent=D(50), max_suppliers=2))

    assert at_least.lines == {1: 800, 2: 100, 3: 100}
    assert len(capped.lines) == 5
    assert at_most.lines == {1: 500, 2: 500}


def test_allocation_never_uses_an_excluded_quote_and_always_uses_a_required_one() -> None:
    offers = [offer(1, [(1, "1.00")]), offer(2, [(1, "1.10")]), offer(3, [(1, "1.50")], minimum=200)]

    plan = optimise(offers, Constraints(quantity=1000, excluded=frozenset({1}), required=frozenset({3})))

    assert plan.lines == {2: 800, 3: 200}
    assert plan.reasons[1].code == "excluded"
    assert plan.reasons[3].code == "minimum"


def test_allocation_leaves_late_quotes_out_unless_the_buyer_allows_them() -> None:
    offers = [offer(1, [(1, "1.00")], late=True), offer(2, [(1, "1.10")])]

    on_time = optimise(offers, Constraints(quantity=1000))
    late_allowed = optimise(offers, Constraints(quantity=1000, allow_late=True))

    assert on_time.lines == {2: 1000}
    assert on_time.reasons[1].code == "late"
    assert late_allowed.lines == {1: 1000}


def test_allocation_over_delivers_within_the_tolerance_when_the_next_tier_makes_it_cheaper() -> None:
    """9,800 units at 13.80 cost 135,240; 10,000 at 13.20 cost 132,000 — allowed with 3 % (up to 10,094)."""
    quote = [offer(1, THREE_TIERS)]

    exact = optimise(quote, Constraints(quantity=9800))
    tolerant = optimise(quote, Constraints(quantity=9800, over_delivery_percent=D(3)))
    too_little = optimise(quote, Constraints(quantity=9800, over_delivery_percent=D(2)))  # up to 9,996

    assert exact.lines == {1: 9800}
    assert exact.total == D("135240.00")
    assert tolerant.lines == {1: 10000}
    assert tolerant.total == D("132000.00")
    assert tolerant.reasons[1].code == "tier_break"
    assert tolerant.reasons[1].facts["min_quantity"] == 10000
    assert too_little.lines == {1: 9800}


@pytest.mark.parametrize(
    ("offers", "constraints", "conflicts"),
    [
        pytest.param(
            [offer(1, [(1, "1")], maximum=5000), offer(2, [(1, "1")], maximum=3000)],
            Constraints(quantity=10000),
            ["quantity"],
            id="the quotes together offer 8,000 of 10,000",
        ),
        pytest.param(
            [offer(1, [(1, "1")], maximum=5000), offer(2, [(1, "1")], maximum=5000, late=True)],
            Constraints(quantity=10000),
            ["quantity", "late"],
            id="only the late quote would make up the quantity",
        ),
        pytest.param(
            [offer(1, [(1, "1")]), offer(2, [(1, "1")])],
            Constraints(quantity=10000, max_share_percent=D(40)),
            ["max_share"],
            id="two suppliers at 40 % each",
        ),
        pytest.param(
            [offer(1, [(1, "1")]), offer(2, [(1, "1")], supplier=1)],
            Constraints(quantity=1000, min_suppliers=2),
            ["min_suppliers"],
            id="two quotes of one supplier",
        ),
        pytest.param(
            [offer(1, [(1, "1")], province="Zhejiang"), offer(2, [(1, "1")], province=None)],
            Constraints(quantity=1000, min_provinces=2),
            ["min_provinces"],
            id="one known province",
        ),
        pytest.param(
            [offer(1, [(1, "1")], belt="Yiwu"), offer(2, [(1, "1")], belt="Yiwu")],
            Constraints(quantity=1000, min_belts=2),
            ["min_belts"],
            id="one belt",
        ),
        pytest.param(
            [offer(key, [(1, "1")], maximum=3000) for key in range(1, 5)],
            Constraints(quantity=10000, max_suppliers=3),
            ["max_suppliers"],
            id="three suppliers of 3,000 for 10,000",
        ),
        pytest.param(
            [offer(1, [(1, "1")]), offer(2, [(1, "1")])],
            Constraints(quantity=1000, excluded=frozenset({2}), required=frozenset({2})),
            ["required", "excluded"],
            id="required and excluded",
        ),
        pytest.param(
            [offer(1, [(1, "1")], minimum=800), offer(2, [(1, "1")])],
            Constraints(quantity=1000, max_share_percent=D(50), required=frozenset({1})),
            ["max_share", "required"],
            id="a required minimum above the share cap",
        ),
        pytest.param(
            [offer(1, [(1000, "1")])],
            Constraints(quantity=800),
            ["over_delivery"],
            id="a minimum of 1,000 for 800",
        ),
        pytest.param(
            [offer(1, [(1, "1")], minimum=600, maximum=600), offer(2, [(1, "1")], minimum=600, maximum=600)],
            Constraints(quantity=1000, over_delivery_percent=D(10)),
            ["over_delivery"],
            id="two lots of 600 for 1,000 at most 1,100 (found by the solver)",
        ),
        pytest.param(
            [
                offer(1, [(1, "1")], province="Zhejiang"),
                offer(2, [(1, "1")], province="Guangdong"),
            ],
            Constraints(quantity=1000, min_provinces=2, max_suppliers=1),
            ["max_suppliers", "min_provinces"],
            id="two provinces from one supplier (found by the solver)",
        ),
        pytest.param(
            [offer(1, [(1, "1")], maximum=500, province="Zhejiang"), offer(2, [(1, "1")], province="Guangdong")],
            Constraints(quantity=1000, max_suppliers=1, required=frozenset({1})),
            ["max_suppliers", "required"],
            id="a required quote that cannot cover alone with one supplier (found by the solver)",
        ),
    ],
)
def test_allocation_without_a_plan_names_the_constraint_that_cannot_hold(
    offers: list[Offer], constraints: Constraints, conflicts: list[str]
) -> None:
    plan = optimise(offers, constraints)

    assert plan.status == "infeasible"
    assert plan.lines == {}
    assert plan.total is None
    assert plan.conflicts == conflicts
    assert set(plan.reasons) == {o.key for o in offers}


def test_allocation_with_no_quotes_is_empty() -> None:
    plan = optimise([], Constraints(quantity=100))

    assert plan.status == "empty"
    assert plan.lines == {}
    assert plan.greedy is None
    assert plan.single is None


def _big_rfq(seed: int, count: int = 200) -> tuple[list[Offer], Constraints]:
    """200 quotes with fixed freight, 3 tiers each, from 6 provinces; at least 3 provinces asked for."""
    rng = random.Random(seed)
    offers = []
    for key in range(1, count + 1):
        start = rng.randrange(100, 2000)
        price = rng.uniform(5, 15)
        offers.append(
            offer(
                key,
                [(start, f"{price:.2f}"), (start * 3, f"{price * 0.95:.2f}"), (start * 9, f"{price * 0.9:.2f}")],
                maximum=rng.randrange(start * 2, 60000),
                freight=f"{rng.uniform(100, 3000):.2f}",
                province=f"P{rng.randrange(6)}",
            )
        )
    return offers, Constraints(quantity=100000, max_share_percent=D(30), min_provinces=3, max_suppliers=8)


def test_allocation_under_a_tiny_time_limit_says_feasible_with_a_gap_or_timeout_never_optimal_silently() -> None:
    offers, constraints = _big_rfq(seed=3)

    plan = optimise(offers, constraints, time_limit=0.0001)

    assert plan.status in {"feasible", "timeout"}
    if plan.status == "feasible":
        assert plan.gap is not None
        assert plan.gap > 0
        assert plan_violations(plan.lines, offers, constraints) == []
    else:
        assert plan.lines == {}
        assert plan.total is None
        assert plan.conflicts == []


def _stub_highs(monkeypatch: pytest.MonkeyPatch, result: dict[str, object]) -> None:
    def stopped(*args: object, **kwargs: object) -> OptimizeResult:
        return OptimizeResult({"x": None, "mip_dual_bound": None, "message": "Time limit reached.", **result})

    monkeypatch.setattr(allocation_solver, "milp", stopped)


def test_allocation_reports_a_timeout_when_the_time_limit_hits_before_any_plan(monkeypatch: pytest.MonkeyPatch) -> None:
    """HiGHS stopped with nothing, and neither baseline meets the provinces asked for: no plan."""
    offers = [offer(1, [(1, "1")], province="Zhejiang"), offer(2, [(1, "2")], province="Guangdong")]
    constraints = Constraints(quantity=1000, min_provinces=2)
    _stub_highs(monkeypatch, {"status": 1})

    plan = optimise(offers, constraints)

    assert plan.status == "timeout"
    assert plan.lines == {}
    assert plan.total is None
    assert plan.gap is None


def test_allocation_keeps_the_greedy_plan_with_its_gap_when_the_time_limit_hits_before_highs_finds_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Greedy meets the constraints: it is the plan, "feasible", with the gap to the cheapest unit
    cost (1.00 × 1,000 against greedy's 1,000 × 1.00 + 100 freight: 100 / 1,100)."""
    offers = [offer(1, [(1, "1")], freight="100"), offer(2, [(1, "2")])]
    _stub_highs(monkeypatch, {"status": 1})

    plan = optimise(offers, Constraints(quantity=1000))

    assert plan.status == "feasible"
    assert plan.lines == {1: 1000}
    assert plan.gap == pytest.approx(100 / 1100)


def test_allocation_without_a_plan_explains_every_quote() -> None:
    offers = [offer(1, [(1, "1")], maximum=10), offer(2, [(1, "1")], late=True)]

    plan = optimise(offers, Constraints(quantity=100))

    assert plan.status == "infeasible"
    assert {key: reason.code for key, reason in plan.reasons.items()} == {1: "no_plan", 2: "late"}


def test_allocation_explains_why_each_quote_got_what_it_got() -> None:
    """10,000 units. A 8.00 up to 7,000 (all of it); B 9.50 (the rest, 3,000): 84,500.
    C 9.00 but only from 5,000: A 5,000 + C 5,000 would cost 85,000, so C is not needed although
    cheaper than B. D 9.60 is dearer than anything used; E excluded; F late; G's minimum is above
    the whole quantity."""
    offers = [
        offer(1, [(1000, "8.00")], maximum=7000),
        offer(2, [(100, "9.50")]),
        offer(3, [(5000, "9.00")]),
        offer(4, [(100, "9.60")]),
        offer(5, [(100, "5.00")]),
        offer(6, [(100, "4.00")], late=True),
        offer(7, [(20000, "1.00")]),
    ]

    plan = optimise(offers, Constraints(quantity=10000, excluded=frozenset({5})))

    assert plan.lines == {1: 7000, 2: 3000}
    assert plan.total == D("84500.00")
    codes = {key: reason.code for key, reason in plan.reasons.items()}
    assert codes == {
        1: "all_offered",
        2: "remainder",
        3: "not_needed",
        4: "costlier",
        5: "excluded",
        6: "late",
        7: "minimum_too_large",
    }
    assert plan.reasons[4].facts == {"landed_unit": D("9.6000"), "plan_unit": D("9.5000")}
    with translation.override("en"):
        assert reason_text(plan.reasons[1], currency="CNY") == "7,000 units: all it offers"
        assert reason_text(plan.reasons[2], currency="CNY") == "3,000 units: the rest of the quantity"
        assert reason_text(plan.reasons[4], currency="CNY") == (
            "Not used: CNY 9.60 a unit landed at best, above CNY 9.50, the dearest in the plan"
        )
        assert reason_text(plan.reasons[7], currency="CNY") == (
            "Not used: its minimum order of 20,000 units is more than the plan could give it (10,000)"
        )


def test_allocation_says_where_the_price_drops_and_what_a_share_cap_held_back() -> None:
    tolerant = optimise([offer(1, THREE_TIERS)], Constraints(quantity=9800, over_delivery_percent=D(3)))
    capped = optimise(
        [offer(1, [(1, "1")]), offer(2, [(1, "2")])], Constraints(quantity=10000, max_share_percent=D("62.5"))
    )

    with translation.override("en"):
        assert reason_text(tolerant.reasons[1], currency="CNY") == (
            "10,000 units: from there its price drops to CNY 13.20"
        )
        assert reason_text(capped.reasons[1], currency="CNY") == (
            "6,250 units: the most one supplier may have (62.5% of the quantity)"
        )


def test_allocation_conflicts_read_as_the_buyers_constraints() -> None:
    constraints = Constraints(quantity=10000, max_share_percent=D(40), over_delivery_percent=D("2.5"))

    with translation.override("en"):
        assert conflict_text("max_share", constraints) == (
            "With at most 40% (4,000 units) for one supplier, the quotes cannot cover 10,000 units."
        )
        assert conflict_text("over_delivery", constraints) == (
            "No combination of the quotes' minimum orders makes 10,000 units without delivering more than "
            "10,250 (over-delivery tolerance 2.5%)."
        )
        assert conflict_text("something new", constraints) == ""


def test_allocation_greedy_baseline_skips_a_piece_below_a_quotes_minimum() -> None:
    """Greedy fills 900 from the cheapest; the next quote would get 100 but takes 300 at least:
    skipped, the third takes the 100."""
    offers = [
        offer(1, [(1, "1.00")], maximum=900),
        offer(2, [(1, "1.10")], minimum=300),
        offer(3, [(1, "1.20")]),
    ]

    baseline = greedy_plan(offers, Constraints(quantity=1000))

    assert baseline is not None
    assert baseline.lines == {1: 900, 3: 100}
    assert baseline.total == D("1020.00")


def test_allocation_best_single_is_the_cheapest_quote_that_covers_everything_alone() -> None:
    offers = [offer(1, [(1, "1.00")], maximum=900), offer(2, [(1, "1.30")]), offer(3, [(1, "1.20")])]

    plan = optimise(offers, Constraints(quantity=1000, max_share_percent=D(50)))

    assert plan.single is not None
    assert plan.single.lines == {3: 1000}  # the share cap does not apply to the one-supplier comparison
    assert plan.lines == {1: 500, 3: 500}
    assert plan.saving_vs_single == D("100.00")
