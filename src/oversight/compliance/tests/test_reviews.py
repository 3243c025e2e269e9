"""Review tasks: raised by the register, scans and dates, resolved when their condition clears or by an editor."""

import datetime
import importlib
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from oversight.compliance import actions
from oversight.compliance.models import PlanAction, Principle, ReviewTask
from oversight.core.models import ObjectChange
from oversight.discovery import actions as discovery_actions
from oversight.discovery.models import Scan
from oversight.discovery.signals import scan_reconciled
from oversight.discovery.tests.test_upload_api import BODY
from oversight.register import actions as register_actions
from oversight.register.models import Category, ImportBatch, System
from oversight.register.tests.sheets import row, sheet_bytes

D = datetime.date
Kind = ReviewTask.Kind
NOW = datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)


@pytest.fixture
def site_a(body_a):
    return register_actions.create_site(None, body_a, name='Maidstone HQ')


@pytest.fixture
def assessed(system_a):
    """system_a with a DPIA (done 1 March 2025), so a change to its cameras means reviewing it."""
    actions.record_governance(None, system_a, dpia_completed_on=D(2025, 3, 1), dpia_review_due=D(2027, 3, 1))
    return system_a


def _open(**lookup):
    return ReviewTask.objects.filter(resolved_at__isnull=True, **lookup)


def _line(body, site, system, quantity=2):
    return register_actions.create_line(
        None, body, site=site, system=system, manufacturer_declared='Axis', quantity=quantity
    )


def test_adding_moving_and_removing_cameras_raises_one_dpia_review(client_for, editor_a, body_a, site_a, assessed):
    line = _line(body_a, site_a, assessed)
    task = _open(system=assessed, kind=Kind.DPIA_CHANGE).get()
    assert task.reason == 'The register changed: 2 cameras added at Maidstone HQ.'
    assert task.organisation == body_a and task.source_id == str(assessed.governance.pk)
    page = client_for(editor_a).get(reverse('compliance:governance_detail', args=[assessed.pk])).content.decode()
    assert 'Review the DPIA after a change</a></strong>: The register changed' in page
    assert reverse('compliance:task_resolve', args=[task.pk]) in page
    assert ObjectChange.objects.for_object(task).get().message.startswith('Raised: The register changed')
    # Fired again while it is open, the trigger does not duplicate it.
    register_actions.update_line(None, line, None, quantity=5)
    register_actions.delete_line(None, line)
    assert _open(system=assessed).count() == 1


