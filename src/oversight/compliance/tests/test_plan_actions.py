"""Changing an action of a self-assessment's plan (its status, owner, due date, text), on the pages and the API, and
the "action past due" task that clears as soon as the action is done or due later."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from oversight.compliance import actions
from oversight.compliance.models import PlanAction, Principle, ReviewTask
from oversight.core.audit import STALE_MESSAGE
from oversight.core.models import ObjectChange
from oversight.register import actions as register_actions

D = datetime.date
NOW = datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)
CLEARED = 'No action of the latest self-assessment is past due any more.'
FROZEN = 'is frozen and cannot change: start a new version.'


@pytest.fixture
def late(system_a):
    """An action of system_a's open assessment, due on 20 May 2026 and not done: past due on NOW, with its task."""
    with time_machine.travel(NOW, tick=False):
        assessment = actions.start_assessment(None, system_a)
        item = actions.add_plan_action(
            None, assessment, Principle.objects.get(number=3), action='Publish a contact point', owner='DPO',
            due=D(2026, 5, 20),
        )  # fmt: skip
        actions.raise_review_tasks(D(2026, 6, 1))
    assert _task(system_a).reason.startswith('1 action of Self-assessment 1 of Custody CCTV past due')
    return item


def _task(system):
    return ReviewTask.objects.filter(system=system, kind=ReviewTask.Kind.ACTION_DUE).get()


def _change(item):
    return reverse('compliance:assessment_plan_change', args=[item.assessment_id, item.pk])


def _form(item, **changes):
    values = {'action': item.action, 'owner': item.owner, 'due': item.due or '', 'status': item.status}
    return {**values, 'version': item.version, **changes}


def _other_system(system):
    """Another system of the same body."""
    return register_actions.create_system(None, system.organisation, name='Front desk', category='internal_cctv')


def _answer_all_and_freeze(assessment):
    for principle in Principle.objects.all():
        actions.answer_principle(None, assessment, principle, response='met')
    actions.freeze_assessment(None, assessment)


@time_machine.travel(NOW, tick=False)
def test_an_editor_marks_an_action_done_through_the_pages_and_its_task_resolves(client_for, editor_a, late):
    client = client_for(editor_a)
    url = reverse('compliance:assessment_plan_change', args=[late.assessment_id, late.pk])
    page = client.get(late.assessment.get_absolute_url()).content.decode()
    assert f'href="{url}">Change<span class="govuk-visually-hidden"> the action “Publish a contact point”' in page
    form = client.get(url)
    assert form.status_code == 200 and 'Change an action for principle 3' in form.content.decode()

    stale = client.post(url, _form(late, status='done', version=late.version + 1))
    assert stale.status_code == 200 and STALE_MESSAGE in stale.content.decode()
    done = client.post(url, _form(late, status='done', owner='Head of information'))
    assert done.status_code == 302
    assert done['Location'] == late.assessment.get_absolute_url() + '#principle-3'
    late.refresh_from_db()
    assert (late.status, late.owner, late.version) == (PlanAction.Status.DONE, 'Head of information', 2)
    change = ObjectChange.objects.for_object(late).latest('pk')
    assert change.user == editor_a and change.before['status'] == 'open' and change.after['status'] == 'done'
    # The task cleared at once, not at the next daily run.
    task = _task(late.assessment.system)
    assert not task.is_open and task.resolution == CLEARED and task.resolved_by is None
    page = client.get(late.assessment.get_absolute_url()).content.decode()
    assert '(Head of information, due 20 May 2026; done)' in page


@time_machine.travel(NOW, tick=False)
def test_the_change_page_is_the_bodys_editors_and_a_frozen_assessment_refuses_it(
    client_for, editor_a, viewer_a, editor_b, late, system_a
):
    url = _change(late)
    assert client_for(editor_b).get(url).status_code == 404
    assert client_for(editor_b).post(url, _form(late, status='done')).status_code == 404
    assert client_for(viewer_a).get(url).status_code == 403
    assert client_for(viewer_a).post(url, _form(late, status='done')).status_code == 403
    # An action is changed under its own assessment only.
    other = actions.start_assessment(None, _other_system(system_a))
    elsewhere = reverse('compliance:assessment_plan_change', args=[other.pk, late.pk])
    assert client_for(editor_a).get(elsewhere).status_code == 404

    client = client_for(editor_a)
    opened = client.get(url)  # the form is opened, then the assessment is frozen
    assert opened.status_code == 200
    _answer_all_and_freeze(late.assessment)
    refused = client.post(url, _form(late, status='done'))
    assert refused.status_code == 200 and FROZEN in refused.content.decode()
    late.refresh_from_db()
    assert late.status == PlanAction.Status.OPEN
    page = client.get(late.assessment.get_absolute_url()).content.decode()
    assert url not in page  # a frozen version offers no change


