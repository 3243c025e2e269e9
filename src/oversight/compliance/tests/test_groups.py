"""Assessments of a group of systems: one assessment answering for other systems of the same body."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from oversight.compliance import actions
from oversight.compliance.governance import snapshot
from oversight.compliance.models import Principle
from oversight.register import actions as register_actions
from oversight.register.models import Category


@pytest.fixture
def systems_a(body_a, system_a):
    town = register_actions.create_system(None, body_a, name='Town CCTV', category=Category.EXTERNAL_CCTV)
    return system_a, town


def _answer_all(assessment):
    for principle in Principle.objects.all():
        actions.answer_principle(None, assessment, principle, response='met')
    actions.add_plan_action(None, assessment, Principle.objects.get(number=2), action='Review', owner='DPO')


def test_an_editor_makes_an_assessment_of_a_group_through_the_pages(client_for, editor_a, systems_a, body_a):
    custody, town = systems_a
    assessment = actions.start_assessment(editor_a, custody)
    client = client_for(editor_a)
    url = reverse('compliance:assessment_group', args=[assessment.pk])
    page = client.get(url).content.decode()
    assert 'Town CCTV' in page and 'Custody CCTV (' not in page  # only the body's other systems
    assert client.post(url, {'also_covers': [town.pk], 'version': assessment.version}).status_code == 302
    assert list(assessment.also_covers.all()) == [town]
    assert 'Town CCTV' in client.get(assessment.get_absolute_url()).content.decode()

    _answer_all(assessment)
    actions.freeze_assessment(None, assessment)
    entries = {e['system']: e for e in snapshot(body_a, datetime.date.today())}
    assert entries[town.pk]['self_assessed'] and entries[custody.pk]['self_assessed']
    # The group's actions count once, with the system it was started from.
    assert entries[custody.pk]['open_actions'] == {'2': 1} and entries[town.pk]['open_actions'] == {}

    assessment.refresh_from_db()
    actions.publish_assessment(None, assessment)
    actions.publish_transparency(None, body_a)
    public = Client().get(reverse('transparency:body', args=[body_a.slug])).content.decode()
    assert public.count('data-testid="published-assessment"') == 2  # shown for both systems it covers

    second = actions.start_assessment(None, custody)
    assert list(second.also_covers.all()) == [town]  # a new version keeps the group


def test_a_group_is_of_one_body_and_a_frozen_one_keeps_its_group(systems_a, system_b):
    custody, town = systems_a
    assessment = actions.start_assessment(None, custody)
    with pytest.raises(ValidationError) as refused:
        actions.cover_systems(None, assessment, [system_b])
    assert 'also_covers' in refused.value.message_dict
    with pytest.raises(ValidationError):
        actions.cover_systems(None, assessment, [custody])
    with pytest.raises(IntegrityError), transaction.atomic():
        assessment.also_covers.add(system_b)  # the database refuses another body's system too
    _answer_all(assessment)
    actions.freeze_assessment(None, assessment)
    with pytest.raises(ValidationError, match='frozen'):
        actions.cover_systems(None, assessment, [town])
    with pytest.raises(IntegrityError), transaction.atomic():
        assessment.also_covers.add(town)


def test_viewers_and_another_body_cannot_change_a_group(client_for, viewer_a, editor_b, systems_a):
    assessment = actions.start_assessment(None, systems_a[0])
    url = reverse('compliance:assessment_group', args=[assessment.pk])
    assert client_for(viewer_a).get(url).status_code == 403
    assert client_for(editor_b).get(url).status_code == 404
