"""`oversight clean-up`: each kind of record goes after its retention, --dry-run removes nothing, and
audit rows stay."""

import datetime
import io

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client, TestCase
from django.utils import timezone

from oversight.core.models import ObjectChange
from oversight.discovery import actions as discovery_actions
from oversight.discovery.models import DiscoveredDevice, Scan
from oversight.discovery.tests.test_upload_api import BODY
from oversight.jobs.actions import start_job
from oversight.jobs.models import Job
from oversight.register.actions import upload_import
from oversight.register.models import ImportBatch

NOW = timezone.now()
SITES = b'name,address,postcode,kind,sensitive\nDepot,1 Dock Road,,other,no\n'


def days_ago(days: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


def clean_up(*args) -> str:
    printed = io.StringIO()
    call_command('clean-up', *args, stdout=printed)
    return printed.getvalue()


def test_expired_sessions_go_and_live_ones_stay(db):
    live, expired = SessionStore(), SessionStore()
    live.create()
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=days_ago(1))
    assert 'Sessions, expired: 1 would be removed.' in clean_up('--dry-run')
    assert Session.objects.count() == 2
    assert 'Sessions, expired: 1 removed.' in clean_up()
    assert list(Session.objects.values_list('session_key', flat=True)) == [live.session_key]


def _sign_in_records(username: str, when: datetime.datetime) -> None:
    fields = {'username': username, 'ip_address': '10.0.0.1', 'user_agent': 'test', 'http_accept': '*/*'}
    AccessLog.objects.create(path_info='/accounts/login/', **fields)
    AccessFailureLog.objects.create(path_info='/accounts/login/', **fields)
    AccessAttempt.objects.create(get_data='', post_data='', failures_since_start=1, **fields)
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        model.objects.filter(username=username).update(attempt_time=when)


def test_the_login_log_goes_after_its_age(db, settings):
    settings.OVERSIGHT_RETAIN_LOGIN_LOG_DAYS = 180
    _sign_in_records('old', days_ago(181))
    _sign_in_records('recent', days_ago(179))
    assert 'Login log records, older than 180 days: 3 would be removed.' in clean_up('--dry-run')
    assert AccessLog.objects.count() == 2
    assert 'Login log records, older than 180 days: 3 removed.' in clean_up()
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        assert list(model.objects.values_list('username', flat=True)) == ['recent']


def test_import_files_go_after_their_age_and_the_records_stay(editor_a, body_a, settings):
    settings.OVERSIGHT_RETAIN_IMPORT_FILES_DAYS = 30
    imported = upload_import(editor_a, body_a, 'sites', 'imported.csv', SITES)
    ImportBatch.objects.filter(pk=imported.pk).update(status=ImportBatch.Status.COMMITTED)
    forgotten = upload_import(editor_a, body_a, 'sites', 'forgotten.csv', SITES + b'Yard,2 Dock Road,,other,no\n')
    recent = upload_import(editor_a, body_a, 'sites', 'recent.csv', SITES + b'Shed,3 Dock Road,,other,no\n')
    ImportBatch.objects.exclude(pk=recent.pk).update(created=days_ago(31))
    changes = ObjectChange.objects.count()
    assert 'Register import files, uploaded more than 30 days ago: 2 would be removed.' in clean_up('--dry-run')
    assert ImportBatch.objects.exclude(content=b'').count() == 3 and ObjectChange.objects.count() == changes
    assert 'Register import files, uploaded more than 30 days ago: 2 removed.' in clean_up()
    kept = {b.filename: b for b in ImportBatch.objects.all()}
    assert bytes(kept['imported.csv'].content) == b'' and kept['imported.csv'].sha256 == imported.sha256
    assert kept['imported.csv'].status == ImportBatch.Status.COMMITTED
    # The preview nobody reviewed is discarded, with its audit row; the recent one is untouched.
    assert kept['forgotten.csv'].status == ImportBatch.Status.DISCARDED and kept['forgotten.csv'].planned_rows is None
    assert ObjectChange.objects.for_object(forgotten).latest('pk').message.startswith('Discarded: not reviewed')
    assert bytes(kept['recent.csv'].content) and kept['recent.csv'].status == ImportBatch.Status.PENDING


def _failed_task(editor, body, finished: datetime.datetime) -> Job:
    job = start_job(editor, Job.Kind.RETURNS_IMPORT, 'Import returns', organisation=body, payload=b'x,y\n')
    Job.objects.filter(pk=job.pk).update(status=Job.Status.FAILED, finished_at=finished)
    return Job.objects.get(pk=job.pk)


def test_failed_tasks_files_go_after_their_age_and_then_cannot_be_queued_again(editor_a, body_a, settings):
    settings.OVERSIGHT_RETAIN_IMPORT_FILES_DAYS = 30
    old, recent = _failed_task(editor_a, body_a, days_ago(31)), _failed_task(editor_a, body_a, days_ago(29))
    assert recent.can_retry and not old.can_retry
    assert "Failed tasks' files, failed more than 30 days ago: 1 would be removed." in clean_up('--dry-run')
    assert "Failed tasks' files, failed more than 30 days ago: 1 removed." in clean_up()
    assert bytes(Job.objects.get(pk=old.pk).payload) == b'' and bytes(Job.objects.get(pk=recent.pk).payload)


def _upload(token: str, body: bytes) -> Scan:
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = Client().post(
            '/discovery/api/scans/', body, content_type='application/x-ndjson', HTTP_AUTHORIZATION=f'Bearer {token}'
        )
    assert response.status_code == 202, response.content
    return Scan.objects.latest('pk')


@pytest.fixture
def tokens(editor_a, body_a, editor_b, body_b):
    return (
        discovery_actions.create_token(editor_a, body_a, 'Agent A')[1],
        discovery_actions.create_token(editor_b, body_b, 'Agent B')[1],
    )


def test_old_scans_go_except_each_bodys_newest_and_the_audit_stays(tokens, settings):
    settings.OVERSIGHT_RETAIN_SCANS_DAYS = 365
    token_a, token_b = tokens
    oldest = _upload(token_a, BODY)
    old = _upload(token_a, BODY + b'\n')
    newest_a = _upload(token_a, BODY + b'\n\n')
    only_b = _upload(token_b, BODY)
    Scan.objects.exclude(pk=newest_a.pk).update(uploaded=days_ago(366))
    Scan.objects.filter(pk=newest_a.pk).update(uploaded=days_ago(400))  # the newest upload, though old, stays
    changes = ObjectChange.objects.count()
    assert "Scans, older than 365 days (each body's newest kept): 2 would be removed." in clean_up('--dry-run')
    assert Scan.objects.count() == 4
    assert "Scans, older than 365 days (each body's newest kept): 2 removed." in clean_up()
    assert set(Scan.objects.values_list('pk', flat=True)) == {newest_a.pk, only_b.pk}
    assert not DiscoveredDevice.objects.filter(scan__in=[oldest.pk, old.pk]).exists()
    # Every earlier audit row is kept, and each removal (scan, and the task that made it) adds one.
    assert ObjectChange.objects.count() == changes + 4
    assert ObjectChange.objects.filter(message='Removed after its retention').count() == 2
    # The same file uploaded again is a new scan, not its removed scan's task.
    assert _upload(token_a, BODY).pk not in (oldest.pk, old.pk)


def test_nothing_is_due_on_a_fresh_database(db):
    printed = clean_up()
    assert printed.count(': 0 removed.') == 5
