"""A company sells while it has a supplier profile: `Company.sells`, kept by the suppliers app,
is what the kernel asks (tenancy, the navigation), and the kernel's pages list a belt's suppliers
through the directory the suppliers app registers."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.models import Company
from marketplace.seller_directory import seller_directory
from marketplace.tenancy import company_sells
from suppliers.selectors.directory import SupplierDirectory
from suppliers.services import supplier_become
from tests.factories import (
    CategoryFactory,
    IndustrialBeltFactory,
    MembershipFactory,
    StaffFactory,
    SupplierProfileFactory,
)

pytestmark = pytest.mark.django_db


def test_a_company_sells_once_it_becomes_a_supplier() -> None:
    buyer = MembershipFactory()
    assert not company_sells(buyer.company)

    gloves = CategoryFactory()
    supplier_become(
        membership=buyer,
        supplier_name="Gaomi Green Gloves",
        belt=IndustrialBeltFactory(specialties=[gloves]),
        province="shandong",
        city="Gaomi",
        main_categories=[gloves],
        business_type="manufacturer",
    )

    assert company_sells(Company.objects.get(pk=buyer.company_id))


def test_a_company_whose_profile_staff_delete_no_longer_sells() -> None:
    profile = SupplierProfileFactory()
    assert Company.objects.get(pk=profile.company_id).sells
    client = Client()
    client.force_login(StaffFactory())

    response = client.post(reverse("admin:suppliers_supplierprofile_delete", args=[profile.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Company.objects.get(pk=profile.company_id).sells


def test_the_kernel_lists_suppliers_through_the_directory_the_suppliers_app_registered() -> None:
    belt = IndustrialBeltFactory()
    pending = SupplierProfileFactory(belt=belt, name="B pending", verification_status="pending")
    verified = SupplierProfileFactory(belt=belt, name="Z verified", verification_status="verified")
    SupplierProfileFactory(belt=belt, name="A inactive", is_active=False)

    assert isinstance(seller_directory(), SupplierDirectory)
    assert list(seller_directory().in_belt(belt)) == [verified, pending]
