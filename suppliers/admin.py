"""The staff screens for suppliers: profiles, catalogs and imports, verification documents and
their review, metric snapshots, and the factories imported and invited for a belt.

Reviews, invitations and every other state change go through the suppliers' services (the
actions below call them); the admin never writes those rows itself.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from marketplace.admin import ReadOnlyAdmin, ReadOnlyInline
from marketplace.tenancy import signed_in_user
from suppliers.models import (
    CatalogImport,
    Certification,
    FactoryImport,
    FactoryInvitation,
    FactoryPhoto,
    PriceTier,
    Product,
    ProductImage,
    ProductLineCapacity,
    SearchWord,
    SupplierMetricSnapshot,
    SupplierProfile,
    VerificationEvent,
)
from suppliers.services.profiles import companies_selling_sync

REJECTION_REASON_MAX = 2000


# --- Profiles -------------------------------------------------------------------------------------


class CertificationInline(ReadOnlyInline):
    model = Certification
    fields = ("kind", "name", "issuer", "number", "expires_on", "review_status", "reviewed_at")
    readonly_fields = fields
    show_change_link = True


class ProductLineCapacityInline(admin.TabularInline):
    model = ProductLineCapacity
    extra = 0
    autocomplete_fields = ["category"]


class VerificationEventInline(ReadOnlyInline):
    model = VerificationEvent
    fields = ("created_at", "action", "document", "actor", "reason")
    readonly_fields = fields
    ordering = ["-created_at", "-id"]


@admin.register(SupplierProfile)
class SupplierProfileAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "company",
        "belt",
        "province",
        "city",
        "business_type",
        "verification_status",
        "response_rate",
        "is_active",
    ]
    list_filter = ["verification_status", "business_type", "is_active", "belt", "province"]
    search_fields = ["name", "name_zh", "company__name", "city"]
    list_select_related = ["company", "belt"]
    autocomplete_fields = ["company", "belt", "main_categories"]
    # The badge follows from the reviewed documents (suppliers.services.verification); the
    # figures are recomputed by tasks.
    readonly_fields = [
        "verification_status",
        "response_rate",
        "response_median_minutes",
        "response_metrics_at",
        "rating_average",
        "rating_count",
        "on_time_rate",
        "created_at",
    ]
    inlines = [ProductLineCapacityInline, CertificationInline, VerificationEventInline]
    show_full_result_count = False

    # A company sells while it has a profile: `Company.sells` follows what staff add or delete here.
    def save_model(self, request: HttpRequest, obj: SupplierProfile, form: Any, change: bool) -> None:
        previous = SupplierProfile.objects.filter(pk=obj.pk).values_list("company_id", flat=True).first()
        super().save_model(request, obj, form, change)
        companies_selling_sync(company_ids={obj.company_id, *([previous] if previous else [])})

    def delete_model(self, request: HttpRequest, obj: SupplierProfile) -> None:
        company_id = obj.company_id
        super().delete_model(request, obj)
        companies_selling_sync(company_ids=[company_id])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[SupplierProfile]) -> None:
        company_ids = list(queryset.values_list("company_id", flat=True))
        super().delete_queryset(request, queryset)
        companies_selling_sync(company_ids=company_ids)


@admin.register(ProductLineCapacity)
class ProductLineCapacityAdmin(admin.ModelAdmin):
    list_display = ["product_line", "supplier", "category", "monthly_capacity", "unit"]
    list_filter = ["unit"]
    search_fields = ["product_line", "supplier__name", "category__name_en", "category__name_zh"]
    list_select_related = ["supplier", "category"]
    autocomplete_fields = ["supplier", "category"]


@admin.register(FactoryPhoto)
class FactoryPhotoAdmin(admin.ModelAdmin):
    list_display = ["supplier", "caption", "position", "width", "height"]
    search_fields = ["supplier__name", "caption"]
    list_select_related = ["supplier"]
    autocomplete_fields = ["supplier"]
    readonly_fields = ["width", "height"]


# --- Catalog --------------------------------------------------------------------------------------


class PriceTierInline(admin.TabularInline):
    model = PriceTier
    extra = 0


class ProductImageInline(admin.TabularInline):
    model = ProductImage
    extra = 0
    fields = ["image", "position", "width", "height"]
    readonly_fields = ["width", "height"]


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["sku", "title", "supplier", "category", "status", "moq", "min_unit_price", "currency", "created_at"]
    list_filter = ["status", "belt", "sample_available", "unit"]
    search_fields = ["sku", "title", "supplier__name"]
    list_select_related = ["supplier", "category", "currency"]
    autocomplete_fields = ["supplier", "category"]
    readonly_fields = ["belt", "province", "min_unit_price", "created_at", "updated_at", "published_at"]
    date_hierarchy = "created_at"
    show_full_result_count = False  # no exact COUNT over the whole product table
    inlines = [PriceTierInline, ProductImageInline]


@admin.register(PriceTier)
class PriceTierAdmin(admin.ModelAdmin):
    list_display = ["product", "min_quantity", "unit_price"]
    search_fields = ["product__sku", "product__title"]
    list_select_related = ["product"]
    raw_id_fields = ["product"]
    show_full_result_count = False


@admin.register(ProductImage)
class ProductImageAdmin(admin.ModelAdmin):
    list_display = ["product", "position", "width", "height"]
    search_fields = ["product__sku", "product__title"]
    list_select_related = ["product"]
    raw_id_fields = ["product"]
    readonly_fields = ["width", "height"]
    show_full_result_count = False


@admin.register(CatalogImport)
class CatalogImportAdmin(ReadOnlyAdmin):
    """Suppliers upload their catalogs on their own pages; staff follow the imports here."""

    list_display = [
        "original_name",
        "supplier",
        "status",
        "file_format",
        "total_rows",
        "created_count",
        "updated_count",
        "created_at",
    ]
    list_filter = ["status", "file_format"]
    search_fields = ["original_name", "supplier__name"]
    list_select_related = ["supplier"]
    date_hierarchy = "created_at"


# --- Verification ---------------------------------------------------------------------------------


class ExpiryFilter(admin.SimpleListFilter):
    title = _("expiry")
    parameter_name = "expiry"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [
            ("expired", _("Expired")),
            ("soon", _("Expires within 30 days")),
            ("none", _("No expiry date")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Certification]) -> QuerySet[Certification]:
        today = timezone.localdate()
        if self.value() == "expired":
            return queryset.filter(expires_on__lt=today)
        if self.value() == "soon":
            return queryset.filter(expires_on__gte=today, expires_on__lte=today + timedelta(days=30))
        if self.value() == "none":
            return queryset.filter(expires_on__isnull=True)
        return queryset


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=REJECTION_REASON_MAX,
        help_text=_("The supplier reads this, in the e-mail and on its verification page: say what to fix."),
    )


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    """The review queue: filter on "Awaiting review" (oldest first), then approve or reject.

    Suppliers submit documents on their verification page; staff decide through the actions, which
    call the verification services (recorded, the supplier notified, the badge decided again).
    """

    list_display = [
        "name",
        "kind",
        "supplier",
        "issuer",
        "expires_on",
        "review_status",
        "created_at",
        "reviewed_by",
        "reviewed_at",
    ]
    list_filter = ["review_status", "kind", ExpiryFilter, "supplier__belt"]
    search_fields = ["name", "issuer", "number", "supplier__name", "supplier__name_zh", "supplier__company__name"]
    list_select_related = ["supplier", "reviewed_by"]
    autocomplete_fields = ["supplier"]
    date_hierarchy = "created_at"
    ordering = ["created_at", "id"]
    fields = (
        "supplier",
        "kind",
        "name",
        "issuer",
        "number",
        "file",
        "expires_on",
        "review_status",
        "submitted_by",
        "reviewed_by",
        "reviewed_at",
        "rejection_reason",
        "expiry_warned_at",
        "expired_at",
        "created_at",
    )
    # Read-only: a document is what the supplier submitted; staff decide with the actions.
    readonly_fields = fields
    actions = ["approve", "reject"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # documents come from the suppliers (certification_submit)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # the review history refers to them

    @admin.action(description=_("Approve the selected documents"), permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Certification]) -> None:
        from marketplace.errors import DomainError
        from suppliers.services.verification import certification_approve

        approved = 0
        for certification in queryset.select_related("supplier").order_by("pk"):
            try:
                certification_approve(certification=certification, actor=signed_in_user(request))
            except DomainError as error:
                self.message_user(request, f"{certification.name}: {error.message}", messages.ERROR)
            else:
                approved += 1
        if approved:
            self.message_user(
                request,
                ngettext("%(count)d document approved.", "%(count)d documents approved.", approved)
                % {"count": approved},
                messages.SUCCESS,
            )

    @admin.action(description=_("Reject the selected documents (asks for a reason)"), permissions=["change"])
    def reject(self, request: HttpRequest, queryset: QuerySet[Certification]) -> HttpResponse | None:
        """First shows a page asking for the reason; its form posts back to this action with it."""
        from marketplace.errors import DomainError
        from suppliers.services.verification import certification_reject

        form = RejectForm(request.POST if "confirm_reject" in request.POST else None)
        if form.is_bound and form.is_valid():
            rejected = 0
            for certification in queryset.select_related("supplier").order_by("pk"):
                try:
                    certification_reject(
                        certification=certification, actor=signed_in_user(request), reason=form.cleaned_data["reason"]
                    )
                except DomainError as error:
                    self.message_user(request, f"{certification.name}: {error.message}", messages.ERROR)
                else:
                    rejected += 1
            if rejected:
                self.message_user(
                    request,
                    ngettext("%(count)d document rejected.", "%(count)d documents rejected.", rejected)
                    % {"count": rejected},
                    messages.SUCCESS,
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reject documents"),
            "opts": self.model._meta,
            "documents": queryset.select_related("supplier").order_by("pk"),
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/suppliers/certification/reject.html", context)


@admin.register(VerificationEvent)
class VerificationEventAdmin(ReadOnlyAdmin):
    """Every recorded step of every supplier's verification."""

    list_display = ["created_at", "supplier", "action", "document", "actor", "reason"]
    list_filter = ["action"]
    search_fields = ["supplier__name", "supplier__name_zh", "document__name", "actor__email", "reason"]
    list_select_related = ["supplier", "document", "actor"]
    date_hierarchy = "created_at"


