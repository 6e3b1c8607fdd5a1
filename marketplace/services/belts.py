"""A belt's onboarding lifecycle and its managers, written in one place.

    draft ──▶ onboarding ──▶ live
      ▲          │  ▲          │
      └──────────┘  └──pause───┘

Staff create a belt as a draft, fill in what it makes and its figures, open it to onboarding
(its factories are imported and invited) and take it live; a live belt can be paused back to
onboarding and an onboarding belt sent back to draft, each with a reason. Every move locks the
belt (`select_for_update`), is checked against `TRANSITIONS`, and is recorded as a BeltEvent
(who, when, from, to, why) in the same transaction.

Staff give people management of belts: a belt manager runs the onboarding of their belts only
(see `marketplace.selectors.belts`) and may edit their descriptions and figures, but neither
moves a belt through its lifecycle nor chooses its managers.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from marketplace.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from marketplace.geography import PROVINCE_CHOICES
from marketplace.models import BeltEvent, Category, IndustrialBelt, User
from marketplace.selectors.belts import belts_managed_by
from marketplace.services.notifications import notify

Status = IndustrialBelt.Status

# Which status may follow which: the one table every move is checked against.
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.ONBOARDING},
    Status.ONBOARDING: {Status.LIVE, Status.DRAFT},
    Status.LIVE: {Status.ONBOARDING},
}
# Moves back (a pause, a return to draft) must say why: the belt's people will ask.
BACKWARD: set[tuple[str, str]] = {(Status.LIVE, Status.ONBOARDING), (Status.ONBOARDING, Status.DRAFT)}
REASON_MAX_LENGTH = 500
MAX_MANAGERS = 50
# Words the staff pages use after /staff/belts/ (a belt with such a slug could not be opened there).
RESERVED_SLUGS = {"new"}


def _require_staff(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_active and actor.is_staff):
        raise PermissionDenied(_("Only SourceBelt staff can do this."))


def _locked(*, belt_id: int, actor: User) -> IndustrialBelt:
    """The belt, locked, if `actor` runs it (staff, or one of its managers); else NotFound."""
    belt = belts_managed_by(actor).select_for_update(of=("self",)).filter(pk=belt_id).first()
    if belt is None:
        raise NotFound(_("No such belt among the belts you manage."))
    return belt


def _check_figures(
    *,
    number_of_firms: int | None,
    annual_output_cny: Decimal | None,
    employees: int | None,
    export_share_percent: int | None,
) -> None:
    for field, value in (
        ("number_of_firms", number_of_firms),
        ("annual_output_cny", annual_output_cny),
        ("employees", employees),
        ("export_share_percent", export_share_percent),
    ):
        if value is not None and value < 0:
            raise InvalidInput(_("A belt's figures cannot be negative."), field=field)
    if export_share_percent is not None and export_share_percent > 100:
        raise InvalidInput(_("The export share is a percentage: at most 100."), field="export_share_percent")


def belt_create(
    *,
    actor: User,
    name_en: str,
    name_zh: str,
    province: str,
    city: str,
    city_zh: str = "",
    slug: str = "",
    description_en: str = "",
    description_zh: str = "",
    specialties: Iterable[Category] = (),
    number_of_firms: int | None = None,
    annual_output_cny: Decimal | None = None,
    employees: int | None = None,
    export_share_percent: int | None = None,
) -> IndustrialBelt:
    """Create a belt as a draft (staff only) and record its first event. The slug defaults to
    the English name's; a slug already taken is refused (InvalidInput on `slug`)."""
    _require_staff(actor)
    name_en, name_zh, city = name_en.strip(), name_zh.strip(), city.strip()
    if not name_en or not name_zh:
        raise InvalidInput(
            _("A belt needs its name in English and in Chinese."), field="name_en" if not name_en else "name_zh"
        )
    if province not in dict(PROVINCE_CHOICES):
        raise InvalidInput(_("Choose the belt's province."), field="province")
    slug = slugify(slug or name_en)[:160]
    if not slug or slug in RESERVED_SLUGS:
        raise InvalidInput(_("Give the belt a web address (letters, digits and hyphens)."), field="slug")
    _check_figures(
        number_of_firms=number_of_firms,
        annual_output_cny=annual_output_cny,
        employees=employees,
        export_share_percent=export_share_percent,
    )
    try:
        with transaction.atomic():
            belt = IndustrialBelt.objects.create(
                name_en=name_en,
                name_zh=name_zh,
                slug=slug,
                province=province,
                city=city,
                city_zh=city_zh.strip(),
                description_en=description_en.strip(),
                description_zh=description_zh.strip(),
                status=Status.DRAFT,
                number_of_firms=number_of_firms,
                annual_output_cny=annual_output_cny,
                employees=employees,
                export_share_percent=export_share_percent,
            )
            belt.specialties.set(list(specialties))
            BeltEvent.objects.create(belt=belt, actor=actor, from_status="", to_status=Status.DRAFT)
    except IntegrityError as error:
        if IndustrialBelt.objects.filter(slug=slug).exists():
            raise InvalidInput(
                _("Another belt already has the web address “%(slug)s”; choose another.") % {"slug": slug},
                field="slug",
            ) from error
        raise
    return belt