def test_a_task_raised_again_keeps_every_cause_and_shows_them(
    client_for, editor_a, viewer_a, regulator, body_a, site_a, assessed
):
    with time_machine.travel(NOW, tick=False):
        line = _line(body_a, site_a, assessed)
    with time_machine.travel(NOW + datetime.timedelta(days=3), tick=False):
        register_actions.update_line(None, line, None, quantity=5)
        register_actions.update_line(None, line, None, quantity=5, notes='repainted')  # moves no camera: no cause

    task = _open(system=assessed).get()
    assert task.reason == 'The register changed: 2 cameras added at Maidstone HQ.'  # the first, as before
    assert task.occurrences == [
        {'raised_at': NOW.isoformat(), 'reason': 'The register changed: 2 cameras added at Maidstone HQ.'},
        {
            'raised_at': (NOW + datetime.timedelta(days=3)).isoformat(),
            'reason': 'The register changed: cameras at Maidstone HQ changed from 2 to 5.',
        },
    ]
    assert [c.message for c in ObjectChange.objects.for_object(task).order_by('pk')] == [
        'Raised: The register changed: 2 cameras added at Maidstone HQ.',
        'Raised again: The register changed: cameras at Maidstone HQ changed from 2 to 5.',
    ]
    # The same cause given again (a signal sent twice) is not repeated.
    from oversight.compliance.reviews import raise_task

    raise_task(
        body_a.pk,
        Kind.DPIA_CHANGE,
        'The register changed: cameras at Maidstone HQ changed from 2 to 5.',
        system=assessed,
    )
    task.refresh_from_db()
    assert len(task.occurrences) == 2 and task.version == 2

    listing = client_for(viewer_a).get(reverse('compliance:task_list')).content.decode()
    assert '1 June 2026: The register changed: 2 cameras added' in listing
    assert '4 June 2026: The register changed: cameras at Maidstone HQ changed from 2 to 5' in listing
    assert reverse('compliance:task_detail', args=[task.pk]) in listing
    exported = client_for(viewer_a).get(reverse('compliance:task_list') + '?export=csv').content.decode()
    assert '2026-06-01: The register changed: 2 cameras added at Maidstone HQ.; 2026-06-04: The register' in exported
    detail = client_for(regulator).get(task.get_absolute_url()).content.decode()
    causes = detail[detail.index('data-testid="task-causes"') :]
    assert causes.index('2 cameras added') < causes.index('changed from 2 to 5')
    assert 'Raised again: The register changed' in detail  # its history
    governance = client_for(editor_a).get(reverse('compliance:governance_detail', args=[assessed.pk]))
    assert '2 cameras added at Maidstone HQ.; The register changed: cameras at Maidstone' in governance.content.decode()
    confirm = client_for(editor_a).get(reverse('compliance:task_resolve', args=[task.pk])).content.decode()
    assert 'Raised on 4 June 2026' in confirm and 'changed from 2 to 5' in confirm
    api = client_for(viewer_a).get(f'/api/compliance/review-tasks/{task.pk}/').json()
    assert [o['reason'] for o in api['occurrences']] == [c['reason'] for c in task.occurrences]

    # Resolved, the task keeps its causes; the next change raises a new task with its own first cause.
    actions.resolve_task(editor_a, task, 'DPIA reviewed for both changes.')
    register_actions.update_line(None, line, None, quantity=1)
    again = _open(system=assessed).get()
    assert again.pk != task.pk and [o['reason'] for o in again.occurrences] == [again.reason]


def test_a_move_raises_for_both_systems_and_a_system_without_a_dpia_gets_none(body_a, site_a, assessed):
    plain = register_actions.create_system(None, body_a, name='Front desk', category=Category.INTERNAL_CCTV)
    line = _line(body_a, site_a, plain)
    assert not _open().exists()  # no DPIA on record: the governance list already says so
    actions.record_governance(None, plain, dpia_completed_on=D(2025, 1, 1))
    register_actions.update_line(None, line, None, system=assessed)
    moved = _open(kind=Kind.DPIA_CHANGE)
    assert moved.get(system=plain).reason == 'The register changed: 2 cameras moved away at Maidstone HQ.'
    assert moved.get(system=assessed).reason == 'The register changed: 2 cameras moved in at Maidstone HQ.'
    # A change that moves no camera (a note) raises nothing more.
    ReviewTask.objects.all().delete()
    register_actions.update_line(None, line, None, notes='repainted')
    assert not ReviewTask.objects.exists()


def test_an_import_of_lines_raises_the_review(editor_a, body_a, site_a, assessed):
    rows = [row(site='Maidstone HQ', system='Custody CCTV', manufacturer='Axis', quantity='3')]
    batch = register_actions.upload_import(
        editor_a, body_a, ImportBatch.Kind.EQUIPMENT, 'register.csv', sheet_bytes('csv', rows)
    )
    register_actions.commit_import(editor_a, batch)
    assert _open(system=assessed, kind=Kind.DPIA_CHANGE).get().reason == (
        'The register changed: 3 cameras added at Maidstone HQ.'
    )


def test_facial_recognition_raises_a_review_and_a_new_dpia_resolves_it(system_a):
    with time_machine.travel(NOW):
        actions.record_governance(None, system_a, facial_recognition='none')
        assert not _open().exists()
        actions.record_governance(None, system_a, facial_recognition='live')
        task = _open(system=system_a).get()
        assert task.reason == 'Facial recognition is now recorded as used: Live facial recognition.'
        actions.record_governance(None, system_a, dpia_completed_on=D(2026, 6, 1), dpia_trigger='facial_recognition')
    task.refresh_from_db()
    assert task.resolved_at is not None and task.resolved_by is None
    assert task.resolution == 'The DPIA was done again on 1 June 2026.'