@admin.register(SupplierMetricSnapshot)
class SupplierMetricSnapshotAdmin(ReadOnlyAdmin):
    """One row per supplier and day, written by the response-figures recompute."""

    list_display = ["taken_on", "supplier", "response_rate", "response_median_minutes"]
    list_filter = ["taken_on", "supplier__belt"]
    search_fields = ["supplier__name", "supplier__name_zh"]
    list_select_related = ["supplier"]
    date_hierarchy = "taken_on"
    show_full_result_count = False


@admin.register(SearchWord)
class SearchWordAdmin(ReadOnlyAdmin):
    """The catalog's vocabulary that misspelt search words are corrected against: derived from the
    products a buyer can find, rebuilt hourly (`manage.py search_vocabulary` at once). Staff look up
    why a query was corrected the way it was: the commonest word of the same letters or sound wins."""

    list_display = ["word", "products", "length", "sound"]
    search_fields = ["word", "sound"]
    ordering = ["-products", "word"]
    show_full_result_count = False


# --- Belt onboarding ------------------------------------------------------------------------------


@admin.register(FactoryImport)
class FactoryImportAdmin(ReadOnlyAdmin):
    """Staff upload a belt's factory list on the belt's staff pages; here they follow every import."""

    list_display = [
        "original_name",
        "belt",
        "status",
        "progress",
        "total_rows",
        "invited_count",
        "error_count",
        "created_by",
        "created_at",
    ]
    list_filter = ["status", "file_format", "belt"]
    search_fields = ["original_name", "belt__name_en", "belt__name_zh", "created_by__email"]
    list_select_related = ["belt", "created_by"]
    date_hierarchy = "created_at"

    @admin.display(description=_("progress"))
    def progress(self, factory_import: FactoryImport) -> str:
        return f"{factory_import.progress_percent} %"

    @admin.display(description=_("rows with errors"))
    def error_count(self, factory_import: FactoryImport) -> int:
        return len(factory_import.errors or [])


