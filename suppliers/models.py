"""Supplier profiles. The catalog, certifications and metrics arrive with the catalog issue."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from marketplace.geography import PROVINCE_CHOICES
from marketplace.models import Category, Company, IndustrialBelt


class SupplierProfileQuerySet(models.QuerySet["SupplierProfile"]):
    def listed(self) -> SupplierProfileQuerySet:
        """Profiles shown publicly: active, whatever their verification."""
        return self.filter(is_active=True)


class SupplierProfile(models.Model):
    """A company's selling side. A company sells once it has one."""

    class Verification(models.TextChoices):
        PENDING = "pending", _("Awaiting verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    class BusinessType(models.TextChoices):
        MANUFACTURER = "manufacturer", _("Manufacturer")
        TRADING = "trading", _("Trading company")
        BOTH = "both", _("Manufacturer and trading company")

    company = models.OneToOneField(
        Company, on_delete=models.CASCADE, related_name="supplier_profile", verbose_name=_("company")
    )
    name = models.CharField(_("supplier name"), max_length=200)
    belt = models.ForeignKey(
        IndustrialBelt,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suppliers",
        verbose_name=_("industrial belt"),
    )
    province = models.CharField(_("province"), max_length=20, choices=PROVINCE_CHOICES, db_index=True)
    city = models.CharField(_("city"), max_length=100)
    main_categories = models.ManyToManyField(Category, related_name="suppliers", verbose_name=_("main categories"))
    business_type = models.CharField(
        _("business type"), max_length=12, choices=BusinessType.choices, default=BusinessType.MANUFACTURER
    )
    verification_status = models.CharField(
        _("verification"), max_length=10, choices=Verification.choices, default=Verification.PENDING, db_index=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SupplierProfileQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("supplier profile")
        verbose_name_plural = _("supplier profiles")

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verification_status == self.Verification.VERIFIED
