"""Error answers are pages a person understands, in the site's layout, and lose nothing."""

import pytest
from django.urls import reverse

from marketplace.models import User

pytestmark = pytest.mark.django_db


def test_ten_megabytes_of_text_in_a_form_is_refused_with_a_clear_page_and_nothing_is_saved(client: object) -> None:
    response = client.post(
        reverse("signup_buyer"),
        {"name": "x" * (10 * 1024 * 1024), "email": "big@example.com", "password1": "a-long-passphrase-1"},
    )
    assert response.status_code == 413
    assert "its text may hold at most 2.5 MB in all" in response.content.decode()
    assert not User.objects.filter(email="big@example.com").exists()


def test_an_unknown_page_answers_404_with_a_way_home(client: object) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "There is nothing here" in response.content.decode()
    assert 'href="/"' in response.content.decode()
