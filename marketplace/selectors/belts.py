"""Which belts a person may run: staff every belt, a belt manager only the belts given to them.

Pages and endpoints that act on a belt's onboarding or private figures read the belt through
`managed_belt_or_404`, which raises NotFound for another belt, so a belt manager reaching it gets
404, as for anything a person may not see.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from marketplace.errors import NotFound
from marketplace.models import IndustrialBelt, User


def belts_managed_by(user: User) -> QuerySet[IndustrialBelt]:
    """Every belt for staff; the belts a manager was given; none for anyone else."""
    if not user.is_authenticated or not user.is_active:
        return IndustrialBelt.objects.none()
    if user.is_staff:
        return IndustrialBelt.objects.all()
    return IndustrialBelt.objects.filter(managers=user)


def manages_any_belt(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_staff or belts_managed_by(user).exists()))


def managed_belt_or_404(user: User, slug: str) -> IndustrialBelt:
    """The belt with this slug if `user` runs it (staff, or one of its managers); else NotFound (404)."""
    belt = belts_managed_by(user).filter(slug=slug).first()
    if belt is None:
        raise NotFound(_("No such belt among the belts you manage."))
    return belt
