import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from oversight.compliance import actions
from oversight.compliance.models import Answer, Assessment, PlanAction, Principle
from oversight.core.models import ObjectChange


def _answer_all(editor, assessment, response='met'):
    for principle in Principle.objects.all():
        actions.answer_principle(editor, assessment, principle, response=response, comment=f'P{principle.number}')


def test_an_assessment_is_answered_planned_frozen_then_revised_as_a_new_version(editor_a, system_a):
    first = actions.start_assessment(editor_a, system_a)
    assert first.number == 1 and not first.frozen
    _answer_all(editor_a, first)
    p3 = Principle.objects.get(number=3)
    actions.answer_principle(editor_a, first, p3, 1, response='partly', comment='No published contact point')
    actions.add_plan_action(editor_a, first, p3, action='Publish a contact point', owner='Head of information')
    actions.add_plan_action(editor_a, first, p3, action='Old task', owner='Someone', status='done')
    frozen = actions.freeze_assessment(editor_a, first, first.version)
    assert frozen.frozen and frozen.frozen_by == editor_a
    second = actions.start_assessment(editor_a, system_a)
    assert second.number == 2
    # The new version starts from the answers and the unfinished actions of the last one.
    assert second.answers.get(principle=p3).response == 'partly' and second.answers.count() == 12
    assert list(second.plan.values_list('action', flat=True)) == ['Publish a contact point']
    assert ObjectChange.objects.filter(object_id=str(first.pk), content_type__model='assessment').count() == 2


def test_a_frozen_assessment_cannot_change(editor_a, system_a):
    assessment = actions.start_assessment(editor_a, system_a)
    _answer_all(editor_a, assessment)
    actions.freeze_assessment(editor_a, assessment)
    principle = Principle.objects.get(number=1)
    for change in (
        lambda: actions.answer_principle(editor_a, assessment, principle, 1, response='not_met'),
        lambda: actions.add_plan_action(editor_a, assessment, principle, action='x', owner='y'),
        lambda: actions.freeze_assessment(editor_a, assessment),
    ):
        with pytest.raises(ValidationError, match='frozen'):
            change()
    assert assessment.answers.get(principle=principle).response == 'met'


def test_the_database_refuses_changes_to_a_frozen_assessment(editor_a, system_a):
    """Past the actions (the admin, a shell, a bug), triggers keep a frozen version as it was."""
    assessment = actions.start_assessment(editor_a, system_a)
    _answer_all(editor_a, assessment)
    principle = Principle.objects.get(number=1)
    actions.add_plan_action(editor_a, assessment, principle, action='Review signage', owner='Site manager')
    actions.freeze_assessment(editor_a, assessment)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.filter(assessment=assessment, principle=principle).update(response='not_met')
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanAction.objects.filter(assessment=assessment).update(status='done')
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanAction.objects.create(assessment=assessment, principle=principle, action='x', owner='y')


def test_only_a_complete_assessment_is_frozen_and_only_one_is_open(editor_a, system_a):
    assessment = actions.start_assessment(editor_a, system_a)
    actions.answer_principle(editor_a, assessment, Principle.objects.get(number=1), response='met')
    with pytest.raises(ValidationError, match='principles 2, 3'):
        actions.freeze_assessment(editor_a, assessment)
    with pytest.raises(ValidationError, match='still open'):
        actions.start_assessment(editor_a, system_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(system=system_a, number=2)


@pytest.mark.parametrize('who', ['viewer_a', 'editor_b', 'regulator'])
def test_only_the_bodys_editors_assess(request, who, editor_a, system_a):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        actions.start_assessment(user, system_a)
    assessment = actions.start_assessment(editor_a, system_a)
    with pytest.raises(PermissionDenied):
        actions.answer_principle(user, assessment, Principle.objects.get(number=1), response='met')
    with pytest.raises(PermissionDenied):
        actions.freeze_assessment(user, assessment)


def test_assessments_are_scoped_through_the_systems_body(editor_a, editor_b, regulator, system_a, system_b):
    mine = actions.start_assessment(editor_a, system_a)
    theirs = actions.start_assessment(editor_b, system_b)
    assert list(Assessment.objects.for_user(editor_a)) == [mine]
    assert set(Assessment.objects.for_user(regulator)) == {mine, theirs}


def test_an_editor_assesses_plans_and_freezes_through_the_pages(client_for, editor_a, system_a):
    from django.urls import reverse

    client = client_for(editor_a)
    start = reverse('compliance:assessment_start', args=[system_a.pk])
    assert client.get(start).status_code == 200
    response = client.post(start, {'version': system_a.version})
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and response['Location'] == assessment.get_absolute_url()
    for principle in Principle.objects.all():
        answer = reverse('compliance:assessment_answer', args=[assessment.pk, principle.number])
        assert client.post(answer, {'response': 'met', 'comment': f'Evidence {principle.number}'}).status_code == 302
    answer = reverse('compliance:assessment_answer', args=[assessment.pk, 3])
    assert client.post(answer, {'response': 'partly', 'comment': 'No contact point', 'version': 1}).status_code == 302
    plan = reverse('compliance:assessment_plan_add', args=[assessment.pk, 3])
    added = client.post(plan, {'action': 'Publish a contact point', 'owner': 'Information unit', 'due': '2027-01-31',
                               'status': 'open'})  # fmt: skip
    assert added.status_code == 302
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert 'Partly met' in page and 'Publish a contact point' in page and '31 January 2027' in page
    freeze = reverse('compliance:assessment_freeze', args=[assessment.pk])
    assert client.post(freeze, {'version': assessment.version}).status_code == 302
    assessment.refresh_from_db()
    assert assessment.frozen
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert 'data-testid="frozen"' in page and answer not in page
    # A frozen version refuses a change even from a form opened before it was frozen.
    refused = client.post(answer, {'response': 'not_met', 'version': 2})
    assert refused.status_code == 200 and 'frozen' in refused.content.decode()
    assert Answer.objects.get(assessment=assessment, principle__number=3).response == 'partly'


def test_another_body_gets_404_and_viewers_403_on_assessments(client_for, editor_a, editor_b, viewer_a, system_a):
    from django.urls import reverse

    assessment = actions.start_assessment(editor_a, system_a)
    urls = [
        reverse('compliance:assessment_answer', args=[assessment.pk, 1]),
        reverse('compliance:assessment_plan_add', args=[assessment.pk, 1]),
        reverse('compliance:assessment_freeze', args=[assessment.pk]),
        reverse('compliance:assessment_start', args=[system_a.pk]),
    ]
    other = client_for(editor_b)
    assert other.get(assessment.get_absolute_url()).status_code == 404
    for url in urls:
        assert other.post(url, {'response': 'met', 'version': 1}).status_code == 404, url
    viewer = client_for(viewer_a)
    assert viewer.get(assessment.get_absolute_url()).status_code == 200
    for url in urls:
        assert viewer.post(url, {'response': 'met', 'version': 1}).status_code == 403, url
    assert not Answer.objects.exists()