def belt_update(
    *,
    belt_id: int,
    actor: User,
    city_zh: str | None = None,
    description_en: str,
    description_zh: str,
    specialties: Iterable[Category],
    number_of_firms: int | None,
    annual_output_cny: Decimal | None,
    employees: int | None,
    export_share_percent: int | None,
) -> IndustrialBelt:
    """Replace a belt's Chinese city name (None keeps it), descriptions, specialties and figures.
    Staff and the belt's managers may; for anybody else the belt does not exist (NotFound). The
    status is not touched here."""
    _check_figures(
        number_of_firms=number_of_firms,
        annual_output_cny=annual_output_cny,
        employees=employees,
        export_share_percent=export_share_percent,
    )
    with transaction.atomic():
        belt = _locked(belt_id=belt_id, actor=actor)
        if city_zh is not None:
            belt.city_zh = city_zh.strip()
        belt.description_en = description_en.strip()
        belt.description_zh = description_zh.strip()
        belt.number_of_firms = number_of_firms
        belt.annual_output_cny = annual_output_cny
        belt.employees = employees
        belt.export_share_percent = export_share_percent
        belt.save(
            update_fields=[
                "city_zh",
                "description_en",
                "description_zh",
                "number_of_firms",
                "annual_output_cny",
                "employees",
                "export_share_percent",
                "updated_at",
            ]
        )
        belt.specialties.set(list(specialties))
    return belt


def belt_next_statuses(belt: IndustrialBelt) -> list[str]:
    """The statuses the belt may move to from where it is, in lifecycle order."""
    allowed = TRANSITIONS.get(belt.status, set())
    return [status for status in Status.values if status in allowed]


def belt_transition(*, belt: IndustrialBelt, actor: User, to_status: str, reason: str = "") -> BeltEvent:
    """Move a belt to `to_status` (staff only) and record who, when, from, to and why.

    Locks the belt and checks the move against `TRANSITIONS` from its current status, so two
    clicks at once make one move: the second finds the belt already moved and gets Conflict. A
    move back (pause, return to draft) needs a reason. On success `belt` holds the new status.
    """
    _require_staff(actor)
    if to_status not in Status.values:
        raise InvalidInput(_("“%(status)s” is not a belt status.") % {"status": to_status}, field="to_status")
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise InvalidInput(
            _("Keep the reason under %(limit)s characters.") % {"limit": REASON_MAX_LENGTH}, field="reason"
        )
    with transaction.atomic():
        locked = _locked(belt_id=belt.pk, actor=actor)
        if to_status not in TRANSITIONS[locked.status]:
            raise Conflict(
                _("This belt is %(status)s; it cannot become %(target)s.")
                % {"status": locked.get_status_display().lower(), "target": Status(to_status).label.lower()}
            )
        if (locked.status, to_status) in BACKWARD and not reason:
            raise InvalidInput(
                _("Say why the belt goes back to %(target)s: its managers and factories will ask.")
                % {"target": Status(to_status).label.lower()},
                field="reason",
            )
        event = BeltEvent.objects.create(
            belt=locked,
            actor=actor,
            from_status=locked.status,
            to_status=to_status,
            reason=reason,
            created_at=timezone.now(),
        )
        locked.status = to_status
        locked.save(update_fields=["status", "updated_at"])
    belt.status = locked.status
    belt.updated_at = locked.updated_at
    return event


