"""The exact split award of an RFQ: which quotes get how many units, at the lowest landed total.

A mixed-integer program solved by HiGHS (`scipy.optimize.milp`), written out in docs/allocation.md:
one quantity and one yes/no per (quote, price tier) segment, so that the all-units tier follows
the quantity a quote is given; fixed freight is paid once when a quote is used. Once HiGHS has
chosen the tiers, the quantities are set in whole units exactly (`_whole_units`). The program's
objective is in floating point; the plan's total is then priced exactly, line by line, by the one
pricing rule (`marketplace.pricing`), rounded as an order stores it.

Pure Python and scipy: no database. The caller turns quotes into `Offer`s and the buyer's wishes
into `Constraints`; `optimise` returns a `Plan` with the lines, the exact total, the optimality gap,
a reason per offer (codes and facts, rendered by `buyers.allocation.reasons`), the constraints that
cannot hold when there is no plan, and two baselines the page measures savings against.
"""

from __future__ import annotations

import itertools
import math
import statistics
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_FLOOR, Decimal, localcontext
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, OptimizeResult, milp
from scipy.sparse import csr_array

from marketplace.pricing import PriceTerms, convert_round

# Conflict codes, in the order they are reported (the offers' own limits first, then the buyer's).
CONFLICT_CODES = (
    "quantity",
    "max_share",
    "min_suppliers",
    "max_suppliers",
    "min_belts",
    "min_provinces",
    "required",
    "excluded",
    "late",
    "over_delivery",
)
# The buyer's constraints the conflict search may lift one at a time (and in pairs): all but the
# offers' own limits.
RELAXABLE = CONFLICT_CODES[1:]
# HiGHS stops at this relative gap. Its default (1e-4) would leave up to 100 in a 1,000,000 total
# on the table; at 1e-9 the float objective is exact to well below a cent, and the bench shows the
# 200-offer instances still solve in well under a second.
MIP_RELATIVE_GAP = 1e-9
# scipy's `milp` status codes.
_OPTIMAL, _LIMIT, _INFEASIBLE = 0, 1, 2
UNIT_FACT_PLACES = 4  # landed unit costs and unit prices in facts: 4 decimals of the buyer's currency


@dataclass(frozen=True)
class Offer:
    """One quote as the optimiser sees it."""

    key: int  # the quote id
    supplier: int  # the supplier id
    terms: PriceTerms  # in the offer's own currency
    rate: Decimal  # 1 unit of the offer's currency in the buyer's currency
    places: int = 2  # decimal places of the offer's currency
    late: bool = False
    belt: str | None = None
    province: str | None = None


@dataclass(frozen=True)
class Constraints:
    """What the buyer asks of the split; `excluded` and `required` are offer keys."""

    quantity: int
    target_places: int = 2  # decimal places of the buyer's currency
    over_delivery_percent: Decimal = Decimal(0)
    max_share_percent: Decimal | None = None
    min_suppliers: int | None = None
    max_suppliers: int | None = None
    min_belts: int | None = None
    min_provinces: int | None = None
    excluded: frozenset[int] = frozenset()
    required: frozenset[int] = frozenset()
    allow_late: bool = False


@dataclass(frozen=True)
class Reason:
    """Why an offer got what it got: a stable code and the facts the sentence is made of."""

    code: str
    facts: dict[str, object]


@dataclass(frozen=True)
class Baseline:
    """A plan made another way (greedy, or one supplier), priced exactly like the optimiser's."""

    lines: dict[int, int]
    total: Decimal


@dataclass
class Plan:
    """The optimiser's answer.

    `status`: "optimal" (proved cheapest; HiGHS's gap below MIP_RELATIVE_GAP), "feasible" (the time
    limit hit: the best plan found, `gap` says how far from the proven bound it may be),
    "infeasible" (`conflicts` name the constraints that cannot hold), "timeout" (the time limit hit
    before any plan was found) or "empty" (no offers).
    """

    status: str
    lines: dict[int, int]
    total: Decimal | None
    gap: float | None
    reasons: dict[int, Reason]
    conflicts: list[str]
    greedy: Baseline | None
    single: Baseline | None
    seconds: float

    @property
    def saving_vs_greedy(self) -> Decimal | None:
        if self.total is None or self.greedy is None:
            return None
        return self.greedy.total - self.total

    @property
    def saving_vs_single(self) -> Decimal | None:
        if self.total is None or self.single is None:
            return None
        return self.single.total - self.total


# ---------------------------------------------------------------------------------------------
# The rules every plan is measured by


