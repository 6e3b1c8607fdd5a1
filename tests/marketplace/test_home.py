import pytest


@pytest.mark.django_db
def test_home_page_invites_a_visitor_to_browse_the_belts(client: object) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "Browse industrial belts" in response.content.decode()
