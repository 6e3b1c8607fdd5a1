"""Country lists are in the reader's language, every country of them."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_buyer_sign_up_form_lists_countries_in_chinese_for_a_chinese_reader(client: object) -> None:
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("signup_buyer")).content.decode()
    assert "斯里兰卡" in page
    assert ">Sri Lanka<" not in page
    # Names django-countries leaves untranslated come from our own catalogue.
    assert "土耳其" in page
    assert ">Türkiye<" not in page