def landed_cost(offer: Offer, quantity: int, *, target_places: int) -> Decimal:
    """`quantity` units of `offer` landed, in the buyer's currency, rounded per line as an order is."""
    line = offer.terms.line(quantity, places=offer.places)
    return convert_round(line.landed, offer.rate, target_places)


def share_cap(constraints: Constraints) -> int | None:
    """The most one supplier may get: floor(quantity × max share % / 100); None without a cap."""
    if constraints.max_share_percent is None:
        return None
    return _floor(Decimal(constraints.quantity) * constraints.max_share_percent / 100)


def delivery_ceiling(constraints: Constraints) -> int:
    """The most the plan may deliver: floor(quantity × (1 + tolerance % / 100))."""
    return _floor(Decimal(constraints.quantity) * (1 + constraints.over_delivery_percent / 100))


def _floor(amount: Decimal) -> int:
    with localcontext() as ctx:
        ctx.prec = 38
        return int(amount.to_integral_value(rounding=ROUND_FLOOR))


def _usable(offer: Offer, constraints: Constraints) -> bool:
    """Not excluded, and ready in time unless the buyer accepts late offers."""
    return offer.key not in constraints.excluded and (constraints.allow_late or not offer.late)


def _offered(offer: Offer) -> float:
    return math.inf if offer.terms.maximum is None else offer.terms.maximum


def plan_violations(lines: Mapping[int, int], offers: Sequence[Offer], constraints: Constraints) -> list[str]:
    """The conflict codes a plan breaks, in CONFLICT_CODES order; [] when it meets every constraint.

    "quantity" also covers a line outside its offer's own minimum and maximum.
    """
    by_key = {offer.key: offer for offer in offers}
    unknown = set(lines) - set(by_key)
    if unknown:
        raise ValueError(f"lines for offers not given: {sorted(unknown)}")
    used = {key: quantity for key, quantity in lines.items() if quantity != 0}
    if any(quantity < 0 for quantity in used.values()):
        raise ValueError("a line has a negative quantity")
    broken: set[str] = set()
    delivered = sum(used.values())
    if delivered < constraints.quantity:
        broken.add("quantity")
    if delivered > delivery_ceiling(constraints):
        broken.add("over_delivery")
    per_supplier: dict[int, int] = defaultdict(int)
    for key, quantity in used.items():
        offer = by_key[key]
        per_supplier[offer.supplier] += quantity
        if quantity < offer.terms.minimum or quantity > _offered(offer):
            broken.add("quantity")
        if key in constraints.excluded:
            broken.add("excluded")
        if offer.late and not constraints.allow_late:
            broken.add("late")
    cap = share_cap(constraints)
    if cap is not None and any(total > cap for total in per_supplier.values()):
        broken.add("max_share")
    if constraints.min_suppliers is not None and len(per_supplier) < constraints.min_suppliers:
        broken.add("min_suppliers")
    if constraints.max_suppliers is not None and len(per_supplier) > constraints.max_suppliers:
        broken.add("max_suppliers")
    belts = {by_key[key].belt for key in used} - {None}
    if constraints.min_belts is not None and len(belts) < constraints.min_belts:
        broken.add("min_belts")
    provinces = {by_key[key].province for key in used} - {None}
    if constraints.min_provinces is not None and len(provinces) < constraints.min_provinces:
        broken.add("min_provinces")
    if not constraints.required <= set(used):
        broken.add("required")
    return [code for code in CONFLICT_CODES if code in broken]


def _priced(lines: Mapping[int, int], offers: Sequence[Offer], constraints: Constraints) -> Decimal:
    by_key = {offer.key: offer for offer in offers}
    return sum(
        (
            landed_cost(by_key[key], quantity, target_places=constraints.target_places)
            for key, quantity in lines.items()
        ),
        Decimal(0),
    )


# ---------------------------------------------------------------------------------------------
# Baselines


