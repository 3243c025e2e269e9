import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(reverse('core:home'))
    assert response.status_code == 302
    assert reverse('account_login') in response['Location']


def test_home_shows_body_name(client_for, editor_a):
    response = client_for(editor_a).get(reverse('core:home'))
    assert response.status_code == 200
    assert 'Kent Police' in response.content.decode()
    assert "script-src 'self' 'nonce-" in response['Content-Security-Policy']


def test_policing_bodies_are_loaded(db):
    from oversight.organisations.models import Organisation

    assert Organisation.objects.bodies().filter(groups__slug='policing-bodies-england-wales').count() == 47
