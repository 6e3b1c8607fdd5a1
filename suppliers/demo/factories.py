"""The demo's suppliers: every demo belt's factories (an owner, a company in China and a supplier
profile each) and the profile of the demo supplier account.

`seed_demo_suppliers()` runs right after `marketplace.demo.seed_demo` (the `seed_demo` command
calls both), which seeds the categories, the belts and the demo accounts. Rows are upserted by
natural keys (e-mail, company name, the company's one profile), so seeding again changes nothing
but the owners' passwords, set again so the printed one works.
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.db import transaction

from marketplace.demo.accounts import DEMO_DOMAIN, SUPPLIER, SUPPLIER_PROFILE
from marketplace.demo.belts import BELTS, SUPPLIER_NAMES_ZH
from marketplace.demo.seed import demo_company, demo_owner, demo_user
from marketplace.models import Category, Company, IndustrialBelt
from marketplace.services.accounts import companies_selling_set
from suppliers.models import SupplierProfile


def _supplier_profile(
    *,
    company: Company,
    name: str,
    name_zh: str = "",
    belt: IndustrialBelt | None,
    province: str,
    city: str,
    categories: list[Category],
    business_type: str,
    verified: bool,
) -> None:
    defaults: dict[str, object] = {
        "name": name,
        "belt": belt,
        "province": province,
        "city": city,
        "business_type": business_type,
        "verification_status": (
            SupplierProfile.Verification.VERIFIED if verified else SupplierProfile.Verification.PENDING
        ),
        "is_active": True,
    }
    if name_zh:  # a Chinese name the supplier typed itself is kept when the demo has none
        defaults["name_zh"] = name_zh
    profile, _ = SupplierProfile.objects.update_or_create(company=company, defaults=defaults)
    profile.main_categories.set(categories)
    companies_selling_set(company_ids=[company.pk], sells=True)


def seed_demo_suppliers(*, password: str) -> int:
    """Create or refresh the demo belts' factories and the demo supplier's profile, in one
    transaction; returns how many supplier profiles the demo has."""
    password_hash = make_password(password)
    categories = {category.slug: category for category in Category.objects.all()}
    belts = IndustrialBelt.objects.in_bulk([spec.slug for spec in BELTS], field_name="slug")
    count = 0
    with transaction.atomic():
        for spec in BELTS:
            for number, (name, city, category_slugs, business_type, verified) in enumerate(spec.suppliers, start=1):
                company = demo_company(name=name, country="CN", city=city)
                owner = demo_user(
                    email=f"{spec.slug}-{number}@{DEMO_DOMAIN}",
                    name=name,
                    language="zh-hans",
                    currency="CNY",
                    password_hash=password_hash,
                )
                demo_owner(owner, company)
                _supplier_profile(
                    company=company,
                    name=name,
                    name_zh=SUPPLIER_NAMES_ZH.get(name, ""),
                    belt=belts[spec.slug],
                    province=spec.province,
                    city=city,
                    categories=[categories[slug] for slug in category_slugs],
                    business_type=business_type,
                    verified=verified,
                )
                count += 1
        company = Company.objects.get(memberships__user__email=SUPPLIER.email, name=SUPPLIER.company)
        _supplier_profile(
            company=company,
            name=SUPPLIER.company or SUPPLIER.name,
            belt=belts[str(SUPPLIER_PROFILE["belt"])],
            province=str(SUPPLIER_PROFILE["province"]),
            city=str(SUPPLIER_PROFILE["city"]),
            categories=[categories[slug] for slug in SUPPLIER_PROFILE["categories"]],
            business_type=str(SUPPLIER_PROFILE["business_type"]),
            verified=True,
        )
        count += 1
    return count