def greedy_plan(offers: Sequence[Offer], constraints: Constraints) -> Baseline | None:
    """The old heuristic, made honest: cheapest landed unit cost first, each offer given what it
    offers, what remains and what one supplier may have, whichever is least; a piece below the
    offer's minimum is skipped. None when it cannot cover the quantity."""
    cap = share_cap(constraints)
    ranked: list[tuple[Decimal, int, Offer]] = []
    for offer in offers:
        if not _usable(offer, constraints):
            continue
        full = _full_quantity(offer, constraints.quantity)
        if full < offer.terms.minimum:
            continue
        unit = landed_cost(offer, full, target_places=constraints.target_places) / full
        ranked.append((unit, offer.key, offer))
    ranked.sort(key=lambda entry: (entry[0], entry[1]))
    remaining = constraints.quantity
    given: dict[int, int] = defaultdict(int)
    lines: dict[int, int] = {}
    for _unit, _key, offer in ranked:
        if remaining == 0:
            break
        piece = min(_full_quantity(offer, constraints.quantity), remaining)
        if cap is not None:
            piece = min(piece, cap - given[offer.supplier])
        if piece <= 0 or piece < offer.terms.minimum:
            continue
        lines[offer.key] = piece
        given[offer.supplier] += piece
        remaining -= piece
    if remaining > 0:
        return None
    return Baseline(lines=lines, total=_priced(lines, offers, constraints))


def _full_quantity(offer: Offer, quantity: int) -> int:
    """What an offer offers; an offer without a maximum offers the whole RFQ (or its minimum)."""
    if offer.terms.maximum is not None:
        return offer.terms.maximum
    return max(quantity, offer.terms.minimum)


def best_single(offers: Sequence[Offer], constraints: Constraints) -> Baseline | None:
    """The cheapest offer that covers exactly the quantity alone, within its minimum and maximum.

    Share cap and supplier counts are ignored (it is the one-supplier comparison); excluded and
    late offers are not considered."""
    best: Baseline | None = None
    quantity = constraints.quantity
    for offer in sorted(offers, key=lambda offer: offer.key):
        if not _usable(offer, constraints) or not offer.terms.minimum <= quantity <= _offered(offer):
            continue
        total = landed_cost(offer, quantity, target_places=constraints.target_places)
        if best is None or total < best.total:
            best = Baseline(lines={offer.key: quantity}, total=total)
    return best


# ---------------------------------------------------------------------------------------------
# The program


@dataclass(frozen=True)
class _Segment:
    """The quantities of one offer priced at one tier: [low, high] units at `unit_cost` each."""

    low: int
    high: int
    unit_price: Decimal  # in the offer's currency, from the pricing rule
    unit_cost: float  # landed per unit in the buyer's currency (goods and per-unit freight)


def _most_for(offer: Offer, cap: int | None, ceiling: float) -> float:
    """The most one offer can be given: what it offers, the share cap, the delivery ceiling."""
    return min(_offered(offer), math.inf if cap is None else cap, ceiling)


def _segments(offer: Offer, most: float) -> list[_Segment]:
    """The offer's tiers cut to what it may be given; empty ranges dropped."""
    terms = offer.terms
    per_unit_freight = terms.freight if terms.freight_per_unit else Decimal(0)
    found: list[_Segment] = []
    for position, (start, _price) in enumerate(terms.tiers):
        low = max(start, terms.minimum)
        following = terms.tiers[position + 1][0] - 1 if position + 1 < len(terms.tiers) else math.inf
        high = min(following, most)
        if low > high:
            continue
        unit_price = terms.unit_price(low)  # the pricing rule decides; the segment only bounds it
        found.append(
            _Segment(
                low=low,
                high=int(high),
                unit_price=unit_price,
                unit_cost=float((unit_price + per_unit_freight) * offer.rate),
            )
        )
    return found


def _fixed_cost(offer: Offer) -> float:
    return 0.0 if offer.terms.freight_per_unit else float(offer.terms.freight * offer.rate)


Expression = list[tuple[int, float]]  # column, coefficient


class _Program:
    """A MILP under construction: columns within [0, upper] and rows lower ≤ Σ coef·column ≤ upper."""

    def __init__(self) -> None:
        self.costs: list[float] = []
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []
        self.entries: list[tuple[int, int, float]] = []  # row, column, coefficient
        self.integer: list[bool] = []
        # (yes/no column, offer position, segment) of every segment, to read a solution back.
        self.segments: list[tuple[int, int, _Segment]] = []
        self.infeasible = False  # a row with no columns that cannot hold
        self.reference = 1.0  # the landed unit cost (buyer's currency) one unit of objective stands for

    def column(self, *, cost: float, upper: float, integer: bool) -> int:
        self.costs.append(cost)
        self.integer.append(integer)
        self.lower.append(0.0)
        self.upper.append(upper)
        return len(self.costs) - 1

    def row(self, expression: Iterable[tuple[int, float]], *, lower: float, upper: float) -> None:
        terms = list(expression)
        if not terms:
            self.infeasible = self.infeasible or lower > 0 or upper < 0
            return
        number = len(self.row_lower)
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        self.entries.extend((number, column, coefficient) for column, coefficient in terms)

    def solve(self, *, time_limit: float, presolve: bool = True) -> OptimizeResult:
        size = len(self.costs)
        rows, columns, values = zip(*self.entries, strict=True) if self.entries else ((), (), ())
        matrix = csr_array((values, (rows, columns)), shape=(len(self.row_lower), size))
        return milp(
            c=np.array(self.costs),
            integrality=np.array(self.integer, dtype=np.int8),
            bounds=Bounds(np.array(self.lower), np.array(self.upper)),
            constraints=[LinearConstraint(matrix, np.array(self.row_lower), np.array(self.row_upper))]
            if self.row_lower
            else [],
            options={"time_limit": max(time_limit, 0.001), "presolve": presolve, "mip_rel_gap": MIP_RELATIVE_GAP},
        )