def test_facial_recognition_becoming_more_intrusive_raises_a_review_saying_what_changed(editor_a, system_a):
    with time_machine.travel(NOW, tick=False):
        record = actions.record_governance(
            None, system_a, dpia_completed_on=D(2026, 1, 5), dpia_review_due=D(2027, 1, 5),
            facial_recognition='retrospective',
        )  # fmt: skip
        first = _open(system=system_a, kind=Kind.DPIA_CHANGE).get()
        assert first.reason == 'Facial recognition is now recorded as used: Retrospective facial recognition.'
        actions.resolve_task(editor_a, first, 'The DPIA covers retrospective use.')
        for use in ('operator_initiated', 'live'):
            record = actions.record_governance(None, system_a, record.version, facial_recognition=use)
        task = _open(system=system_a, kind=Kind.DPIA_CHANGE).get()
        assert [cause['reason'] for cause in task.occurrences] == [
            'Facial recognition use changed from Retrospective facial recognition to Operator-initiated facial '
            'recognition, a more intrusive use.',
            'Facial recognition use changed from Operator-initiated facial recognition to Live facial recognition, '
            'a more intrusive use.',
        ]
        actions.resolve_task(editor_a, task, 'The DPIA was reviewed for live use.')
        # The same use, or a less intrusive one, is nothing new for the DPIA.
        for use in ('live', 'retrospective', 'none', ''):
            record = actions.record_governance(None, system_a, record.version, facial_recognition=use)
    assert not _open(system=system_a, kind=Kind.DPIA_CHANGE).exists()


def test_a_dpia_done_before_the_latest_change_leaves_its_review_open(body_a, site_a, assessed):
    """A task keeps every cause: a DPIA dated before the latest did not consider that change."""
    with time_machine.travel(NOW, tick=False):
        line = _line(body_a, site_a, assessed)
    with time_machine.travel(NOW + datetime.timedelta(days=4), tick=False):
        register_actions.update_line(None, line, None, quantity=5)
    with time_machine.travel(NOW + datetime.timedelta(days=6), tick=False):
        record = actions.record_governance(
            None, assessed, assessed.governance.version, dpia_completed_on=D(2026, 6, 3), dpia_review_due=D(2027, 6, 3)
        )
        call_command('raise-review-tasks', stdout=io.StringIO())
        task = _open(system=assessed, kind=Kind.DPIA_CHANGE).get()
        assert len(task.occurrences) == 2
        actions.record_governance(None, assessed, record.version, dpia_completed_on=D(2026, 6, 5))
    task.refresh_from_db()
    assert not task.is_open and task.resolution == 'The DPIA was done again on 5 June 2026.'


def test_a_dpia_or_a_certificate_dated_after_today_is_refused_naming_its_field(client_for, editor_a, system_a):
    """A DPIA recorded a year ahead would settle every change to the cameras until then."""
    from django.core.exceptions import ValidationError
    from rest_framework.test import APIClient

    ahead = {
        'dpia_completed_on': D(2026, 6, 2), 'certification_body': 'nsi', 'certification_step': 'step_1',
        'certified_on': D(2026, 6, 2), 'certification_expires': D(2027, 6, 2),
    }  # fmt: skip
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(ValidationError) as refused:
            actions.record_governance(editor_a, system_a, **ahead)
        assert refused.value.message_dict == {
            'dpia_completed_on': ['The date the DPIA was completed must be today or in the past.'],
            'certified_on': ['The date the certificate was issued must be today or in the past.'],
        }
        record = actions.record_governance(editor_a, system_a, **{**ahead, 'dpia_completed_on': D(2026, 6, 1),
                                                                  'certified_on': D(2026, 6, 1)})  # fmt: skip
        edit = reverse('compliance:governance_edit', args=[system_a.pk])
        page = client_for(editor_a).post(edit, {'dpia_completed_on': '2027-06-01', 'version': record.version})
        assert page.status_code == 200
        assert 'The date the DPIA was completed must be today or in the past.' in page.content.decode()
        api = APIClient()
        api.force_authenticate(editor_a)
        url = f'/api/compliance/governance/{record.pk}/'
        answer = api.patch(url, {'version': record.version, 'certified_on': '2026-06-02'}, format='json')
        assert answer.status_code == 400
        assert answer.json() == {'certified_on': ['The date the certificate was issued must be today or in the past.']}
    record.refresh_from_db()
    assert (record.dpia_completed_on, record.certified_on, record.version) == (D(2026, 6, 1), D(2026, 6, 1), 1)


