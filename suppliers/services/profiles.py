"""Writes of the suppliers app: a company starts selling, and keeps its supplier profile.

A company sells once it has a supplier profile. The profile waits for staff verification; the
catalog, certifications and metrics arrive with the catalog issue.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from marketplace.errors import Conflict, InvalidInput, NotFound
from marketplace.geography import PROVINCE_CHOICES
from marketplace.models import Category, Company, IndustrialBelt, Membership
from marketplace.selectors.kernel import PUBLIC_BELT_STATUSES
from marketplace.services.accounts import account_signup
from suppliers.models import SupplierProfile


def _checked_profile_fields(
    *,
    name: str,
    belt: IndustrialBelt | None,
    province: str,
    city: str,
    main_categories: Iterable[Category],
    business_type: str,
    field_names: dict[str, str],
) -> dict[str, object]:
    """Check a profile's fields; errors name the caller's form fields (`field_names`)."""

    def refuse(field: str, message: str) -> InvalidInput:
        return InvalidInput(message, field=field_names.get(field, field))

    name, city = (name or "").strip(), (city or "").strip()
    if not name:
        raise refuse("name", _("This field is required."))
    if not city:
        raise refuse("city", _("This field is required."))
    if province not in dict(PROVINCE_CHOICES):
        raise refuse("province", _("Choose a province from the list."))
    if business_type not in SupplierProfile.BusinessType.values:
        raise refuse("business_type", _("Choose one of the offered business types."))
    if belt is not None and belt.status not in PUBLIC_BELT_STATUSES:
        raise refuse("belt", _("Choose an industrial belt from the list."))
    categories = list(main_categories)
    if not categories:
        raise refuse("main_categories", _("Choose at least one category you make or sell."))
    return {
        "name": name,
        "belt": belt,
        "province": province,
        "city": city,
        "business_type": business_type,
        "main_categories": categories,
    }


def _profile_create(*, company: Company, fields: dict[str, object]) -> SupplierProfile:
    """Give a company (locked by the caller) its supplier profile, awaiting verification."""
    categories = fields.pop("main_categories")
    if SupplierProfile.objects.filter(company=company).exists():
        raise Conflict(_("This company already sells on SourceBelt."))
    try:
        with transaction.atomic():
            profile = SupplierProfile.objects.create(
                company=company, verification_status=SupplierProfile.Verification.PENDING, **fields
            )
    except IntegrityError as exc:
        raise Conflict(_("This company already sells on SourceBelt.")) from exc
    profile.main_categories.set(categories)  # type: ignore[arg-type]
    return profile


def supplier_signup(
    *,
    name: str,
    email: str,
    password: str,
    company_name: str,
    city: str = "",
    preferred_language: str,
    preferred_currency: str,
    supplier_name: str,
    belt: IndustrialBelt | None,
    province: str,
    supplier_city: str,
    main_categories: Iterable[Category],
    business_type: str,
) -> SupplierProfile:
    """Open an account for a Chinese supplier: user, company (in China), owner membership, profile.

    All or nothing: the account service runs inside this transaction, so a refused profile leaves
    no user or company behind. The welcome notification is recorded by the account service.
    """
    fields = _checked_profile_fields(
        name=supplier_name,
        belt=belt,
        province=province,
        city=supplier_city,
        main_categories=main_categories,
        business_type=business_type,
        field_names={"name": "supplier_name", "city": "supplier_city"},
    )
    with transaction.atomic():
        membership = account_signup(
            name=name,
            email=email,
            password=password,
            company_name=company_name,
            country="CN",
            city=(city or "").strip() or str(fields["city"]),
            preferred_language=preferred_language,
            preferred_currency=preferred_currency,
        )
        return _profile_create(company=membership.company, fields=fields)


def supplier_become(
    *,
    membership: Membership | None,
    supplier_name: str,
    belt: IndustrialBelt | None,
    province: str,
    city: str,
    main_categories: Iterable[Category],
    business_type: str,
) -> SupplierProfile:
    """The acting company starts selling too (it keeps buying): story 4, one account for both.

    The company row is locked so two clicks create one profile.
    """
    if membership is None:
        raise NotFound(_("You do not belong to a company."))
    fields = _checked_profile_fields(
        name=supplier_name,
        belt=belt,
        province=province,
        city=city,
        main_categories=main_categories,
        business_type=business_type,
        field_names={"name": "supplier_name"},
    )
    with transaction.atomic():
        company = Company.objects.select_for_update().get(pk=membership.company_id)
        return _profile_create(company=company, fields=fields)


def supplier_profile_update(
    *,
    membership: Membership | None,
    supplier_name: str,
    belt: IndustrialBelt | None,
    province: str,
    city: str,
    main_categories: Iterable[Category],
    business_type: str,
) -> SupplierProfile:
    """Edit the acting company's own supplier profile. Its verification status is staff's to change."""
    if membership is None:
        raise NotFound(_("You do not belong to a company."))
    fields = _checked_profile_fields(
        name=supplier_name,
        belt=belt,
        province=province,
        city=city,
        main_categories=main_categories,
        business_type=business_type,
        field_names={"name": "supplier_name"},
    )
    categories = fields.pop("main_categories")
    with transaction.atomic():
        profile = SupplierProfile.objects.select_for_update().filter(company_id=membership.company_id).first()
        if profile is None:
            raise NotFound(_("Your company does not sell yet."))
        for attribute, value in fields.items():
            setattr(profile, attribute, value)
        profile.save(update_fields=list(fields))
        profile.main_categories.set(categories)  # type: ignore[arg-type]
    return profile
