"""Writes of the suppliers app: a company starts selling, and keeps its supplier profile.

A company sells once it has a supplier profile. The profile waits for staff verification. Its
company facts, capacities per product line, certifications and factory photos are kept here;
every change of the words buyers search for (names, descriptions, belt, province, categories)
recomputes the profile's search text in the same transaction.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Final

from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django_countries import countries

from marketplace.errors import Conflict, InvalidInput, NotFound
from marketplace.geography import PROVINCE_CHOICES
from marketplace.input_values import InputValueError, whole_number
from marketplace.models import Category, Company, IndustrialBelt, Membership
from marketplace.selectors.kernel import PUBLIC_BELT_STATUSES
from marketplace.services.accounts import account_signup, companies_selling_set
from marketplace.uploads import IMAGE_FORMATS, check_image, make_thumbnail
from suppliers.models import FactoryPhoto, Product, ProductLineCapacity, SupplierProfile, Unit
from suppliers.search.index import suppliers_reindex
from suppliers.signals import catalog_changed_on_commit

# The languages a supplier can say its staff speak, in the order they are offered.
SPOKEN_LANGUAGES: Final = {
    "zh": pgettext_lazy("spoken language", "Chinese"),
    "en": pgettext_lazy("spoken language", "English"),
    "es": pgettext_lazy("spoken language", "Spanish"),
    "fr": pgettext_lazy("spoken language", "French"),
    "de": pgettext_lazy("spoken language", "German"),
    "ru": pgettext_lazy("spoken language", "Russian"),
    "ar": pgettext_lazy("spoken language", "Arabic"),
    "pt": pgettext_lazy("spoken language", "Portuguese"),
    "ja": pgettext_lazy("spoken language", "Japanese"),
    "ko": pgettext_lazy("spoken language", "Korean"),
    "it": pgettext_lazy("spoken language", "Italian"),
    "tr": pgettext_lazy("spoken language", "Turkish"),
    "vi": pgettext_lazy("spoken language", "Vietnamese"),
    "th": pgettext_lazy("spoken language", "Thai"),
    "id": pgettext_lazy("spoken language", "Indonesian"),
    "hi": pgettext_lazy("spoken language", "Hindi"),
}
EARLIEST_YEAR_FOUNDED: Final = 1800
MAX_DESCRIPTION_LENGTH: Final = 5000
MAX_WHOLE_NUMBER: Final = 2_147_483_647  # what a PostgreSQL integer column holds
# What a supplier's counts (monthly capacity, staff, factory area) are refused with, wherever they
# are typed: the profile and claim forms (as their fields' error_messages), the API and a factory list.
WHOLE_NUMBER_MESSAGES: Final = {
    "min_value": gettext_lazy("Enter a positive whole number."),
    "max_value": gettext_lazy("This number is too large."),
}
MAX_CAPACITIES: Final = 50
MAX_FACTORY_PHOTOS: Final = 20


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
    companies_selling_set(company_ids=[company.pk], sells=True)
    company.sells = True
    suppliers_reindex(supplier_ids=[profile.pk])
    profile.refresh_from_db(fields=["search_text"])
    catalog_changed_on_commit(supplier_id=profile.pk)
    return profile


def companies_selling_sync(*, company_ids: Iterable[int]) -> int:
    """Make `Company.sells` say again whether each company has a supplier profile, after profiles
    were added or removed outside `supplier_become` / `supplier_signup` (the admin, a data repair).
    Returns how many companies changed."""
    ids = set(company_ids)
    selling = set(SupplierProfile.objects.filter(company_id__in=ids).values_list("company_id", flat=True))
    return companies_selling_set(company_ids=selling, sells=True) + companies_selling_set(
        company_ids=ids - selling, sells=False
    )


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
    email_confirmed: bool = False,
) -> SupplierProfile | None:
    """Open an account for a Chinese supplier: user, company (in China), owner membership, profile.

    All or nothing: the account service runs inside this transaction, so a refused profile leaves
    no user or company behind. As with every sign-up, the account is confirmed from an e-mailed link;
    an address that already has an account gets an e-mail instead, and None is returned
    (`account_signup`, which also says what `email_confirmed` changes).
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
            email_confirmed=email_confirmed,
        )
        if membership is None:
            return None
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