@admin.register(FactoryInvitation)
class FactoryInvitationAdmin(admin.ModelAdmin):
    """The factories invited to each belt. Invitations are made by imports; staff send them again
    (a new link, older links stop working) or withdraw them through the onboarding services."""

    list_display = [
        "company_name",
        "email",
        "belt",
        "sent_at",
        "expires_at",
        "reminder_count",
        "claimed_at",
        "revoked_at",
        "supplier",
    ]
    list_filter = [
        "belt",
        ("claimed_at", admin.EmptyFieldListFilter),
        ("revoked_at", admin.EmptyFieldListFilter),
        "reminder_count",
    ]
    search_fields = ["company_name", "contact_name", "email", "phone", "belt__name_en", "belt__name_zh"]
    list_select_related = ["belt", "supplier"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["categories"]
    readonly_fields = [
        "belt",
        "factory_import",
        "created_by",
        "created_at",
        "sent_at",
        "expires_at",
        "reminder_count",
        "last_reminded_at",
        "claimed_at",
        "supplier",
        "revoked_at",
        "email_due_at",
        "email_attempts",
        "email_error",
    ]
    actions = ["resend", "withdraw"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # invitations come from the belt's factory imports

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # withdraw instead: the funnel keeps counting what happened

    def _each(self, request: HttpRequest, queryset: QuerySet[FactoryInvitation], service: Any) -> int:
        from marketplace.errors import DomainError

        done = 0
        for invitation in queryset.order_by("pk"):
            try:
                service(actor=signed_in_user(request), invitation_id=invitation.pk)
            except DomainError as error:
                self.message_user(request, f"{invitation.email}: {error.message}", messages.ERROR)
            else:
                done += 1
        return done

    @admin.action(description=_("Send the selected invitations again (new link)"), permissions=["change"])
    def resend(self, request: HttpRequest, queryset: QuerySet[FactoryInvitation]) -> None:
        from suppliers.services.onboarding_queue import factory_invitation_resend

        sent = self._each(request, queryset, factory_invitation_resend)
        if sent:
            self.message_user(
                request,
                ngettext("%(count)d invitation sent again.", "%(count)d invitations sent again.", sent)
                % {"count": sent},
                messages.SUCCESS,
            )

    @admin.action(description=_("Withdraw the selected invitations"), permissions=["change"])
    def withdraw(self, request: HttpRequest, queryset: QuerySet[FactoryInvitation]) -> None:
        from suppliers.services.onboarding import factory_invitation_revoke

        withdrawn = self._each(request, queryset, factory_invitation_revoke)
        if withdrawn:
            self.message_user(
                request,
                ngettext("%(count)d invitation withdrawn.", "%(count)d invitations withdrawn.", withdrawn)
                % {"count": withdrawn},
                messages.SUCCESS,
            )
