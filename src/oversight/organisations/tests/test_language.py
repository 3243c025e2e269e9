"""An organisation's preferred language: chosen when it is added or changed on its page, by regulator staff."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from oversight.core.models import ObjectChange
from oversight.organisations.actions import set_preferred_language
from oversight.organisations.models import Language, Organisation


def test_regulator_sets_a_bodys_language_on_its_page(client_for, regulator, body_a):
    client = client_for(regulator)
    detail = client.get(body_a.get_absolute_url()).content.decode()
    url = reverse('organisations:organisation_language', args=[body_a.slug])
    assert 'data-testid="preferred-language">English<' in detail and url in detail
    page = client.get(url).content.decode()
    assert '<option value="cy">Cymraeg (Welsh)</option>' in page
    response = client.post(url, {'preferred_language': 'cy'})
    assert response.status_code == 302 and response.url == body_a.get_absolute_url()
    body_a.refresh_from_db()
    assert body_a.preferred_language == Language.WELSH
    assert ObjectChange.objects.filter(object_id=str(body_a.pk), message='Preferred language: Cymraeg (Welsh)').exists()
    refused = client.post(url, {'preferred_language': 'fr'})
    assert refused.status_code == 200 and 'Select a valid choice' in refused.content.decode()


def test_a_body_sees_its_language_but_cannot_change_it(client_for, editor_a, body_a):
    client = client_for(editor_a)
    url = reverse('organisations:organisation_language', args=[body_a.slug])
    assert url not in client.get(body_a.get_absolute_url()).content.decode()
    assert client.post(url, {'preferred_language': 'cy'}).status_code == 403
    body_a.refresh_from_db()
    assert body_a.preferred_language == Language.ENGLISH


def test_an_organisation_added_in_welsh(client_for, regulator):
    client_for(regulator).post(
        reverse('organisations:organisation_create'),
        {
            'name': 'Cyngor Gwynedd',
            'kind': 'local_authority',
            'source': 'https://gwynedd.llyw.cymru',
            'preferred_language': 'cy',
        },
    )
    assert Organisation.objects.get(name='Cyngor Gwynedd').preferred_language == 'cy'


def test_only_offered_languages_are_stored(regulator, body_a):
    with pytest.raises(ValidationError):
        set_preferred_language(regulator, body_a, 'fr')
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.filter(pk=body_a.pk).update(preferred_language='fr')