def test_a_dpia_without_a_review_date_is_due_for_review_until_one_is_set(editor_a, system_a):
    """The tasks follow the record's own status (querysets.dpia_status): "Review due" while a review date has
    come or none is set, so clearing the date leaves the task open; removing the DPIA closes it, saying so."""
    from oversight.compliance.models import Governance

    def status():
        return Governance.objects.with_status().get(system=system_a).dpia

    with time_machine.travel(NOW, tick=False):
        record = actions.record_governance(None, system_a, dpia_completed_on=D(2025, 3, 1))
        task = _open(system=system_a, kind=Kind.DPIA_DUE).get()
        assert status() == 'due' and task.due is None
        assert task.reason == 'The DPIA has no next review date: review it, and record when its next review is due.'
        record = actions.record_governance(None, system_a, record.version, dpia_review_due=D(2026, 5, 1))
        assert _open(system=system_a, kind=Kind.DPIA_DUE).get() == task  # still due: the same task
        record = actions.record_governance(None, system_a, record.version, dpia_review_due=None)
        actions.raise_review_tasks(D(2026, 6, 1))
        assert status() == 'due' and _open(system=system_a, kind=Kind.DPIA_DUE).get() == task
        record = actions.record_governance(None, system_a, record.version, dpia_review_due=D(2027, 3, 1))
        task.refresh_from_db()
        assert status() == 'in_date' and task.resolution == 'The DPIA was reviewed: its next review is not yet due.'

        record = actions.record_governance(None, system_a, record.version, dpia_review_due=D(2026, 6, 1))
        again = _open(system=system_a, kind=Kind.DPIA_DUE).get()
        actions.record_governance(None, system_a, record.version, dpia_completed_on=None, dpia_review_due=None)
        actions.raise_review_tasks(D(2026, 6, 1))
    again.refresh_from_db()
    assert status() == 'missing' and not again.is_open
    assert again.resolution == (
        'The DPIA was removed from the governance record: no DPIA is recorded, so none is due for review.'
    )


@time_machine.travel(NOW, tick=False)
def test_removing_a_certificate_resolves_its_task_saying_so_not_renewed(system_a):
    record = actions.record_governance(
        None, system_a, certification_body='nsi', certification_step='step_1', certified_on=D(2025, 7, 1),
        certification_expires=D(2026, 7, 15),
    )  # fmt: skip
    task = _open(system=system_a, kind=Kind.CERTIFICATION).get()
    actions.record_governance(None, system_a, record.version, certification_body='', certification_step='',
                              certified_on=None, certification_expires=None)  # fmt: skip
    actions.raise_review_tasks(D(2026, 6, 1))
    task.refresh_from_db()
    assert not task.is_open and not _open(system=system_a).exists()
    assert task.resolution == (
        'The certificate was removed from the governance record: no certification is recorded to renew.'
    )