def _build(
    offers: Sequence[Offer], constraints: Constraints, *, relaxed: frozenset[str] = frozenset(), costs: bool = True
) -> _Program:
    """The program for `offers` under `constraints`, with the `relaxed` buyer constraints lifted.

    With `costs` False every cost is zero: a feasibility question, which HiGHS answers faster.
    Costs are divided by a reference landed unit cost so the objective is about the quantity
    (coefficients near 1 whatever the currency), which keeps HiGHS's tolerances meaningful.
    """
    if "max_share" in relaxed:
        constraints = replace(constraints, max_share_percent=None)
    if "excluded" in relaxed:
        constraints = replace(constraints, excluded=frozenset())
    if "late" in relaxed:
        constraints = replace(constraints, allow_late=True)
    required = frozenset() if "required" in relaxed else constraints.required
    cap = share_cap(constraints)
    ceiling = delivery_ceiling(constraints)
    if "over_delivery" in relaxed:
        # Any plan can give units back down to the offers' minimums, so this much always suffices.
        ceiling = max(ceiling, constraints.quantity + sum(offer.terms.minimum for offer in offers))
    program = _Program()

    included = [(position, offer) for position, offer in enumerate(offers) if _usable(offer, constraints)]
    segments = {position: _segments(offer, _most_for(offer, cap, ceiling)) for position, offer in included}
    cheapest = [min(segment.unit_cost for segment in found) for found in segments.values() if found]
    reference = statistics.median(cheapest) if cheapest else 1.0
    reference = reference if reference > 0 else 1.0

    program.reference = reference
    used: dict[int, Expression] = {}  # offer position -> Σ of its segments' yes/no columns
    all_quantities: Expression = []
    supplier_quantities: dict[int, Expression] = defaultdict(list)
    for position, offer in included:
        fixed = _fixed_cost(offer) / reference if costs else 0.0
        chosen: Expression = []
        for segment in segments[position]:
            # The quantity is continuous here, see _whole_units: whole units are restored exactly.
            quantity = program.column(
                cost=segment.unit_cost / reference if costs else 0.0, upper=segment.high, integer=False
            )
            chosen_column = program.column(cost=fixed, upper=1, integer=True)
            program.segments.append((chosen_column, position, segment))
            # quantity ≤ high·chosen and quantity ≥ low·chosen: used within the tier, or not at all.
            program.row([(quantity, 1.0), (chosen_column, -float(segment.high))], lower=-math.inf, upper=0)
            program.row([(quantity, 1.0), (chosen_column, -float(segment.low))], lower=0, upper=math.inf)
            chosen.append((chosen_column, 1.0))
            all_quantities.append((quantity, 1.0))
            supplier_quantities[offer.supplier].append((quantity, 1.0))
        used[position] = chosen
        program.row(chosen, lower=1 if offer.key in required else 0, upper=1)  # one tier at most
    # A required offer that is not even in the program (excluded, late) makes it infeasible.
    if required - {offer.key for _position, offer in included}:
        program.infeasible = True

    program.row(all_quantities, lower=constraints.quantity, upper=ceiling)

    by_supplier: dict[int, list[int]] = defaultdict(list)
    for position, offer in included:
        by_supplier[offer.supplier].append(position)
    if cap is not None:
        for supplier, positions in by_supplier.items():
            if len(positions) > 1:  # one offer's columns are already bounded by the cap
                program.row(supplier_quantities[supplier], lower=0, upper=cap)

    min_suppliers = None if "min_suppliers" in relaxed else constraints.min_suppliers
    max_suppliers = None if "max_suppliers" in relaxed else constraints.max_suppliers
    if min_suppliers is not None or max_suppliers is not None:
        suppliers_used: Expression = []
        for positions in by_supplier.values():
            if len(positions) == 1:
                suppliers_used.extend(used[positions[0]])
                continue
            # A supplier with several offers is used when any of them is.
            supplier_column = program.column(cost=0.0, upper=1, integer=True)
            offers_used: Expression = []
            for position in positions:
                program.row([*used[position], (supplier_column, -1.0)], lower=-math.inf, upper=0)
                offers_used.extend(used[position])
            program.row([(supplier_column, 1.0), *((c, -k) for c, k in offers_used)], lower=-math.inf, upper=0)
            suppliers_used.append((supplier_column, 1.0))
        program.row(
            suppliers_used,
            lower=min_suppliers or 0,
            upper=math.inf if max_suppliers is None else max_suppliers,
        )

    for code, attribute in (("min_belts", "belt"), ("min_provinces", "province")):
        wanted = None if code in relaxed else getattr(constraints, f"min_{attribute}s")
        if not wanted or wanted <= 0:
            continue
        groups: dict[str, Expression] = defaultdict(list)
        for position, offer in included:
            name = getattr(offer, attribute)
            if name is not None:
                groups[name].extend(used[position])
        covered: Expression = []
        for members in groups.values():
            # The group counts only when one of its offers is used.
            group_column = program.column(cost=0.0, upper=1, integer=True)
            program.row([(group_column, 1.0), *((c, -k) for c, k in members)], lower=-math.inf, upper=0)
            covered.append((group_column, 1.0))
        program.row(covered, lower=wanted, upper=math.inf)
    return program


