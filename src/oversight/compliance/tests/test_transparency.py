"""Transparency pages (principle 3): published by a body's editors or administrators, public, never its sites."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from oversight.accounts.models import User
from oversight.compliance import actions
from oversight.compliance.models import Principle, Transparency
from oversight.core.models import ObjectChange
from oversight.register import actions as register_actions
from oversight.register.models import Site

PUBLISH, WITHDRAW = reverse('compliance:transparency_publish'), reverse('compliance:transparency_unpublish')


def _public(body):
    return Client().get(reverse('transparency:body', args=[body.slug]))


def _freeze(system, *, action_owner='Estates team'):
    assessment = actions.start_assessment(None, system)
    for principle in Principle.objects.all():
        actions.answer_principle(None, assessment, principle, response='met', comment=f'Met {principle.number}')
    actions.add_plan_action(
        None, assessment, Principle.objects.get(number=3), action='Put up signs', owner=action_owner
    )
    return actions.freeze_assessment(None, assessment)


def test_an_editor_publishes_the_transparency_page_and_withdraws_it_through_the_pages(
    client_for, editor_a, body_a, system_a
):
    actions.record_governance(
        None, system_a, purpose='Safety of detained persons', spoc_name='Information Rights Unit',
        spoc_contact='cctv@kent.police.example', dpia_completed_on=datetime.date(2024, 1, 10),
    )  # fmt: skip
    client = client_for(editor_a)
    preview = client.get(reverse('compliance:transparency')).content.decode()
    assert 'Not published' in preview and 'Safety of detained persons' in preview
    assert _public(body_a).status_code == 404

    assert client.get(PUBLISH).status_code == 200
    assert client.post(PUBLISH, {'version': 0}).status_code == 302
    page = _public(body_a)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'Custody CCTV' in html and 'Safety of detained persons' in html and 'cctv@kent.police.example' in html
    assert 'Internal CCTV' in html and 'Review due' in html  # by category, with its DPIA status
    listed = Client().get(reverse('transparency:list')).content.decode()
    assert reverse('transparency:body', args=[body_a.slug]) in listed
    assert reverse('transparency:list') in Client().get(reverse('publications:publication_list')).content.decode()
    change = ObjectChange.objects.filter(object_repr__startswith='Transparency page').latest('time')
    assert change.user == editor_a and change.message == 'Published'

    published = Transparency.objects.get(organisation=body_a)
    assert client.post(WITHDRAW, {'version': published.version}).status_code == 302
    assert _public(body_a).status_code == 404
    assert body_a.slug not in Client().get(reverse('transparency:list')).content.decode()


def test_the_public_page_never_shows_sites_their_addresses_or_the_register_below_a_system(body_a, system_a):
    site = register_actions.create_site(
        None, body_a, name='Secret Firearms Store', address='1 Hidden Lane, Maidstone', postcode='ME1 9ZZ',
        kind=Site.Kind.OTHER, sensitive=True,
    )  # fmt: skip
    register_actions.create_line(
        None, body_a, site=site, system=system_a, manufacturer_declared='Axis', model='Q6075-E', quantity=7
    )
    system_a.description = 'Covers the armoury at Secret Firearms Store'
    system_a.save()
    actions.record_governance(None, system_a, purpose='Protecting the armoury')
    actions.publish_transparency(None, body_a)

    html = _public(body_a).content.decode()

    assert 'Protecting the armoury' in html
    for secret in ('Secret Firearms Store', 'Hidden Lane', 'ME1 9ZZ', 'Q6075-E', 'Axis', 'ensitive'):
        assert secret not in html


def test_a_frozen_assessment_is_published_on_the_page_through_the_pages_without_its_owners(
    client_for, editor_a, body_a, system_a
):
    client = client_for(editor_a)
    open_one = actions.start_assessment(None, system_a)
    refused = client.post(reverse('compliance:assessment_publish', args=[open_one.pk]), {'version': open_one.version})
    assert refused.status_code == 200 and 'Freeze' in refused.content.decode()
    open_one.delete()
    assessment = _freeze(system_a)
    actions.publish_transparency(None, body_a)
    assert 'data-testid="published-assessment"' not in _public(body_a).content.decode()

    url = reverse('compliance:assessment_publish', args=[assessment.pk])
    assert client.post(url, {'version': assessment.version}).status_code == 302
    html = _public(body_a).content.decode()
    assert 'data-testid="published-assessment"' in html and 'Met 12' in html and 'Put up signs' in html
    assert 'Estates team' not in html  # owners are people's names or teams: kept inside

    assessment.refresh_from_db()
    withdraw = reverse('compliance:assessment_unpublish', args=[assessment.pk])
    assert client.post(withdraw, {'version': assessment.version}).status_code == 302
    assert 'Met 12' not in _public(body_a).content.decode()


def test_administrators_may_publish_viewers_and_the_regulator_may_not(body_a, editor_b, viewer_a, regulator, system_a):
    administrator = User.objects.create_user(
        username='admin_a', password='pw', organisation=body_a, role=User.Role.ADMINISTRATOR
    )
    assert actions.publish_transparency(administrator, body_a).published
    assessment = _freeze(system_a)
    for outsider in (viewer_a, regulator, editor_b):
        with pytest.raises(PermissionDenied):
            actions.unpublish_transparency(outsider, body_a)
        with pytest.raises(PermissionDenied):
            actions.publish_assessment(outsider, assessment)
    with pytest.raises(ValidationError, match='already published'):
        actions.publish_transparency(administrator, body_a)


def test_the_database_refuses_publishing_an_open_assessment(system_a):
    from django.db import IntegrityError, transaction

    assessment = actions.start_assessment(None, system_a)
    assessment.published_on = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    with pytest.raises(IntegrityError), transaction.atomic():
        assessment.save()


def test_another_body_gets_404_on_assessment_publishing(client_for, editor_b, system_a):
    assessment = _freeze(system_a)
    client = client_for(editor_b)
    assert client.get(reverse('compliance:assessment_publish', args=[assessment.pk])).status_code == 404


def test_the_regulator_sees_which_bodies_publish_and_a_viewer_sees_the_page_without_the_button(
    client_for, regulator, viewer_a, body_a, body_b
):
    actions.publish_transparency(None, body_b)
    listed = client_for(regulator).get(reverse('compliance:transparency')).content.decode()
    assert body_b.name in listed and body_a.name not in listed
    assert client_for(regulator).get(PUBLISH).status_code == 404  # the regulator has no page of its own
    viewer_page = client_for(viewer_a).get(reverse('compliance:transparency')).content.decode()
    assert 'Not published' in viewer_page and PUBLISH not in viewer_page