@time_machine.travel(NOW)
def test_the_daily_command_raises_date_triggers_once_and_resolves_them_when_cleared(editor_a, body_a, system_a):
    actions.record_governance(
        None, system_a, dpia_completed_on=D(2025, 1, 1), dpia_review_due=D(2026, 7, 1),
        certification_body='nsi', certification_step='step_1', certified_on=D(2025, 7, 1),
        certification_expires=D(2026, 7, 15),
    )  # fmt: skip
    assessment = actions.start_assessment(editor_a, system_a)
    principle = Principle.objects.get(number=2)
    action = actions.add_plan_action(None, assessment, principle, action='Publish the DPIA', owner='DPO',
                                     due=D(2026, 7, 20))  # fmt: skip
    # Recording the certificate raised its task at once; the rest wait for the day they fall due.
    assert set(_open().values_list('kind', flat=True)) == {Kind.CERTIFICATION}
    august = time_machine.travel(datetime.datetime(2026, 8, 1, 12, tzinfo=datetime.UTC))
    august.start()
    call_command('raise-review-tasks')
    call_command('raise-review-tasks')  # idempotent
    tasks = {t.kind: t for t in _open(system=system_a)}
    assert set(tasks) == {Kind.DPIA_DUE, Kind.CERTIFICATION, Kind.ACTION_DUE}
    assert tasks[Kind.DPIA_DUE].due == D(2026, 7, 1)
    assert tasks[Kind.CERTIFICATION].reason == 'The certificate expires on 15 July 2026: renew the certification.'
    assert tasks[Kind.ACTION_DUE].reason == (
        '1 action of Self-assessment 1 of Custody CCTV past due (the earliest was due on 20 July 2026).'
    )
    assert ReviewTask.objects.count() == 3
    # Renewing the DPIA and the certificate resolves their tasks at once; the action done, at the next run.
    record = system_a.governance
    actions.record_governance(None, system_a, record.version, dpia_completed_on=D(2026, 5, 30),
                              dpia_review_due=D(2027, 5, 30), certification_expires=D(2027, 7, 15))  # fmt: skip
    assert set(_open(system=system_a).values_list('kind', flat=True)) == {Kind.ACTION_DUE}
    PlanAction.objects.filter(pk=action.pk).update(status=PlanAction.Status.DONE)
    out = io.StringIO()
    call_command('raise-review-tasks', '--body', body_a.slug, stdout=out)
    august.stop()
    assert out.getvalue().strip() == '0 review tasks raised, 1 resolved.'
    assert not _open().exists()
    assert ReviewTask.objects.filter(kind=Kind.CERTIFICATION).get().resolution.startswith('The certificate was renewed')


def test_the_command_refuses_an_unknown_body_and_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match='No body'):
        call_command('raise-review-tasks', '--body', 'nowhere')
    with pytest.raises(CommandError, match='--today'):
        call_command('raise-review-tasks', '--today', '2026-02-30')


def test_a_scan_with_undeclared_devices_raises_a_task_and_a_clean_scan_resolves_it(editor_a, body_a):
    scan = discovery_actions.record_scan(editor_a, body_a, BODY, source=Scan.Source.FILE, filename='scan.jsonl')
    undeclared = scan.counts['undeclared']
    assert undeclared
    task = _open(organisation=body_a, kind=Kind.UNDECLARED).get()
    assert task.system is None and f'found {undeclared:,} devices the register does not declare' in task.reason
    later = Scan.objects.create(organisation=body_a, source=Scan.Source.FILE, counts={'undeclared': 0})
    scan_reconciled.send(sender=Scan, scan=scan)  # the older scan compared again changes nothing
    assert _open(kind=Kind.UNDECLARED).exists()
    scan_reconciled.send(sender=Scan, scan=later)
    assert not _open(kind=Kind.UNDECLARED).exists()


def test_the_database_keeps_one_open_task_per_system_and_kind(body_a, system_a):
    fields = {'organisation': body_a, 'system': system_a, 'kind': Kind.DPIA_DUE, 'reason': 'x'}
    ReviewTask.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewTask.objects.create(**fields)
    body_wide = {**fields, 'system': None, 'kind': Kind.UNDECLARED}
    ReviewTask.objects.create(**body_wide)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewTask.objects.create(**body_wide)


# The pages


def _task(system, kind=Kind.DPIA_DUE):
    return ReviewTask.objects.create(
        organisation_id=system.organisation_id, system=system, kind=kind, reason='The review was due.'
    )


