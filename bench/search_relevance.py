"""Labelled queries for `search_bench.py`: which products answer a query, decided from the word
lists `bench/generate_catalog.py` builds titles from (`suppliers/demo/products.py`).

A generated title is "{prefix}{colour}{modifier}{noun} {Prefix colour modifier noun}": the Chinese
then the English of one noun and one modifier of a product line, an optional colour and prefix.
So a product's noun is known exactly: the noun of the word lists whose English ends its title and
whose Chinese is in it (the longest such noun; "laptop backpack" rather than "backpack").

A labelled query names what a buyer typing it wants:

- `terms`: a product is relevant when its noun contains one of them (a Chinese term: as a substring
  of the noun's Chinese; a latin term: as whole words of the noun's English, case-insensitive;
  "title:" + a word: anywhere in the title), or when its category (the slug of its product line) is
  one of `categories`; but never when its noun is one of `exclude` (a waste bin mould is not a bin);
- `details`: what else the query asks for (a modifier or colour: "透明", "red"); each is a group of
  alternatives separated by "|", and each group must be in the title.

Grade 2: relevant and every detail in the title; grade 1: relevant, a detail missing; 0: not
relevant. Precision@10 is the share of the first 10 results of grade ≥ 1 (fewer than 10 results
count as misses); nDCG@10 uses the gain 2^grade − 1 and log2(rank + 1) discounts, against the ideal
order of the pooled judgements (the best 10 grades among the three systems' first 10 results, as
TREC pools): a query no system answers scores 0 for all. Queries with no relevant product at all
(`NO_MATCH`) are timed, not scored.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cache

from suppliers.demo.products import LINES


@dataclass(frozen=True)
class Labelled:
    query: str
    terms: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    details: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    kind: str = field(default="common")  # common, rare, misspelling


TOYS = ("stuffed-animals", "building-blocks", "toy-vehicles", "rc-toys", "mascot-toys")
PLUSH = ("stuffed-animals", "mascot-toys")
BAG_TERMS = ("书包", "school bag", "school backpack")

LABELLED: tuple[Labelled, ...] = (
    # Chinese, common
    Labelled("包", ("包",)),
    Labelled("书包", BAG_TERMS),
    Labelled("双肩包", ("双肩包", "backpack")),
    Labelled("背包", ("背包", "backpack")),
    Labelled("桶", ("桶",), exclude=("垃圾桶模具",)),
    Labelled("垃圾桶", ("垃圾桶",), exclude=("垃圾桶模具",)),
    Labelled("玩具", ("玩具",), categories=TOYS),
    Labelled("手套", ("手套",)),
    Labelled("水杯", ("水杯", "运动水壶")),
    Labelled("扳手", ("扳手",)),
    Labelled("面料", ("面料",), categories=("silk-fabrics", "polyester-fabrics")),
    Labelled("笔", ("笔",), exclude=("笔记本",)),
    Labelled("透明书包", BAG_TERMS, details=("透明",)),
    Labelled("垃圾分类垃圾桶", ("分类垃圾桶",)),
    Labelled("儿童羽绒服", ("羽绒服", "羽绒外套")),
    Labelled("毛绒玩具", ("毛绒",), categories=PLUSH),
    Labelled("丁腈手套", ("丁腈手套",)),
    Labelled("不锈钢保温杯", ("保温杯",), details=("不锈钢",)),
    Labelled("保温杯", ("保温杯", "保温壶")),
    Labelled("电风扇", ("扇",), categories=("electric-fans",)),
    Labelled("圣诞树", ("圣诞树",)),
    Labelled("积木", ("积木",)),
    Labelled("遥控车", ("遥控车",)),
    Labelled("拉杆箱", ("拉杆箱", "行李箱", "登机箱")),
    Labelled("太阳镜", ("太阳镜", "墨镜")),
    Labelled("红色书包", BAG_TERMS, details=("红色",)),
    Labelled("中性笔", ("中性笔",)),
    Labelled("保鲜盒", ("保鲜盒", "密封盒")),
    # Chinese, rare
    Labelled("丁腈胶乳", ("丁腈胶乳",), kind="rare"),
    Labelled("桑蚕丝", ("桑蚕丝",), kind="rare"),
    Labelled("眼镜架", ("眼镜架", "镜框"), kind="rare"),
    Labelled("反光背心", ("反光背心",), kind="rare"),
    Labelled("树脂镜片", ("树脂镜片",), kind="rare"),
    Labelled("四分类垃圾桶", ("四分类垃圾桶",), kind="rare"),
    # English, common
    Labelled("backpack", ("backpack",)),
    Labelled("sorting bin", ("sorting bin",)),
    Labelled("transparent school backpack", BAG_TERMS, details=("transparent|clear",)),
    Labelled("plush toy", ("plush",), categories=PLUSH),
    Labelled("nitrile gloves", ("nitrile gloves",)),
    Labelled("stainless steel", ("title:stainless",)),
    Labelled("teddy bear", ("teddy bear",)),
    Labelled("electric kettle", ("kettle",)),
    Labelled("suitcase", ("suitcase",), categories=("trolley-cases",)),
    Labelled("sunglasses", ("sunglasses", "shades")),
    Labelled("wrench", ("wrench", "spanner")),
    Labelled("notebook", ("notebook", "exercise book", "journal")),
    Labelled("balloon", ("balloon",)),
    Labelled("red backpack", ("backpack",), details=("red",)),
    Labelled("waterproof oxford school bag", BAG_TERMS, details=("waterproof oxford",)),
    Labelled("hair clip", ("hair clip",)),
    # English, rare
    Labelled("cordless drill", ("drill",), details=("cordless",), kind="rare"),
    Labelled("mulberry silk", ("mulberry silk",), kind="rare"),
    Labelled("nitrile latex", ("nitrile latex",), kind="rare"),
    Labelled("PLA pellets", ("pla pellets",), kind="rare"),
    Labelled("reflective vest", ("reflective vest",), kind="rare"),
    Labelled("oil-filled radiator", ("oil-filled radiator",), kind="rare"),
    # Misspellings
    Labelled("bakcpack", ("backpack",), kind="misspelling"),
    Labelled("plsuh toy", ("plush",), categories=PLUSH, kind="misspelling"),
    Labelled("nitril gloves", ("nitrile gloves",), kind="misspelling"),
    Labelled("sunglases", ("sunglasses", "shades"), kind="misspelling"),
    Labelled("suitcse", ("suitcase",), categories=("trolley-cases",), kind="misspelling"),
    Labelled("teddy baer", ("teddy bear",), kind="misspelling"),
    Labelled("stainles steel kettle", ("kettle",), details=("stainless",), kind="misspelling"),
    Labelled("双间包", ("双肩包", "backpack"), kind="misspelling"),  # 间 for 肩 (both jiān)
)

# Queries no product answers (timed in the bench's no-match class).
NO_MATCH = ("zzqxv", "量子计算机", "helicopter turbine", "NO-SUCH-SKU-0001")


@cache
def _nouns() -> list[tuple[str, str]]:
    """Every noun of the word lists, (Chinese, English lower-case), longest English first."""
    nouns = {(zh, en.lower()) for line in LINES for zh, en in line.nouns}
    return sorted(nouns, key=lambda noun: -len(noun[1]))


def noun_of(title: str) -> tuple[str, str] | None:
    """The noun a generated title was built with (None for a title not from the word lists)."""
    lower = title.lower()
    for zh, en in _nouns():
        if lower.endswith(en) and zh in title:
            return zh, en
    return None


def _has_term(term: str, noun: tuple[str, str], title: str) -> bool:
    if term.startswith("title:"):
        return term[len("title:") :].lower() in title.lower()
    if re.search(r"[\u4e00-\u9fff]", term):
        return term in noun[0]
    return re.search(rf"(?<![\w-]){re.escape(term.lower())}(?![\w-])", noun[1]) is not None


def grade(label: Labelled, title: str, category_slug: str) -> int:
    """0, 1 or 2 (see the module's docstring)."""
    noun = noun_of(title) or ("", "")
    if noun[0] in label.exclude:
        return 0
    relevant = category_slug in label.categories or any(_has_term(term, noun, title) for term in label.terms)
    if not relevant:
        return 0
    lower = title.lower()
    detailed = all(any(part.lower() in lower for part in group.split("|")) for group in label.details)
    return 2 if detailed else 1


def precision_at(grades: list[int], k: int = 10) -> float:
    return sum(1 for value in grades[:k] if value >= 1) / k


def _dcg(grades: list[int]) -> float:
    return sum((2**value - 1) / math.log2(rank + 2) for rank, value in enumerate(grades))


def ndcg_at(grades: list[int], pool: list[int], k: int = 10) -> float:
    """nDCG@k of `grades` against the ideal order of the pooled grades."""
    ideal = _dcg(sorted(pool, reverse=True)[:k])
    return _dcg(grades[:k]) / ideal if ideal > 0 else 0.0