def _lines_of(
    program: _Program, offers: Sequence[Offer], constraints: Constraints, solution: np.ndarray
) -> dict[int, int] | None:
    """The plan in whole units for the tiers a solution chose (None if they cannot make one)."""
    chosen = [(position, segment) for column, position, segment in program.segments if solution[column] > 0.5]
    return _whole_units(chosen, offers, constraints)


def _whole_units(
    chosen: Sequence[tuple[int, _Segment]], offers: Sequence[Offer], constraints: Constraints
) -> dict[int, int] | None:
    """The cheapest whole-unit quantities once the tier of every used offer is chosen.

    With the tiers fixed, what remains is linear: each offer within its tier's range, the sum at
    least the quantity, each supplier within the cap. Those sums are nested (a supplier's offers
    inside the whole), so the matrix is totally unimodular and the continuous optimum the program
    found is also reached in whole units; this greedy reaches it: every offer at its tier's low end,
    then the missing units to the cheapest first, as far as its tier and its supplier's cap allow
    (optimal for a linear cost over nested capacities). It is why the program may keep the
    quantities continuous: declared integer, HiGHS spent seconds at the root on the 200-offer bench
    (see docs/allocation.md); continuous, tens of milliseconds, same optimum.
    """
    cap = share_cap(constraints)
    quantities: dict[int, int] = {}
    given: dict[int, int] = defaultdict(int)
    for position, segment in chosen:
        quantities[position] = segment.low
        given[offers[position].supplier] += segment.low
    missing = constraints.quantity - sum(quantities.values())
    for position, segment in sorted(chosen, key=lambda entry: (entry[1].unit_cost, offers[entry[0]].key)):
        if missing <= 0:
            break
        supplier = offers[position].supplier
        room = segment.high - segment.low if cap is None else min(segment.high - segment.low, cap - given[supplier])
        added = max(0, min(room, missing))
        quantities[position] += added
        given[supplier] += added
        missing -= added
    if missing > 0:
        return None
    return {offers[position].key: quantity for position, quantity in quantities.items()}


def _run(program: _Program, *, time_limit: float) -> OptimizeResult | None:
    """Solve; None when the program is infeasible before HiGHS sees it."""
    if program.infeasible:
        return None
    started = time.perf_counter()
    result = program.solve(time_limit=time_limit)
    if result.status not in (_OPTIMAL, _LIMIT, _INFEASIBLE):
        # "Unbounded or infeasible" from presolve (every column here is bounded, so it is the
        # latter) or a solver hiccup: ask again without presolve for a definite answer.
        result = program.solve(time_limit=time_limit - (time.perf_counter() - started), presolve=False)
        if result.status not in (_OPTIMAL, _LIMIT, _INFEASIBLE):
            raise RuntimeError(f"HiGHS could not solve the allocation: {result.message}")
    return result