class _Keep:
    """The value of a profile fact the caller does not change."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()

# What buyers search a supplier by: a change of any of these recomputes its search text.
_SEARCHED_FIELDS = ("name", "name_zh", "description_en", "description_zh", "city", "belt_id", "province")


def positive_whole_number(raw: object, *, label: str) -> int:
    """A supplier's count from text or a number (a form field, a spreadsheet cell), read by
    `input_values.whole_number` from 1 to MAX_WHOLE_NUMBER. Raises ValueError."""
    try:
        return whole_number(raw, label=label, minimum=1, maximum=MAX_WHOLE_NUMBER)
    except InputValueError as error:
        raise ValueError(str(WHOLE_NUMBER_MESSAGES.get(error.code, error.message))) from None


def _whole_number(value: int | None, *, field: str) -> int | None:
    if value is None:
        return None
    if value < 1:
        raise InvalidInput(WHOLE_NUMBER_MESSAGES["min_value"], field=field)
    if value > MAX_WHOLE_NUMBER:
        raise InvalidInput(WHOLE_NUMBER_MESSAGES["max_value"], field=field)
    return value


def _description(value: str, *, field: str) -> str:
    value = (value or "").strip()
    if len(value) > MAX_DESCRIPTION_LENGTH:
        raise InvalidInput(
            _("The description can be at most %(limit)s characters; it has %(length)s.")
            % {"limit": MAX_DESCRIPTION_LENGTH, "length": len(value)},
            field=field,
        )
    return value


def _checked_facts(
    *,
    name_zh: str | _Keep,
    description_en: str | _Keep,
    description_zh: str | _Keep,
    year_founded: int | _Keep | None,
    staff_count: int | _Keep | None,
    factory_area_m2: int | _Keep | None,
    export_markets: Iterable[str] | _Keep,
    languages_spoken: Iterable[str] | _Keep,
) -> dict[str, object]:
    """Check the company facts that are given (not KEEP); errors name the field."""
    facts: dict[str, object] = {}
    if not isinstance(name_zh, _Keep):
        name_zh = (name_zh or "").strip()
        if len(name_zh) > 200:
            raise InvalidInput(_("The Chinese name can be at most 200 characters."), field="name_zh")
        facts["name_zh"] = name_zh
    if not isinstance(description_en, _Keep):
        facts["description_en"] = _description(description_en, field="description_en")
    if not isinstance(description_zh, _Keep):
        facts["description_zh"] = _description(description_zh, field="description_zh")
    if not isinstance(year_founded, _Keep):
        this_year = timezone.localdate().year
        if year_founded is not None and not EARLIEST_YEAR_FOUNDED <= year_founded <= this_year:
            raise InvalidInput(
                _("The year founded must be between %(first)s and %(last)s.")
                % {"first": EARLIEST_YEAR_FOUNDED, "last": this_year},
                field="year_founded",
            )
        facts["year_founded"] = year_founded
    if not isinstance(staff_count, _Keep):
        facts["staff_count"] = _whole_number(staff_count, field="staff_count")
    if not isinstance(factory_area_m2, _Keep):
        facts["factory_area_m2"] = _whole_number(factory_area_m2, field="factory_area_m2")
    if not isinstance(export_markets, _Keep):
        codes = list(dict.fromkeys(str(code).upper() for code in export_markets))
        unknown = [code for code in codes if code not in countries]
        if unknown:
            raise InvalidInput(
                _("Choose export markets from the list of countries (not %(codes)s).") % {"codes": ", ".join(unknown)},
                field="export_markets",
            )
        facts["export_markets"] = codes
    if not isinstance(languages_spoken, _Keep):
        chosen = set(languages_spoken)
        unknown = sorted(chosen - set(SPOKEN_LANGUAGES))
        if unknown:
            raise InvalidInput(
                _("Choose languages from the list (not %(codes)s).") % {"codes": ", ".join(unknown)},
                field="languages_spoken",
            )
        facts["languages_spoken"] = [code for code in SPOKEN_LANGUAGES if code in chosen]
    return facts


def supplier_profile_update(
    *,
    membership: Membership | None,
    supplier_name: str,
    belt: IndustrialBelt | None,
    province: str,
    city: str,
    main_categories: Iterable[Category],
    business_type: str,
    name_zh: str | _Keep = KEEP,
    description_en: str | _Keep = KEEP,
    description_zh: str | _Keep = KEEP,
    year_founded: int | _Keep | None = KEEP,
    staff_count: int | _Keep | None = KEEP,
    factory_area_m2: int | _Keep | None = KEEP,
    export_markets: Iterable[str] | _Keep = KEEP,
    languages_spoken: Iterable[str] | _Keep = KEEP,
) -> SupplierProfile:
    """Edit the acting company's own supplier profile. Its verification status is staff's to change.

    Facts left as KEEP are not changed. When the names, descriptions, city, belt, province or main
    categories change, the profile's search text is recomputed in this transaction; when the belt
    or province changes, every product of the supplier takes the new ones (one UPDATE), so search
    filters on products stay right without a join.
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
    fields.update(
        _checked_facts(
            name_zh=name_zh,
            description_en=description_en,
            description_zh=description_zh,
            year_founded=year_founded,
            staff_count=staff_count,
            factory_area_m2=factory_area_m2,
            export_markets=export_markets,
            languages_spoken=languages_spoken,
        )
    )
    categories = fields.pop("main_categories")
    with transaction.atomic():
        profile = SupplierProfile.objects.select_for_update().filter(company_id=membership.company_id).first()
        if profile is None:
            raise NotFound(_("Your company does not sell yet."))
        before = {attribute: getattr(profile, attribute) for attribute in _SEARCHED_FIELDS}
        categories_before = set(profile.main_categories.values_list("pk", flat=True))
        for attribute, value in fields.items():
            setattr(profile, attribute, value)
        profile.save(update_fields=list(fields))
        profile.main_categories.set(categories)  # type: ignore[arg-type]
        after = {attribute: getattr(profile, attribute) for attribute in _SEARCHED_FIELDS}
        categories_changed = categories_before != {category.pk for category in categories}  # type: ignore[attr-defined]
        if before != after or categories_changed:
            suppliers_reindex(supplier_ids=[profile.pk])
            profile.refresh_from_db(fields=["search_text"])
        if categories_changed:  # the categories it is a candidate in (buyers' matching facts)
            catalog_changed_on_commit(supplier_id=profile.pk)
        if (before["belt_id"], before["province"]) != (after["belt_id"], after["province"]):
            Product.objects.filter(supplier=profile).update(belt_id=profile.belt_id, province=profile.province)
    return profile


