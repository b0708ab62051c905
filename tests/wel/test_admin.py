import pytest


@pytest.mark.parametrize(
    "persona,expected",
    [
        ("beheerder", 200),
        ("landelijk", 302),
        ("kartrekker_a", 302),
        ("lpa_a", 302),
        ("anonymous", 302),
    ],
)
def test_admin_is_for_beheerders_only(client_for, persona, expected):
    response = client_for(persona).get("/beheer/")
    assert response.status_code == expected
    if expected == 302:
        assert "/beheer/login/" in response.url


def test_beheerder_can_open_user_and_audit_admin(client_for):
    client = client_for("beheerder")
    assert client.get("/beheer/wel/user/").status_code == 200
    assert client.get("/beheer/wel/auditevent/").status_code == 200
    # The audit log cannot be changed or deleted through the admin.
    assert client.get("/beheer/wel/auditevent/add/").status_code == 403
