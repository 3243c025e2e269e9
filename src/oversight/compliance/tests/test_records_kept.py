"""Self-assessments and evidence keep their system, and a frozen version stays as it was frozen.

The register refuses to delete a system this app's records still need (core.holds, declared on the app's
config), through the pages and the API; and the database refuses, from anywhere else, to take anything out of
a frozen version, unfreeze it, move it to another system or delete it.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from oversight.compliance import actions
from oversight.compliance.models import Answer, Assessment, Evidence, PlanAction, Principle
from oversight.core.models import ObjectChange
from oversight.register import actions as register_actions
from oversight.register.models import Category, System

PDF = b'%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'


@pytest.fixture
def pilots(body_a):
    """Pilot A, assessed for itself and for Pilot B: frozen and published; Pilot A has a DPIA on file."""
    a = register_actions.create_system(None, body_a, name='Pilot A', category=Category.DRONE)
    b = register_actions.create_system(None, body_a, name='Pilot B', category=Category.DRONE)
    assessment = actions.start_assessment(None, a)
    actions.cover_systems(None, assessment, [b])
    _answer_all(assessment)
    actions.freeze_assessment(None, assessment)
    actions.publish_assessment(None, assessment)
    evidence = actions.add_evidence(None, a, SimpleUploadedFile('dpia.pdf', PDF), title='DPIA')
    return a, b, Assessment.objects.get(pk=assessment.pk), evidence


def _answer_all(assessment):
    for principle in Principle.objects.all():
        actions.answer_principle(None, assessment, principle, response='met', comment='ok')
    actions.add_plan_action(None, assessment, Principle.objects.get(number=2), action='Review', owner='DPO')


def _state(assessment, evidence):
    """What must not change: the version, its group, answers and actions, the evidence and its file, the audit."""
    assessment = Assessment.objects.get(pk=assessment.pk)
    return (
        (assessment.system_id, assessment.number, assessment.frozen_on, assessment.published_on),
        sorted(assessment.also_covers.values_list('pk', flat=True)),
        sorted(assessment.answers.values_list('pk', 'response', 'comment')),
        sorted(assessment.plan.values_list('pk', 'action', 'status')),
        Evidence.objects.filter(pk=evidence.pk).exists(),
        default_storage.exists(evidence.file.name),
        ObjectChange.objects.count(),
        System.objects.count(),
    )


def _delete_page(client, system):
    url = reverse('register:system_delete', args=[system.pk])
    return client.post(url, {'version': System.objects.get(pk=system.pk).version})


def test_a_covered_system_and_an_assessed_one_are_not_deleted_through_the_pages(client_for, editor_a, pilots):
    a, b, assessment, evidence = pilots
    before = _state(assessment, evidence)
    client = client_for(editor_a)

    refused = _delete_page(client, b)
    page = refused.content.decode()
    assert refused.status_code == 200 and 'govuk-error-summary' in page
    assert 'is covered by Self-assessment 1 of Pilot A, frozen as a version on record: it cannot be deleted.' in page

    refused = _delete_page(client, a)
    page = refused.content.decode()
    assert refused.status_code == 200 and 'govuk-error-summary' in page
    assert 'has 1 self-assessment, kept as a compliance record' in page
    assert 'has 1 evidence file: delete its evidence first.' in page

    assert _state(assessment, evidence) == before  # the group, the version, the file in storage: all kept


def test_the_api_refuses_the_same_deletions_with_409(editor_a, pilots):
    a, b, assessment, evidence = pilots
    before = _state(assessment, evidence)
    client = APIClient()
    client.force_authenticate(editor_a)
    for system, words in ((b, 'frozen as a version on record'), (a, 'delete its evidence first')):
        response = client.delete(f'/api/register/systems/{system.pk}/?version={system.version}')
        assert response.status_code == 409, response.content
        assert words in response.json()['detail']
    assert _state(assessment, evidence) == before


def test_a_system_covered_by_an_open_assessment_is_deleted_once_taken_out_of_the_group(editor_a, body_a):
    custody = register_actions.create_system(None, body_a, name='Custody', category=Category.INTERNAL_CCTV)
    town = register_actions.create_system(None, body_a, name='Town', category=Category.EXTERNAL_CCTV)
    assessment = actions.start_assessment(None, custody)
    actions.cover_systems(None, assessment, [town])
    with pytest.raises(ValidationError, match='is covered by Self-assessment 1 of Custody: remove it from'):
        register_actions.delete_system(editor_a, town)
    assert list(assessment.also_covers.all()) == [town]

    actions.cover_systems(None, assessment, [])  # the editor's choice, audited on the assessment
    register_actions.delete_system(editor_a, System.objects.get(pk=town.pk))
    assert not System.objects.filter(pk=town.pk).exists()
    with pytest.raises(ValidationError, match='has 1 self-assessment'):  # an open one of its own holds it too
        register_actions.delete_system(editor_a, custody)


def test_a_system_with_evidence_is_deleted_once_its_evidence_is(django_capture_on_commit_callbacks, editor_a, body_a):
    system = register_actions.create_system(None, body_a, name='Pilot', category=Category.DRONE)
    evidence = actions.add_evidence(None, system, SimpleUploadedFile('dpia.pdf', PDF), title='DPIA')
    with pytest.raises(ValidationError, match='1 evidence file: delete its evidence first') as refused:
        register_actions.delete_system(editor_a, system)
    assert refused.value.code == 'protected'
    assert default_storage.exists(evidence.file.name)

    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_evidence(editor_a, evidence)
    assert not default_storage.exists(evidence.file.name)
    register_actions.delete_system(editor_a, System.objects.get(pk=system.pk))
    assert not System.objects.filter(pk=system.pk).exists()


def test_a_system_with_only_a_governance_record_is_still_deleted(editor_a, body_a):
    system = register_actions.create_system(None, body_a, name='Pilot', category=Category.DRONE)
    actions.record_governance(None, system, purpose='Trials')
    register_actions.delete_system(editor_a, system)
    assert not System.objects.filter(pk=system.pk).exists()


def test_the_orm_does_not_delete_a_system_under_its_records(pilots):
    a, b, assessment, evidence = pilots
    with pytest.raises(ProtectedError), transaction.atomic():
        System.objects.filter(pk=a.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        System.objects.filter(pk=b.pk).delete()  # its row in the frozen version's group is kept by a trigger
    assert list(Assessment.objects.get(pk=assessment.pk).also_covers.all()) == [b]


def _refused(write):
    with pytest.raises(IntegrityError, match='frozen self-assessment'), transaction.atomic():
        write()


def test_the_database_keeps_a_frozen_version_whole(pilots, body_a):
    a, b, frozen, evidence = pilots
    other = register_actions.create_system(None, body_a, name='Other', category=Category.DRONE)
    open_one = actions.start_assessment(None, other)
    before = _state(frozen, evidence)
    answer, action = frozen.answers.first(), frozen.plan.get()

    _refused(lambda: Answer.objects.filter(assessment=frozen).delete())
    _refused(lambda: answer.delete())
    _refused(lambda: PlanAction.objects.filter(assessment=frozen).delete())
    # Moved out to an open assessment: the new row is of an open one, the old of the frozen one.
    _refused(lambda: Answer.objects.filter(pk=answer.pk).update(assessment=open_one))
    _refused(lambda: PlanAction.objects.filter(pk=action.pk).update(assessment=open_one))
    # Its group: neither taken apart nor added to.
    _refused(lambda: frozen.also_covers.remove(b))
    _refused(lambda: frozen.also_covers.clear())
    _refused(lambda: frozen.also_covers.add(other))
    # The version itself: not unfrozen, refrozen at another time, moved, renumbered or deleted.
    rows = Assessment.objects.filter(pk=frozen.pk)
    _refused(lambda: rows.update(frozen_on=None, published_on=None))
    _refused(lambda: rows.update(frozen_on=timezone.now()))
    _refused(lambda: rows.update(system=other))
    _refused(lambda: rows.update(number=7))
    _refused(lambda: rows.delete())  # its answers first, as Django deletes
    with pytest.raises(IntegrityError, match='cannot be deleted'), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute('DELETE FROM compliance_assessment WHERE id = %s', [frozen.pk])
    assert _state(frozen, evidence) == before


def test_a_frozen_version_is_still_published_and_withdrawn_and_an_open_one_changes_freely(pilots, body_a):
    a, b, frozen, evidence = pilots
    actions.unpublish_assessment(None, frozen)
    actions.publish_assessment(None, Assessment.objects.get(pk=frozen.pk))
    assert Assessment.objects.filter(pk=frozen.pk).update(published_on=None) == 1
    assert Assessment.objects.get(pk=frozen.pk).frozen

    # The triggers read whether the assessment is frozen: an open one's rows are deleted and moved as before.
    second = actions.start_assessment(None, a)
    assert second.answers.count() == 12 and list(second.also_covers.all()) == [b]
    second.also_covers.remove(b)
    Answer.objects.filter(assessment=second, principle__number=1).delete()
    PlanAction.objects.filter(assessment=second).delete()
    other = register_actions.create_system(None, body_a, name='Other', category=Category.DRONE)
    third = Assessment.objects.create(system=other, number=1)
    assert Answer.objects.filter(assessment=second, principle__number=2).update(assessment=third) == 1
    Assessment.objects.filter(pk=second.pk).delete()
    assert not Assessment.objects.filter(pk=second.pk).exists()


def test_an_open_assessment_is_discarded_through_the_page_and_its_systems_can_then_go(client_for, editor_a, body_a):
    custody = register_actions.create_system(None, body_a, name='Custody', category=Category.INTERNAL_CCTV)
    town = register_actions.create_system(None, body_a, name='Town', category=Category.EXTERNAL_CCTV)
    assessment = actions.start_assessment(None, custody)
    actions.cover_systems(None, assessment, [town])
    actions.answer_principle(None, assessment, Principle.objects.get(number=1), response='met', comment='ok')
    actions.add_plan_action(None, assessment, Principle.objects.get(number=3), action='Publish it', owner='DPO')
    client = client_for(editor_a)
    assert 'Discard this draft' in client.get(assessment.get_absolute_url()).content.decode()
    url = reverse('compliance:assessment_discard', args=[assessment.pk])
    assert 'Discard Self-assessment 1 of Custody?' in client.get(url).content.decode()
    response = client.post(url, {'version': Assessment.objects.get(pk=assessment.pk).version})
    assert response['Location'] == reverse('compliance:governance_detail', args=[custody.pk])
    assert not Assessment.objects.exists() and not Answer.objects.exists() and not PlanAction.objects.exists()
    discarded = ObjectChange.objects.get(
        object_id=str(assessment.pk), content_type__model='assessment', action='delete'
    )
    assert discarded.message == 'Discarded, with 1 answers and 1 actions' and discarded.user == editor_a
    for system in (town, custody):  # nothing holds them now
        register_actions.delete_system(editor_a, System.objects.get(pk=system.pk))
    assert not System.objects.filter(pk__in=[town.pk, custody.pk]).exists()


def test_a_frozen_version_is_never_discarded_on_the_page_or_the_api(client_for, editor_a, pilots):
    a, b, assessment, evidence = pilots
    before = _state(assessment, evidence)
    url = reverse('compliance:assessment_discard', args=[assessment.pk])
    assert 'Discard this draft' not in client_for(editor_a).get(assessment.get_absolute_url()).content.decode()
    response = client_for(editor_a).post(url, {'version': assessment.version})
    assert 'is frozen and cannot change' in response.content.decode()
    api = APIClient()
    api.force_authenticate(editor_a)
    response = api.delete(f'/api/compliance/assessments/{assessment.pk}/')
    assert response.status_code == 409 and 'frozen' in response.json()['detail']
    assert _state(assessment, evidence) == before


def test_an_open_assessment_is_discarded_through_the_api(editor_a, body_a):
    system = register_actions.create_system(None, body_a, name='Drones', category=Category.DRONE)
    assessment = actions.start_assessment(None, system)
    api = APIClient()
    api.force_authenticate(editor_a)
    assert api.delete(f'/api/compliance/assessments/{assessment.pk}/').status_code == 204
    assert not Assessment.objects.filter(pk=assessment.pk).exists()