# ---------------------------------------------------------------------------------------------
# Why there is no plan


def _necessary_conflicts(offers: Sequence[Offer], constraints: Constraints) -> list[str]:
    """Cheap checks every plan needs to pass; the first one that fails, with the buyer
    constraints that would let it pass (late, excluded offers) named after it."""
    by_key = {offer.key: offer for offer in offers}
    cap = share_cap(constraints)
    ceiling = delivery_ceiling(constraints)
    found: set[str] = set()
    required = [by_key.get(key) for key in sorted(constraints.required)]
    for offer in required:
        if offer is None:
            found.add("required")  # required a quote that is not among the offers
            continue
        if offer.key in constraints.excluded:
            found |= {"required", "excluded"}
        if offer.late and not constraints.allow_late:
            found |= {"required", "late"}
        if offer.terms.minimum > _offered(offer):
            found.add("required")
        if cap is not None and offer.terms.minimum > cap:
            found |= {"required", "max_share"}
        if offer.terms.minimum > ceiling:
            found |= {"required", "over_delivery"}
    present = [offer for offer in required if offer is not None]
    if sum(offer.terms.minimum for offer in present) > ceiling:
        found |= {"required", "over_delivery"}
    if cap is not None:
        minimums: dict[int, int] = defaultdict(int)
        for offer in present:
            minimums[offer.supplier] += offer.terms.minimum
        if any(total > cap for total in minimums.values()):
            found |= {"required", "max_share"}
    if constraints.max_suppliers is not None and len({offer.supplier for offer in present}) > constraints.max_suppliers:
        found |= {"required", "max_suppliers"}
    if found:
        return [code for code in CONFLICT_CODES if code in found]

    checks = _pool_checks(constraints, cap=cap, ceiling=ceiling)
    pool = [offer for offer in offers if _usable(offer, constraints)]
    with_late = [offer for offer in offers if _usable(offer, replace(constraints, allow_late=True))]
    with_excluded = [offer for offer in offers if _usable(offer, replace(constraints, excluded=frozenset()))]
    for code, holds in checks:
        if holds(pool):
            continue
        found = {code}
        if not constraints.allow_late and len(with_late) > len(pool) and holds(with_late):
            found.add("late")
        if constraints.excluded and len(with_excluded) > len(pool) and holds(with_excluded):
            found.add("excluded")
        return [code for code in CONFLICT_CODES if code in found]
    return []


def _pool_checks(constraints: Constraints, *, cap: int | None, ceiling: int) -> list[tuple[str, Any]]:
    """(code, test of a pool of offers) for each necessary condition, most fundamental first."""
    quantity = constraints.quantity

    def takes_part(offer: Offer) -> bool:
        return offer.terms.minimum <= _most_for(offer, cap, ceiling)

    def supplier_room(pool: Sequence[Offer]) -> list[float]:
        room: dict[int, float] = defaultdict(float)
        for offer in pool:
            if takes_part(offer):
                room[offer.supplier] += _offered(offer)
        return [min(total, math.inf if cap is None else cap) for total in room.values()]

    def covers(pool: Sequence[Offer]) -> bool:
        return sum(_offered(offer) for offer in pool) >= quantity

    def covers_under_cap(pool: Sequence[Offer]) -> bool:
        room: dict[int, float] = defaultdict(float)
        for offer in pool:
            if cap is None or offer.terms.minimum <= cap:
                room[offer.supplier] += _offered(offer)
        return sum(min(total, math.inf if cap is None else cap) for total in room.values()) >= quantity

    def some_minimum_fits(pool: Sequence[Offer]) -> bool:
        return any(takes_part(offer) for offer in pool)

    def enough_suppliers(pool: Sequence[Offer]) -> bool:
        return len(supplier_room(pool)) >= (constraints.min_suppliers or 0)

    def enough_of(attribute: str, wanted: int | None) -> Any:
        def holds(pool: Sequence[Offer]) -> bool:
            names = {getattr(offer, attribute) for offer in pool if takes_part(offer)} - {None}
            return len(names) >= (wanted or 0)

        return holds

    def few_suppliers_cover(pool: Sequence[Offer]) -> bool:
        if constraints.max_suppliers is None:
            return True
        largest = sorted(supplier_room(pool), reverse=True)[: constraints.max_suppliers]
        return sum(largest) >= quantity

    return [
        ("quantity", covers),
        ("max_share", covers_under_cap),
        ("over_delivery", some_minimum_fits),
        ("min_suppliers", enough_suppliers),
        ("min_belts", enough_of("belt", constraints.min_belts)),
        ("min_provinces", enough_of("province", constraints.min_provinces)),
        ("max_suppliers", few_suppliers_cover),
    ]