def test_an_editor_resolves_a_task_through_the_pages(client_for, editor_a, system_a):
    task = _task(system_a)
    client = client_for(editor_a)
    page = client.get(reverse('compliance:task_list')).content.decode()
    resolve = reverse('compliance:task_resolve', args=[task.pk])
    assert 'The review was due.' in page and resolve in page
    response = client.post(resolve, {'version': task.version, 'resolution': '  '})
    assert response.status_code == 200 and 'Say how the task was resolved.' in response.content.decode()
    task.refresh_from_db()
    assert task.is_open
    response = client.post(resolve, {'version': task.version, 'resolution': 'Reviewed with the DPO: no change.'})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.resolved_by == editor_a and task.resolution == 'Reviewed with the DPO: no change.'
    change = ObjectChange.objects.for_object(task).get()
    assert change.user == editor_a and change.message == 'Resolved: Reviewed with the DPO: no change.'
    # Done tasks leave the default list, and are shown on asking for them.
    assert 'The review was due.' not in client.get(reverse('compliance:task_list')).content.decode()
    done = client.get(reverse('compliance:task_list') + '?state=done').content.decode()
    assert 'Reviewed with the DPO: no change.' in done
    # Resolving it again is refused, naming why.
    response = client.post(resolve, {'version': task.version, 'resolution': 'Again'})
    assert 'already been resolved' in response.content.decode()


def test_tasks_are_scoped_and_filtered_by_kind(client_for, editor_a, viewer_a, editor_b, system_a, system_b):
    mine, theirs = _task(system_a), _task(system_b, Kind.CERTIFICATION)
    _task(system_a, Kind.ACTION_DUE)
    response = client_for(editor_a).get(reverse('compliance:task_list') + '?kind=dpia_due')
    assert [row.record for row in response.context['table'].rows] == [mine]
    assert 'Town centre CCTV' not in response.content.decode()
    assert client_for(editor_b).get(reverse('compliance:task_resolve', args=[mine.pk])).status_code == 404
    assert client_for(viewer_a).get(reverse('compliance:task_resolve', args=[mine.pk])).status_code == 403
    assert client_for(editor_a).get(reverse('compliance:task_resolve', args=[theirs.pk])).status_code == 404


def test_the_regulator_counts_open_tasks_by_body_and_kind(client_for, regulator, editor_a, system_a, system_b):
    _task(system_a)
    _task(system_a, Kind.CERTIFICATION)
    _task(system_b)
    response = client_for(regulator).get(reverse('compliance:task_counts'))
    table = response.context['table']
    counts = {r.record['organisation__name']: (r.record['dpia_due'], r.record['total']) for r in table.rows}
    assert counts == {'Kent Police': (1, 2), 'Essex Police': (1, 1)}
    filtered = client_for(regulator).get(reverse('compliance:task_counts') + '?kind=certification')
    assert [r.record['organisation__name'] for r in filtered.context['table'].rows] == ['Kent Police']
    assert f'?organisation={system_a.organisation_id}' in response.content.decode()
    assert client_for(editor_a).get(reverse('compliance:task_counts')).status_code == 403


def test_a_resolution_confirmed_before_a_new_cause_arrived_is_refused(client_for, editor_a, body_a, site_a, assessed):
    line = _line(body_a, site_a, assessed)
    task = _open(system=assessed).get()
    url = reverse('compliance:task_resolve', args=[task.pk])
    client_for(editor_a).get(url)  # the person reads the one cause and confirms...
    register_actions.update_line(None, line, None, quantity=7)  # ...while another change adds a second

    response = client_for(editor_a).post(url, {'resolution': 'DPIA reviewed.', 'version': task.version})

    assert 'Someone else saved a change to this record' in response.content.decode()
    task.refresh_from_db()
    assert task.is_open and len(task.occurrences) == 2


def test_the_migration_gives_each_existing_task_its_first_cause(body_a, system_a):
    from django.apps import apps

    migration = importlib.import_module('oversight.compliance.migrations.0008_review_task_occurrences')
    task = _task(system_a)
    ReviewTask.objects.filter(pk=task.pk).update(occurrences=[])  # as a task stood before it

    migration.first_cause(apps, None)

    task.refresh_from_db()
    assert task.occurrences == [{'raised_at': task.raised_at.isoformat(), 'reason': task.reason}]
    assert task.causes == [{'raised_at': task.raised_at, 'reason': task.reason}]


def _systems_with_a_dpia(body, count: int) -> list:
    systems = [
        register_actions.create_system(None, body, name=f'System {n}', category=Category.EXTERNAL_CCTV)
        for n in range(count)
    ]
    for system in systems:
        actions.record_governance(None, system, dpia_completed_on=D(2025, 3, 1), dpia_review_due=D(2025, 6, 1))
    return systems


