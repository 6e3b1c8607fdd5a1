"""The typed helpers of marketplace.tenancy: who is signed in, and whether a company sells."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from rest_framework.exceptions import NotAuthenticated

from marketplace.tenancy import choose_company, signed_in_user
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_signed_in_user_is_the_requests_user() -> None:
    request = RequestFactory().get("/")
    request.user = UserFactory()

    assert signed_in_user(request) == request.user


def test_an_anonymous_request_has_no_signed_in_user_and_the_api_says_401() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    with pytest.raises(NotAuthenticated):
        signed_in_user(request)


def test_an_anonymous_request_chooses_no_company() -> None:
    membership = MembershipFactory()
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.session = {}  # type: ignore[assignment]

    assert choose_company(request, membership.company_id) is None
    assert request.session == {}