def _active_relaxations(offers: Sequence[Offer], constraints: Constraints) -> list[str]:
    """The buyer constraints that restrict these offers at all (lifting the others changes nothing)."""
    keys = {offer.key for offer in offers}
    active = {
        "max_share": constraints.max_share_percent is not None,
        "min_suppliers": (constraints.min_suppliers or 0) > 1,
        "max_suppliers": constraints.max_suppliers is not None,
        "min_belts": (constraints.min_belts or 0) > 0,
        "min_provinces": (constraints.min_provinces or 0) > 0,
        "required": bool(constraints.required),
        "excluded": bool(constraints.excluded & keys),
        "late": not constraints.allow_late and any(offer.late for offer in offers),
        "over_delivery": True,
    }
    return [code for code in RELAXABLE if active[code]]


def _relaxation_conflicts(offers: Sequence[Offer], constraints: Constraints, *, deadline: float) -> list[str]:
    """The buyer constraints whose removal makes a plan possible: one at a time, then in pairs.

    When no single one or pair helps but lifting all of them does, all are named; when even that
    does not help, the offers cannot make up the quantity ("quantity")."""
    active = _active_relaxations(offers, constraints)

    def feasible(relaxed: Iterable[str]) -> bool:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            return False
        result = _run(_build(offers, constraints, relaxed=frozenset(relaxed), costs=False), time_limit=remaining)
        return result is not None and result.x is not None

    singles = [code for code in active if feasible([code])]
    if singles:
        return singles
    found: set[str] = set()
    for pair in itertools.combinations(active, 2):
        if feasible(pair):
            found.update(pair)
    if found:
        return [code for code in CONFLICT_CODES if code in found]
    if len(active) > 2 and feasible(active):
        return list(active)
    return ["quantity"]


# ---------------------------------------------------------------------------------------------
# Why each offer got what it got


def _unit_fact(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal(1).scaleb(-UNIT_FACT_PLACES))


def _reasons(
    offers: Sequence[Offer], constraints: Constraints, lines: Mapping[int, int], *, planned: bool
) -> dict[int, Reason]:
    cap = share_cap(constraints)
    ceiling = delivery_ceiling(constraints)
    places = constraints.target_places
    by_key = {offer.key: offer for offer in offers}
    per_supplier: dict[int, int] = defaultdict(int)
    for key, quantity in lines.items():
        per_supplier[by_key[key].supplier] += quantity
    dearest = max(
        (landed_cost(by_key[key], quantity, target_places=places) / quantity for key, quantity in lines.items()),
        default=None,
    )
    reasons: dict[int, Reason] = {}
    for offer in offers:
        quantity = lines.get(offer.key, 0)
        terms = offer.terms
        if quantity:
            landed = landed_cost(offer, quantity, target_places=places)
            facts: dict[str, object] = {
                "quantity": quantity,
                "landed": landed,
                "landed_unit": _unit_fact(landed / quantity),
            }
            breaks = [
                (start, price)
                for position, (start, price) in enumerate(terms.tiers)
                if position > 0 and price < terms.tiers[position - 1][1]
            ]
            tier = next(((start, price) for start, price in breaks if start == quantity), None)
            if terms.maximum is not None and quantity == terms.maximum:
                reasons[offer.key] = Reason("all_offered", facts)
            elif cap is not None and per_supplier[offer.supplier] == cap:
                reasons[offer.key] = Reason("share_cap", {**facts, "percent": constraints.max_share_percent})
            elif quantity == terms.minimum:
                reasons[offer.key] = Reason("minimum", {**facts, "minimum": terms.minimum})
            elif tier is not None:
                unit_price = _unit_fact(convert_round(tier[1], offer.rate, UNIT_FACT_PLACES))
                reasons[offer.key] = Reason("tier_break", {**facts, "min_quantity": tier[0], "unit_price": unit_price})
            elif offer.key in constraints.required:
                reasons[offer.key] = Reason("required", facts)
            else:
                reasons[offer.key] = Reason("remainder", facts)
            continue
        most = _most_for(offer, cap, ceiling)
        if offer.key in constraints.excluded:
            reasons[offer.key] = Reason("excluded", {})
        elif offer.late and not constraints.allow_late:
            reasons[offer.key] = Reason("late", {})
        elif terms.minimum > most:
            reasons[offer.key] = Reason("minimum_too_large", {"minimum": terms.minimum, "most": int(most)})
        else:
            best = min(
                landed_cost(offer, segment.high, target_places=places) / segment.high
                for segment in _segments(offer, most)
            )
            if not planned:
                reasons[offer.key] = Reason("no_plan", {"landed_unit": _unit_fact(best)})
            elif dearest is not None and best > dearest:
                reasons[offer.key] = Reason(
                    "costlier", {"landed_unit": _unit_fact(best), "plan_unit": _unit_fact(dearest)}
                )
            else:
                reasons[offer.key] = Reason("not_needed", {"landed_unit": _unit_fact(best)})
    return reasons