def _imported(editor, body, site, systems, lines: int) -> int:
    """How many queries committing an import of `lines` lines spread over the systems takes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = [
        row(
            site=site.name,
            system=systems[n % len(systems)].name,
            manufacturer='Axis',
            model=f'P{n}-{lines}',
            quantity='2',
        )
        for n in range(lines)
    ]
    batch = register_actions.upload_import(editor, body, ImportBatch.Kind.EQUIPMENT, 'r.csv', sheet_bytes('csv', rows))
    with CaptureQueriesContext(connection) as queries:
        register_actions.commit_import(editor, batch)
    return len(queries)


def test_an_import_raises_the_reviews_of_many_systems_in_the_queries_of_a_few(editor_a, body_a, site_a, editor_b):
    """A system with a DPIA whose cameras move gets a review task; many systems cost no more queries than a few
    (each raised one at a time, and again for each 500 lines, a national import made millions)."""
    few = _imported(editor_a, body_a, site_a, _systems_with_a_dpia(body_a, 2), 10)
    site_b = register_actions.create_site(None, editor_b.organisation, name='Chelmsford HQ')
    systems_b = _systems_with_a_dpia(editor_b.organisation, 20)
    assert _imported(editor_b, editor_b.organisation, site_b, systems_b, 400) <= few
    raised = _open(kind=Kind.DPIA_CHANGE, system__in=systems_b)
    assert (
        raised.count() == 20
        and ObjectChange.objects.filter(
            content_type__model='reviewtask', object_id__in=[str(t.pk) for t in raised]
        ).count()
        == 20
    )
    # Imported again: a cause added to each open task, as few queries for 20 systems as for 2.
    again = _imported(editor_a, body_a, site_a, list(System.objects.filter(organisation=body_a)), 12)
    assert _imported(editor_b, editor_b.organisation, site_b, systems_b, 420) <= again
    # Over 1,200 lines (three chunks): one more cause each, naming five changes and counting the rest.
    _imported(editor_b, editor_b.organisation, site_b, systems_b, 1_200)
    task = raised.get(system=systems_b[0])
    assert len(task.occurrences) == 3 and task.version == 3
    assert task.occurrences[1]['reason'].endswith('; 16 more changes.')
    assert task.occurrences[2]['reason'] == (
        'The register changed: 2 cameras added at Chelmsford HQ; 2 cameras added at Chelmsford HQ; 2 cameras added '
        'at Chelmsford HQ; 2 cameras added at Chelmsford HQ; 2 cameras added at Chelmsford HQ; 55 more changes.'
    )
    again = ObjectChange.objects.filter(object_id=str(task.pk), content_type__model='reviewtask').latest('pk')
    assert again.message.startswith('Raised again: The register changed') and len(again.after['occurrences']) == 3


def test_the_daily_refresh_raises_and_resolves_for_many_bodies_in_the_queries_of_a_few(body_a):
    """Each task raised and resolved on its own took about 20 queries: 3.4 million on a national first run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oversight.compliance.models import Governance
    from oversight.organisations.models import Organisation

    def refreshed() -> int:
        with CaptureQueriesContext(connection) as queries:
            actions.raise_review_tasks(D(2026, 1, 15))
        return len(queries)

    def raised_then_resolved(bodies) -> tuple[int, int]:
        for body in bodies:
            _systems_with_a_dpia(body, 2)  # reviews due 1 June 2025
        raising = refreshed()
        assert _open(kind=Kind.DPIA_DUE).count() == 2 * len(bodies)
        Governance.objects.update(dpia_review_due=D(2027, 1, 1))  # every DPIA reviewed
        resolving = refreshed()
        assert not _open(kind=Kind.DPIA_DUE).exists()
        return raising, resolving

    few = raised_then_resolved([body_a])
    many = raised_then_resolved(Organisation.objects.bodies().exclude(pk=body_a.pk)[:12])
    assert many == few
    for words in ('Raised: The DPIA’s review was due', 'Resolved: The DPIA was reviewed'):
        assert ObjectChange.objects.filter(content_type__model='reviewtask', message__startswith=words).count() == 26
