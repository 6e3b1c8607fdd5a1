"""The suppliers app: supplier sign-up, becoming a supplier, the supplier's own pages, public pages.

A company without a supplier profile is sent to `suppliers:become`; one with a profile to its
dashboard. Staff belong to no company and are sent to the company page. The profile's sections
(capacity, certifications, photos) belong to the `supplier` actor: another supplier gets 404.
"""

from __future__ import annotations

from tests.matrix import Route, World, expect
from tests.suppliers.factories_profile import CertificationFactory, FactoryPhotoFactory, ProductLineCapacityFactory

SELLERS_ONLY = expect(200, anonymous=302, buyer=302, other_buyer=302, staff=302)
# One supplier's own row: it gets `ok`; another supplier 404; the rest are sent to log in, to sell, or to a company.
OWN_ROW_GET = expect(302, supplier=200, other_supplier=404)
OWN_ROW_POST = expect(302, other_supplier=404)


def build(world: World) -> None:
    supplier = world.actors["supplier"].supplier
    world.capacity = ProductLineCapacityFactory(supplier=supplier)
    world.certification = CertificationFactory(supplier=supplier)
    world.photo = FactoryPhotoFactory(supplier=supplier)


ROUTES = [
    Route("suppliers:signup", expect(200)),
    Route("suppliers:become", expect(302, buyer=200, other_buyer=200)),
    Route("suppliers:dashboard", SELLERS_ONLY),
    Route("suppliers:profile_edit", SELLERS_ONLY),
    Route("suppliers:capacity_list", SELLERS_ONLY),
    Route("suppliers:capacity_edit", OWN_ROW_GET, kwargs=lambda w: {"pk": w.capacity.pk}),
    Route("suppliers:capacity_delete", OWN_ROW_POST, method="post", kwargs=lambda w: {"pk": w.capacity.pk}),
    Route("suppliers:certification_list", SELLERS_ONLY),
    Route("suppliers:certification_file", OWN_ROW_GET, kwargs=lambda w: {"pk": w.certification.pk}),
    Route("suppliers:certification_delete", OWN_ROW_POST, method="post", kwargs=lambda w: {"pk": w.certification.pk}),
    Route("suppliers:photo_list", SELLERS_ONLY),
    Route("suppliers:photo_delete", OWN_ROW_POST, method="post", kwargs=lambda w: {"pk": w.photo.pk}),
    Route("suppliers:detail", expect(200), kwargs=lambda w: {"pk": w.actors["supplier"].supplier.pk}),
]