# --- Managers ----------------------------------------------------------------------------------


def _notify_new_managers(belt: IndustrialBelt, users: Iterable[User]) -> None:
    notify(
        recipients=users,
        kind="belt_manager_added",
        event_key=f"belt_manager_added:{belt.pk}:{timezone.now():%Y%m%d%H%M%S%f}",
        context={"belt_en": belt.name_en, "belt_zh": belt.name_zh},
        url=reverse("belt_admin:belt_detail", kwargs={"slug": belt.slug}),
    )


def belt_managers_set(*, belt: IndustrialBelt, actor: User, users: Iterable[User]) -> list[User]:
    """Make exactly `users` the managers of `belt` (staff only). Inactive accounts are refused;
    people newly given the belt are notified. Returns the managers."""
    _require_staff(actor)
    wanted = {user.pk: user for user in users}
    if len(wanted) > MAX_MANAGERS:
        raise InvalidInput(_("A belt can have at most %(limit)s managers.") % {"limit": MAX_MANAGERS})
    for user in wanted.values():
        if not user.is_active:
            raise InvalidInput(
                _("The account %(email)s is deactivated; it cannot manage a belt.") % {"email": user.email},
                field="email",
            )
    with transaction.atomic():
        locked = _locked(belt_id=belt.pk, actor=actor)
        current = set(locked.managers.values_list("pk", flat=True))
        added = [user for pk, user in wanted.items() if pk not in current]
        locked.managers.set(list(wanted.values()))
        if added:
            _notify_new_managers(locked, added)
    return sorted(wanted.values(), key=lambda user: user.email)


def belt_manager_add(*, belt: IndustrialBelt, actor: User, email: str) -> User:
    """Give the existing account with this e-mail management of `belt` (staff only).

    An unknown or deactivated e-mail, or somebody who already manages the belt, is refused with
    a message that says so. The new manager is notified.
    """
    _require_staff(actor)
    email = (email or "").strip()
    if not email:
        raise InvalidInput(_("Enter the e-mail address of the person's SourceBelt account."), field="email")
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        raise InvalidInput(
            _("No SourceBelt account has the e-mail address %(email)s. Ask the person to sign up first.")
            % {"email": email},
            field="email",
        )
    if not user.is_active:
        raise InvalidInput(
            _("The account %(email)s is deactivated; it cannot manage a belt.") % {"email": user.email}, field="email"
        )
    with transaction.atomic():
        locked = _locked(belt_id=belt.pk, actor=actor)
        if locked.managers.filter(pk=user.pk).exists():
            raise Conflict(_("%(email)s already manages this belt.") % {"email": user.email})
        if locked.managers.count() >= MAX_MANAGERS:
            raise InvalidInput(_("A belt can have at most %(limit)s managers.") % {"limit": MAX_MANAGERS})
        locked.managers.add(user)
        _notify_new_managers(locked, [user])
    return user


def belt_manager_remove(*, belt: IndustrialBelt, actor: User, user_id: int) -> User:
    """Take management of `belt` away from one person (staff only); NotFound if they do not manage it."""
    _require_staff(actor)
    with transaction.atomic():
        locked = _locked(belt_id=belt.pk, actor=actor)
        user = locked.managers.filter(pk=user_id).first()
        if user is None:
            raise NotFound(_("That person does not manage this belt."))
        locked.managers.remove(user)
    return user
