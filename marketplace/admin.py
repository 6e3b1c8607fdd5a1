"""The staff screens for the kernel: people, companies, belts, categories, money and the outbox."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from marketplace.models import (
    ApiToken,
    BeltEvent,
    Category,
    Company,
    Currency,
    ExchangeRate,
    IndustrialBelt,
    Invitation,
    Membership,
    Notification,
    StoredIndexVersion,
    TextTranslation,
    User,
)
from marketplace.tenancy import signed_in_user

admin.site.site_header = _("SourceBelt administration")
admin.site.site_title = _("SourceBelt")
admin.site.index_title = _("Platform operations")


# --- People and companies -----------------------------------------------------------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only services and tasks write (events, snapshots, imports): staff look, filter and
    search; nobody adds, changes or deletes them here. Every app's admin uses this one."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """The rows of a read-only relation shown under their parent, as `ReadOnlyAdmin` shows them alone."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class UserCreationAdminForm(AdminUserCreationForm):
    """Django's admin creation form, for a user who logs in with an e-mail address instead of a username."""

    class Meta:
        model = User
        fields = ("email", "name")

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("A user with this e-mail address already exists."))
        return email


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A user with this e-mail address already exists."))
        return email


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


class UserMembershipInline(MembershipInline):
    autocomplete_fields = ["company"]
    fields = ["company", "role", "created_at"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreationAdminForm
    form = UserChangeAdminForm
    list_display = ["email", "name", "preferred_language", "preferred_currency", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "preferred_language", "groups"]
    search_fields = ["email", "name", "memberships__company__name"]
    ordering = ["email"]
    readonly_fields = ["last_login", "date_joined"]
    autocomplete_fields = ["preferred_currency"]
    inlines = [UserMembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["name", "preferred_language", "preferred_currency"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]

    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "name",
                    "preferred_language",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]

    def get_inline_instances(
        self, request: HttpRequest, obj: User | None = None
    ) -> list[admin.options.InlineModelAdmin]:
        # A new user has no companies yet: the add page stays Django's short e-mail-and-password form.
        return super().get_inline_instances(request, obj) if obj is not None else []


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "city", "sells", "created_at"]
    list_filter = ["sells", "country"]
    search_fields = ["name", "city", "memberships__user__email"]
    inlines = [MembershipInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "company", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__name", "company__name"]
    autocomplete_fields = ["user", "company"]
    list_select_related = ["user", "company"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are made by members (the token travels only in the e-mail); staff read and revoke them."""

    list_display = ["email", "company", "role", "invited_by", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role", ("accepted_at", admin.EmptyFieldListFilter), ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "company__name", "invited_by__email"]
    list_select_related = ["company", "invited_by"]
    readonly_fields = ["token_hash", "company", "email", "invited_by", "created_at", "accepted_at", "accepted_by"]
    fields = [
        "company",
        "email",
        "role",
        "invited_by",
        "token_hash",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Revoke the selected invitations"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        count = queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d invitation revoked.", "%(count)d invitations revoked.", count) % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their owners (the key is shown once); staff can only look and revoke."""

    list_display = ["name", "prefix", "user", "scope", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter), ("expires_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__email"]
    list_select_related = ["user"]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "key_hash",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"), permissions=["view"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count) % {"count": count},
            messages.SUCCESS,
        )


# --- Categories and industrial belts ------------------------------------------------------------


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["indented_name", "name_zh", "slug", "depth", "position"]
    list_filter = ["depth"]
    search_fields = ["name_en", "name_zh", "slug"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name_en"]}
    readonly_fields = ["path", "depth"]
    fields = ["parent", "name_en", "name_zh", "slug", "position", "path", "depth"]
    ordering = ["path"]

    @admin.display(description=_("name (English)"), ordering="path")
    def indented_name(self, category: Category) -> str:
        return "— " * category.depth + category.name_en


class BeltEventInline(ReadOnlyInline):
    """The belt's recorded onboarding steps; they are written only by the belt services."""

    model = BeltEvent
    fields = ("created_at", "actor", "from_status", "to_status", "reason")
    readonly_fields = fields
    ordering = ["-created_at", "-id"]


class IndustrialBeltAdminForm(forms.ModelForm):
    class Meta:
        model = IndustrialBelt
        fields = [
            "name_en",
            "name_zh",
            "slug",
            "province",
            "city",
            "description_en",
            "description_zh",
            "specialties",
            "number_of_firms",
            "annual_output_cny",
            "employees",
            "export_share_percent",
            "managers",
        ]

    def clean_managers(self) -> QuerySet[User]:
        managers = self.cleaned_data.get("managers")
        if managers is None:
            return User.objects.none()
        inactive = [user.email for user in managers if not user.is_active]
        if inactive:
            raise forms.ValidationError(
                _("Deactivated accounts cannot manage a belt: %(emails)s") % {"emails": ", ".join(inactive)}
            )
        return managers


@admin.register(IndustrialBelt)
class IndustrialBeltAdmin(admin.ModelAdmin):
    """Belts: figures and specialties are edited here; the status moves only through the recorded
    transitions (the actions below, or the belt's staff pages), and managers are set through the
    belt service, which tells the people newly given a belt."""

    form = IndustrialBeltAdminForm
    list_display = [
        "name_en",
        "name_zh",
        "province",
        "city",
        "status",
        "number_of_firms",
        "annual_output_cny",
        "manager_count",
    ]
    list_filter = ["status", "province", ("managers", admin.EmptyFieldListFilter)]
    search_fields = ["name_en", "name_zh", "city", "city_zh", "slug", "managers__email"]
    prepopulated_fields = {"slug": ["name_en"]}
    filter_horizontal = ["specialties", "managers"]
    readonly_fields = ["status", "created_at", "updated_at"]
    inlines = [BeltEventInline]
    actions = ["move_to_onboarding", "move_to_live"]
    fieldsets = [
        (None, {"fields": ["name_en", "name_zh", "slug", "status", "province", "city", "city_zh"]}),
        (_("Description"), {"fields": ["description_en", "description_zh", "specialties"]}),
        (
            _("Key figures"),
            {"fields": ["number_of_firms", "annual_output_cny", "employees", "export_share_percent"]},
        ),
        (_("Belt managers"), {"fields": ["managers"]}),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[IndustrialBelt]:
        return super().get_queryset(request).annotate(manager_total=models.Count("managers", distinct=True))

    @admin.display(description=_("managers"), ordering="manager_total")
    def manager_count(self, belt: IndustrialBelt) -> int:
        return belt.manager_total  # type: ignore[attr-defined]  # annotated by get_queryset

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets: list, change: bool) -> None:
        # Managers go through the belt service (staff only, recorded, new managers notified),
        # not through the form's plain M2M save.
        from marketplace.errors import DomainError
        from marketplace.services.belts import belt_managers_set

        managers = form.cleaned_data.pop("managers", None)
        super().save_related(request, form, formsets, change)
        if managers is None:
            return
        try:
            belt_managers_set(belt=form.instance, actor=signed_in_user(request), users=list(managers))
        except DomainError as error:
            self.message_user(request, error.message, messages.ERROR)

    def _move(self, request: HttpRequest, queryset: QuerySet[IndustrialBelt], to_status: str) -> None:
        from marketplace.errors import DomainError
        from marketplace.services.belts import belt_transition

        moved = 0
        for belt in queryset.order_by("pk"):
            try:
                belt_transition(belt=belt, actor=signed_in_user(request), to_status=to_status)
            except DomainError as error:
                self.message_user(request, f"{belt.name_en}: {error.message}", messages.ERROR)
            else:
                moved += 1
        if moved:
            label = IndustrialBelt.Status(to_status).label
            self.message_user(
                request,
                ngettext("%(count)d belt moved to %(status)s.", "%(count)d belts moved to %(status)s.", moved)
                % {"count": moved, "status": label},
                messages.SUCCESS,
            )

    @admin.action(description=_("Start onboarding the selected belts"))
    def move_to_onboarding(self, request: HttpRequest, queryset: QuerySet[IndustrialBelt]) -> None:
        self._move(request, queryset, IndustrialBelt.Status.ONBOARDING)

    @admin.action(description=_("Put the selected belts live"))
    def move_to_live(self, request: HttpRequest, queryset: QuerySet[IndustrialBelt]) -> None:
        self._move(request, queryset, IndustrialBelt.Status.LIVE)


@admin.register(BeltEvent)
class BeltEventAdmin(ReadOnlyAdmin):
    """Every belt's recorded onboarding steps, across belts. Read-only: the services write them."""

    list_display = ["created_at", "belt", "from_status", "to_status", "actor", "reason"]
    list_filter = ["to_status", "from_status", "belt"]
    search_fields = ["belt__name_en", "belt__name_zh", "belt__slug", "actor__email", "reason"]
    list_select_related = ["belt", "actor"]
    date_hierarchy = "created_at"


# --- Money --------------------------------------------------------------------------------------


@admin.register(Currency)
class CurrencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "symbol", "decimal_places", "is_active"]
    list_filter = ["is_active", "decimal_places"]
    search_fields = ["code", "name"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    list_display = ["valid_on", "base", "quote", "rate", "source", "created_at"]
    list_filter = ["base", "quote", "valid_on"]
    search_fields = ["base__code", "quote__code", "source"]
    date_hierarchy = "valid_on"
    autocomplete_fields = ["base", "quote"]
    readonly_fields = ["created_at"]


# --- Notifications ------------------------------------------------------------------------------


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "event_key", "read_at", "email_status", "email_attempts"]
    list_filter = ["email_status", "kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient__email", "event_key"]
    list_select_related = ["recipient"]
    autocomplete_fields = ["recipient"]
    date_hierarchy = "created_at"
    show_full_result_count = False  # the outbox grows without bound
    readonly_fields = ["email_attempts", "email_last_attempt_at", "email_sent_at", "email_error"]


# --- Machine translations -----------------------------------------------------------------------


@admin.register(TextTranslation)
class TextTranslationAdmin(ReadOnlyAdmin):
    """The stored machine translations and the texts still waiting for one (with the last error).
    Read-only: workers write them; a pending text is retried by the relay."""

    list_display = ["created_at", "source_language", "target_language", "source_text", "translated_at", "attempts"]
    list_filter = ["target_language", "source_language", "provider", ("translated_at", admin.EmptyFieldListFilter)]
    search_fields = ["source_text", "translated_text"]
    date_hierarchy = "created_at"
    show_full_result_count = False  # grows with everything people write


@admin.register(StoredIndexVersion)
class StoredIndexVersionAdmin(ReadOnlyAdmin):
    """How far each stored search and matching index is built: after an upgrade that changed one,
    the beat task rebuilds it in the background and its version reaches the code's."""

    list_display = ["name", "version", "building", "after_id", "built_at"]
