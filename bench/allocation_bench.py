"""Measure the split-award optimiser (buyers.allocation) on random RFQs: solve time, optimality, saving.

    .venv/bin/python bench/allocation_bench.py            # 30 RFQs per class
    .venv/bin/python bench/allocation_bench.py --rfqs 100 --seed 7

No database: the optimiser is pure Python and scipy (HiGHS). For 10, 50 and 200 offers, each with
and without buyer constraints, it draws `--rfqs` random RFQs (seeded): quantities from 1,000 to
1,000,000 units; offers with 1–5 price tiers (prices falling with quantity), minimum orders,
maximums, fixed or per-unit freight, in CNY or USD (the buyer pays in USD), belts and provinces,
about 15 % late, a few suppliers with two quotes. The constrained class adds a max share of 25–60 %,
at least two provinces and two suppliers, at most six suppliers. A third class asks for two
provinces from one supplier, which rarely exists: there the time includes proving that no plan
exists and naming the constraints that cannot hold.

Each RFQ is solved by `optimise` and, in the same loop, by the greedy baseline alone, so both times
see the same load. It prints per class the p50/p95/max of the whole `optimise` call (baselines,
reasons and, when there is no plan, the conflict search included), the greedy time, the share
of the planned RFQs solved to optimality, how many had no plan, how many hit the time limit, and
the mean and max saving against greedy over the RFQs where greedy meets the constraints (how many:
"vs greedy"), with the load average at the time. It fails (exit 1) when a target is missed:
50 offers p95 < 0.5 s and every one solved to optimality; 200 offers p95 < 2 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from buyers.allocation import Constraints, Offer, greedy_plan, optimise, plan_violations  # noqa: E402
from marketplace.pricing import PriceTerms  # noqa: E402

SIZES = (10, 50, 200)
# Without buyer constraints; with max share, provinces and supplier counts; with constraints no
# plan can meet (the conflict search's time is part of the figure).
KINDS = ("without", "with", "conflicting")
# size -> p95 target in seconds, and whether every RFQ of that size must be solved to optimality.
TARGETS: dict[int, tuple[float, bool]] = {50: (0.5, True), 200: (2.0, False)}
CNY_IN_USD = Decimal("0.1389")
BELTS = {  # belt -> its province
    "Yiwu small commodities": "Zhejiang",
    "Ningbo moulds": "Zhejiang",
    "Wenzhou shoes": "Zhejiang",
    "Dongguan electronics": "Guangdong",
    "Foshan furniture": "Guangdong",
    "Shantou toys": "Guangdong",
    "Baigou bags": "Hebei",
    "Jinjiang sportswear": "Fujian",
    "Dezhou air-conditioning": "Shandong",
    "Danyang glasses": "Jiangsu",
    "Suzhou wedding dresses": "Jiangsu",
    "Zhili children's wear": "Zhejiang",
}


@dataclass
class Outcome:
    seconds: float
    greedy_seconds: float
    status: str
    saving_percent: float | None


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rfqs", type=int, default=30, help="RFQs per size and class (default 30)")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--time-limit", type=float, default=10.0, help="the optimiser's time limit, seconds")
    return parser.parse_args(argv)


def _money(amount: float) -> Decimal:
    return Decimal(str(round(amount, 2)))


def _offer(rng: random.Random, key: int, supplier: int, quantity: int, market_usd: float) -> Offer:
    """One random quote: 1–5 tiers falling 2–10 % each, a minimum, maybe a maximum, some freight."""
    in_cny = rng.random() < 0.7
    rate = CNY_IN_USD if in_cny else Decimal(1)
    to_own = 1 / float(rate)
    price = market_usd * rng.uniform(0.8, 1.3) * to_own
    start = max(1, round(quantity * rng.uniform(0.005, 0.2), -1) or 1)
    tiers = []
    for _tier in range(rng.randint(1, 5)):
        tiers.append((int(start), _money(max(price, 0.01))))
        start = round(start * rng.uniform(1.5, 4))
        price *= rng.uniform(0.9, 0.98)
    minimum = int(tiers[0][0] * (rng.uniform(1, 1.5) if rng.random() < 0.3 else 1))
    maximum = None if rng.random() < 0.1 else max(minimum * 2, int(quantity * rng.uniform(0.1, 0.8)))
    if rng.random() < 0.5:
        terms = PriceTerms.of(tiers, minimum=minimum, maximum=maximum, freight=_money(rng.uniform(100, 3000) * to_own))
    else:
        per_unit = _money(market_usd * rng.uniform(0.02, 0.1) * to_own)
        terms = PriceTerms.of(tiers, minimum=minimum, maximum=maximum, freight=per_unit, freight_per_unit=True)
    belt = rng.choice(list(BELTS)) if rng.random() < 0.95 else None
    return Offer(
        key=key,
        supplier=supplier,
        terms=terms,
        rate=rate,
        late=rng.random() < 0.15,
        belt=belt,
        province=BELTS[belt] if belt else None,
    )


def _rfq(rng: random.Random, size: int, kind: str) -> tuple[list[Offer], Constraints]:
    quantity = int(round(10 ** rng.uniform(3, 6), -2))
    market_usd = 10 ** rng.uniform(-1.5, 2)  # 0.03 to 100 USD a unit
    offers: list[Offer] = []
    for key in range(1, size + 1):
        # About one supplier in ten sent two quotes (say, two materials).
        if key > 1 and rng.random() < 0.1:
            first = offers[-1]
            second = _offer(rng, key, first.supplier, quantity, market_usd)
            offers.append(replace(second, belt=first.belt, province=first.province))  # one factory, one place
        else:
            offers.append(_offer(rng, key, key, quantity, market_usd))
    if kind == "without":
        return offers, Constraints(quantity=quantity)
    if kind == "conflicting":
        # One supplier from two provinces: no plan, found by HiGHS (the cheap checks pass) and
        # explained by the conflict search.
        return offers, Constraints(quantity=quantity, min_provinces=2, max_suppliers=1)
    return offers, Constraints(
        quantity=quantity,
        max_share_percent=Decimal(rng.choice([25, 30, 40, 50, 60])),
        min_provinces=2,
        min_suppliers=2,
        max_suppliers=6,
        over_delivery_percent=Decimal(rng.choice([0, 0, 2, 5])),
    )


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _solve(offers: list[Offer], constraints: Constraints, time_limit: float) -> Outcome:
    began = time.perf_counter()
    greedy_plan(offers, constraints)
    greedy_seconds = time.perf_counter() - began
    plan = optimise(offers, constraints, time_limit=time_limit)
    saving = None
    # Against a greedy plan that meets the buyer's constraints only: one that breaks them (too few
    # provinces, say) may well be cheaper, and is no plan the buyer could award.
    greedy = plan.greedy
    if (
        plan.saving_vs_greedy is not None
        and greedy is not None
        and greedy.total > 0
        and not plan_violations(greedy.lines, offers, constraints)
    ):
        saving = float(plan.saving_vs_greedy / plan.greedy.total * 100)
    return Outcome(seconds=plan.seconds, greedy_seconds=greedy_seconds, status=plan.status, saving_percent=saving)


def run(arguments: argparse.Namespace) -> int:
    rng = random.Random(arguments.seed)
    optimise(*_rfq(rng, 10, "without"))  # warm up: imports, HiGHS loaded
    print(f"{arguments.rfqs} random RFQs per class, seed {arguments.seed}, time limit {arguments.time_limit} s\n")
    header = (
        f"{'offers':>6} {'constraints':>11} {'p50 s':>7} {'p95 s':>7} {'max s':>7} {'greedy p50 ms':>13} "
        f"{'optimal':>8} {'no plan':>7} {'limit':>5} {'vs greedy':>9} {'saving mean %':>13} "
        f"{'saving max %':>12}  load (1/5/15 min)"
        "\n(optimal: share of the RFQs with a plan proven cheapest; no plan: proven, conflicts named; limit: time"
        " limit hit)"
    )
    print(header)
    failures: list[str] = []
    for size in SIZES:
        by_size: list[Outcome] = []
        for kind in KINDS:
            outcomes = [_solve(*_rfq(rng, size, kind), arguments.time_limit) for _number in range(arguments.rfqs)]
            by_size.extend(outcomes)
            _print_row(size, kind, outcomes)
        _print_row(size, "all", by_size)
        p95 = _percentile([outcome.seconds for outcome in by_size], 0.95)
        target, all_optimal = TARGETS.get(size, (None, False))
        if target is not None and p95 >= target:
            failures.append(f"{size} offers: p95 {p95:.3f} s >= {target} s")
        unproven = sum(outcome.status not in ("optimal", "infeasible") for outcome in by_size)
        if all_optimal and unproven:
            failures.append(f"{size} offers: {unproven} RFQs not solved to optimality")
    print("\n" + ("MISSED: " + "; ".join(failures) if failures else "All targets met."))
    return 1 if failures else 0


def _print_row(size: int, label: str, outcomes: list[Outcome]) -> None:
    seconds = [outcome.seconds for outcome in outcomes]
    greedy_ms = statistics.median(outcome.greedy_seconds for outcome in outcomes) * 1000
    planned = [outcome for outcome in outcomes if outcome.status in ("optimal", "feasible", "timeout")]
    optimal = f"{sum(o.status == 'optimal' for o in planned) / len(planned):.0%}" if planned else "-"
    no_plan = sum(outcome.status == "infeasible" for outcome in outcomes)
    limited = sum(outcome.status in ("feasible", "timeout") for outcome in outcomes)
    savings = [outcome.saving_percent for outcome in outcomes if outcome.saving_percent is not None]
    mean_saving = f"{statistics.mean(savings):.2f}" if savings else "-"
    max_saving = f"{max(savings):.2f}" if savings else "-"
    load = "/".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"{size:>6} {label:>11} {_percentile(seconds, 0.5):>7.3f} {_percentile(seconds, 0.95):>7.3f} "
        f"{max(seconds):>7.3f} {greedy_ms:>13.2f} {optimal:>8} {no_plan:>7} {limited:>5} {len(savings):>9} "
        f"{mean_saving:>13} {max_saving:>12}  {load}"
    )


def main(argv: list[str] | None = None) -> None:
    sys.exit(run(_arguments(argv)))


if __name__ == "__main__":
    main()