def _locked(supplier: SupplierProfile) -> SupplierProfile:
    """Lock the supplier's row, so two uploads at once cannot pass a limit together."""
    return SupplierProfile.objects.select_for_update().get(pk=supplier.pk)


def _delete_files_after_commit(*names: str | None) -> None:
    """Stored files go once the rows that name them are gone for good (not when the transaction rolls back)."""

    def delete() -> None:
        for name in names:
            if name:
                default_storage.delete(name)

    transaction.on_commit(delete)


def _stored_name(upload: UploadedFile, *, extension: str, fallback: str) -> str:
    """A safe file name that ends as the content really is, whatever the uploaded name said."""
    stem = slugify(os.path.splitext(os.path.basename(upload.name or ""))[0])[:60] or fallback
    return f"{stem}.{extension}"


# --- Monthly capacity per product line -----------------------------------------------------------


def _checked_capacity(
    *, category: Category | None, product_line: str, monthly_capacity: int | None, unit: str
) -> dict[str, object]:
    product_line = (product_line or "").strip()
    if category is None:
        raise InvalidInput(_("Choose the category of this product line."), field="category")
    if not product_line:
        raise InvalidInput(_("Name the product line, e.g. “PVC school backpacks”."), field="product_line")
    if len(product_line) > 200:
        raise InvalidInput(_("The product line's name can be at most 200 characters."), field="product_line")
    if monthly_capacity is None:
        raise InvalidInput(_("Say how many units you can make in a month."), field="monthly_capacity")
    _whole_number(monthly_capacity, field="monthly_capacity")
    if unit not in Unit.values:
        raise InvalidInput(_("Choose a unit from the list."), field="unit")
    return {"category": category, "product_line": product_line, "monthly_capacity": monthly_capacity, "unit": unit}