def test_moving_the_due_date_later_resolves_the_task_and_an_earlier_one_raises_it(editor_a, late):
    system = late.assessment.system
    with time_machine.travel(NOW, tick=False):
        still_late = actions.update_plan_action(editor_a, late, late.version, due=D(2026, 5, 25))
        assert _task(system).is_open  # moved, but still before today
        actions.update_plan_action(editor_a, still_late, still_late.version, due=D(2026, 7, 1))
        assert not _task(system).is_open and _task(system).resolution == CLEARED
    with time_machine.travel(NOW + datetime.timedelta(days=1), tick=False):
        late.refresh_from_db()
        actions.update_plan_action(editor_a, late, late.version, due=D(2026, 5, 1), status='in_progress')
    raised = ReviewTask.objects.get(system=system, kind=ReviewTask.Kind.ACTION_DUE, resolved_at__isnull=True)
    assert raised.reason.endswith('(the earliest was due on 1 May 2026).')


def test_the_action_refuses_a_stale_version_a_frozen_assessment_other_fields_and_other_people(
    editor_a, viewer_a, editor_b, late
):
    with pytest.raises(ValidationError, match='Someone else saved a change'):
        actions.update_plan_action(editor_a, late, late.version + 1, status='done')
    with pytest.raises(TypeError, match='principle'):
        actions.update_plan_action(editor_a, late, late.version, principle=Principle.objects.get(number=1))
    for person in (viewer_a, editor_b):
        with pytest.raises(PermissionDenied):
            actions.update_plan_action(person, late, late.version, status='done')
    with pytest.raises(ValidationError) as refused:
        actions.update_plan_action(editor_a, late, late.version, owner='')
    assert 'owner' in refused.value.message_dict
    _answer_all_and_freeze(late.assessment)
    with pytest.raises(ValidationError, match=FROZEN) as frozen:
        actions.update_plan_action(editor_a, late, late.version, status='done')
    assert frozen.value.code == 'frozen'
    assert PlanAction.objects.get(pk=late.pk).status == PlanAction.Status.OPEN


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@time_machine.travel(NOW, tick=False)
def test_an_editor_changes_an_action_through_the_api_in_scope(editor_a, viewer_a, editor_b, regulator, late, system_a):
    url = f'/api/compliance/assessments/{late.assessment_id}/plan/{late.pk}/'
    client = _api(editor_a)
    assert client.patch(url, {'status': 'done'}, format='json').json() == {
        'version': ['Send the version you read: it is required for an edit.']
    }
    blank = client.patch(url, {'owner': '', 'version': late.version}, format='json')
    assert blank.status_code == 400 and 'owner' in blank.json()
    bad = client.patch(url, {'status': 'finished', 'version': late.version}, format='json')
    assert bad.status_code == 400 and 'status' in bad.json()
    assert client.patch(url, {'status': 'done', 'version': late.version + 1}, format='json').status_code == 409
    # Viewers and the regulator read but do not change; another body's action is not there for them.
    assert _api(viewer_a).patch(url, {'status': 'done', 'version': late.version}, format='json').status_code == 403
    assert _api(regulator).patch(url, {'status': 'done', 'version': late.version}, format='json').status_code == 403
    assert _api(editor_b).patch(url, {'status': 'done', 'version': late.version}, format='json').status_code == 404
    other = actions.start_assessment(None, _other_system(system_a))
    elsewhere = f'/api/compliance/assessments/{other.pk}/plan/{late.pk}/'
    assert client.patch(elsewhere, {'status': 'done', 'version': late.version}, format='json').status_code == 404
    assert PlanAction.objects.get(pk=late.pk).status == PlanAction.Status.OPEN and _task(system_a).is_open

    done = client.patch(url, {'status': 'done', 'due': '2026-06-30', 'version': late.version}, format='json')
    assert done.status_code == 200, done.content
    assert done.json() == {
        'id': late.pk, 'principle': 3, 'action': 'Publish a contact point', 'owner': 'DPO', 'due': '2026-06-30',
        'status': 'done', 'version': 2,
    }  # fmt: skip
    assert ObjectChange.objects.for_object(late).latest('pk').user == editor_a
    assert not _task(system_a).is_open and _task(system_a).resolution == CLEARED
    listed = client.get(f'/api/compliance/assessments/{late.assessment_id}/').json()['plan']
    assert [(row['id'], row['status'], row['version']) for row in listed] == [(late.pk, 'done', 2)]

    _answer_all_and_freeze(late.assessment)
    frozen = client.patch(url, {'status': 'open', 'version': 2}, format='json')
    assert frozen.status_code == 409 and FROZEN in frozen.json()['detail']
    assert PlanAction.objects.get(pk=late.pk).status == PlanAction.Status.DONE