# ---------------------------------------------------------------------------------------------
# The optimiser


def optimise(offers: Sequence[Offer], constraints: Constraints, *, time_limit: float = 10.0) -> Plan:
    """The cheapest split of `constraints.quantity` over `offers` that meets every constraint.

    `time_limit` (seconds) bounds the solve; when it hits, the best plan found is returned as
    "feasible" with its gap, or "timeout" when none was found. When no plan exists, the conflict
    search may take up to another `time_limit` (at least a second). The plan returned is the cheapest, priced exactly,
    of the program's answer and the two baselines when they meet the constraints (the program's
    float objective can differ from the rounded order lines by a few cents).
    """
    started = time.perf_counter()
    if constraints.quantity <= 0:
        raise ValueError("an RFQ asks for at least one unit")
    if len({offer.key for offer in offers}) != len(offers):
        raise ValueError("two offers share a key")
    greedy = greedy_plan(offers, constraints)
    single = best_single(offers, constraints)

    def answer(
        status: str, lines: dict[int, int], total: Decimal | None, gap: float | None, conflicts: list[str]
    ) -> Plan:
        return Plan(
            status=status,
            lines=lines,
            total=total,
            gap=gap,
            reasons=_reasons(offers, constraints, lines, planned=bool(lines)),
            conflicts=conflicts,
            greedy=greedy,
            single=single,
            seconds=time.perf_counter() - started,
        )

    if not offers:
        return answer("empty", {}, None, None, [])
    conflicts = _necessary_conflicts(offers, constraints)
    if conflicts:
        return answer("infeasible", {}, None, None, conflicts)

    program = _build(offers, constraints)
    result = _run(program, time_limit=time_limit - (time.perf_counter() - started))
    candidates: list[tuple[Decimal, int, dict[int, int]]] = []
    if result is not None and result.x is not None:
        lines = _lines_of(program, offers, constraints, result.x)
        if lines is None or plan_violations(lines, offers, constraints):
            # Cannot happen within HiGHS's tolerances (see _whole_units); never turn it into "no plan".
            raise RuntimeError(f"HiGHS's solution is no plan: {lines}, {result.message}")
        candidates.append((_priced(lines, offers, constraints), 0, lines))
    for rank, baseline in enumerate((greedy, single), start=1):
        if baseline is not None and not plan_violations(baseline.lines, offers, constraints):
            candidates.append((baseline.total, rank, baseline.lines))
    if candidates:
        total, _rank, lines = min(candidates, key=lambda candidate: (candidate[0], candidate[1]))
        gap = 0.0 if result is not None and result.status == _OPTIMAL else _gap(total, constraints, result, program)
        # Stopped by the time limit, yet proven within HiGHS's own tolerance: optimal all the same.
        return answer("optimal" if gap <= MIP_RELATIVE_GAP else "feasible", lines, total, gap, [])
    if result is not None and result.status == _LIMIT:
        return answer("timeout", {}, None, None, [])
    deadline = time.perf_counter() + max(time_limit, 1.0)
    return answer("infeasible", {}, None, None, _relaxation_conflicts(offers, constraints, deadline=deadline))


def _gap(total: Decimal, constraints: Constraints, result: OptimizeResult | None, program: _Program) -> float:
    """How far `total` may be above the cheapest plan, relative to `total`.

    The lower bound is the better of HiGHS's proven bound (when it got that far) and the quantity
    at the cheapest landed unit cost of any tier (always true, often weak)."""
    units = [segment.unit_cost for _column, _position, segment in program.segments]
    bound = constraints.quantity * min(units, default=0.0)
    if result is not None and result.get("mip_dual_bound") is not None and math.isfinite(result.mip_dual_bound):
        bound = max(bound, result.mip_dual_bound * program.reference)
    value = float(total)
    return max(0.0, (value - bound) / value) if value > 0 else 0.0
