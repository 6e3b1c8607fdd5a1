"""The demo accounts people log in with, and their companies."""

from __future__ import annotations

from dataclasses import dataclass

DEMO_DOMAIN = "demo.sourcebelt.local"
DEFAULT_PASSWORD = "sourcebelt-demo-2025"  # noqa: S105 - the published demo password, printed by seed_demo


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    language: str
    currency: str
    company: str | None
    country: str | None
    city: str = ""
    is_staff: bool = False


BUYER = DemoAccount(
    email=f"buyer@{DEMO_DOMAIN}",
    name="Nimal Perera",
    language="en",
    currency="LKR",
    company="Lanka Educational Supplies (Pvt) Ltd",
    country="LK",
    city="Colombo",
)
SUPPLIER = DemoAccount(
    email=f"supplier@{DEMO_DOMAIN}",
    name="王建国",
    language="zh-hans",
    currency="CNY",
    company="保定白沟华美箱包有限公司 (Baoding Baigou Huamei Bags Co., Ltd.)",
    country="CN",
    city="Baigou",
)
STAFF = DemoAccount(
    email=f"staff@{DEMO_DOMAIN}",
    name="SourceBelt Staff",
    language="en",
    currency="USD",
    company=None,
    country=None,
    is_staff=True,
)
ACCOUNTS = [BUYER, SUPPLIER, STAFF]

# The demo supplier's own profile (its categories by slug).
SUPPLIER_PROFILE = {
    "belt": "baigou-bags",
    "province": "hebei",
    "city": "Baigou",
    "categories": ["school-bags", "transparent-backpacks", "backpacks"],
    "business_type": "manufacturer",
}