def capacity_add(
    *, supplier: SupplierProfile, category: Category | None, product_line: str, monthly_capacity: int | None, unit: str
) -> ProductLineCapacity:
    """Add how much of one product line the supplier makes in a month (at most MAX_CAPACITIES lines)."""
    fields = _checked_capacity(
        category=category, product_line=product_line, monthly_capacity=monthly_capacity, unit=unit
    )
    with transaction.atomic():
        locked = _locked(supplier)
        if ProductLineCapacity.objects.filter(supplier=locked).count() >= MAX_CAPACITIES:
            raise InvalidInput(_("A profile can list at most %(limit)s product lines.") % {"limit": MAX_CAPACITIES})
        capacity = ProductLineCapacity.objects.create(supplier=locked, **fields)
        catalog_changed_on_commit(supplier_id=locked.pk)
    return capacity


def capacity_update(
    *,
    supplier: SupplierProfile,
    capacity_id: int,
    category: Category | None,
    product_line: str,
    monthly_capacity: int | None,
    unit: str,
) -> ProductLineCapacity:
    """Change one of the supplier's own product lines; another supplier's is NotFound."""
    fields = _checked_capacity(
        category=category, product_line=product_line, monthly_capacity=monthly_capacity, unit=unit
    )
    with transaction.atomic():
        capacity = ProductLineCapacity.objects.select_for_update().filter(supplier=supplier, pk=capacity_id).first()
        if capacity is None:
            raise NotFound(_("No such product line."))
        for attribute, value in fields.items():
            setattr(capacity, attribute, value)
        capacity.save(update_fields=list(fields))
        catalog_changed_on_commit(supplier_id=supplier.pk)
    return capacity


def capacity_delete(*, supplier: SupplierProfile, capacity_id: int) -> None:
    with transaction.atomic():
        deleted, _rows = ProductLineCapacity.objects.filter(supplier=supplier, pk=capacity_id).delete()
        if not deleted:
            raise NotFound(_("No such product line."))
        catalog_changed_on_commit(supplier_id=supplier.pk)


# --- Certifications -------------------------------------------------------------------------------
# A certification is a verification document: suppliers/services/verification.py submits it (it
# then waits for staff review), reviews it and deletes it.


# --- Factory photos -------------------------------------------------------------------------------


def factory_photo_add(*, supplier: SupplierProfile, image: UploadedFile | None, caption: str = "") -> FactoryPhoto:
    """Add a photo of the factory (checked by content, size and pixels) with its thumbnail; at most 20."""
    caption = (caption or "").strip()
    if len(caption) > 200:
        raise InvalidInput(_("The caption can be at most 200 characters."), field="caption")
    if image is None:
        raise InvalidInput(_("Choose a photo to upload."), field="image")
    image_format = check_image(image, field="image")
    name = _stored_name(image, extension=IMAGE_FORMATS[image_format], fallback="factory")
    thumbnail = make_thumbnail(image, name=name)
    with transaction.atomic():
        locked = _locked(supplier)
        photos = FactoryPhoto.objects.filter(supplier=locked)
        count = photos.count()
        if count >= MAX_FACTORY_PHOTOS:
            raise InvalidInput(
                _("A profile can show at most %(limit)s factory photos; delete one first.")
                % {"limit": MAX_FACTORY_PHOTOS},
                field="image",
            )
        last = photos.order_by("-position").values_list("position", flat=True).first()
        photo = FactoryPhoto(supplier=locked, caption=caption, position=0 if last is None else last + 1)
        photo.image.save(name, File(image), save=False)
        assert thumbnail.name is not None  # make_thumbnail names it
        photo.thumbnail.save(thumbnail.name, thumbnail, save=False)
        photo.save()
    return photo


def factory_photo_delete(*, supplier: SupplierProfile, photo_id: int) -> None:
    with transaction.atomic():
        photo = FactoryPhoto.objects.select_for_update().filter(supplier=supplier, pk=photo_id).first()
        if photo is None:
            raise NotFound(_("No such photo."))
        names = (photo.image.name, photo.thumbnail.name)
        photo.delete()
        _delete_files_after_commit(*names)
