"""Invitations and reminders are emailed by a worker, each batch over one connection to the mail server, each
email recorded as it is sent: a mail server that refuses partway leaves those sent kept, and says so."""

import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from oversight.accounts.models import User
from oversight.api.tests.world import _campaign
from oversight.core.models import ObjectChange
from oversight.jobs.models import Job
from oversight.organisations.models import Organisation
from oversight.surveys.actions.invitations import send_invitations
from oversight.surveys.models import Reminder
from oversight.testing.smtp import SmtpSink

from .conftest import RefusingSink

REFUSAL = '451 4.7.1 Too many messages, try again later'


def test_invitations_then_reminders_each_go_over_one_connection(
    client_for, regulator, settings, django_capture_on_commit_callbacks
):
    bodies = list(Organisation.objects.bodies().order_by('name')[:3])
    for n, body in enumerate(bodies):
        User.objects.create_user(f'contact{n}', f'contact{n}@example.org', 'pw', organisation=body, role='editor')
    campaign = _campaign(regulator, 'mail-2025', 'Mail survey', bodies, open_now=True)
    client = client_for(regulator)
    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend'
        settings.EMAIL_HOST, settings.EMAIL_PORT = '127.0.0.1', sink.port
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse('surveys:campaign_command', args=[campaign.slug, 'send']))
        job = Job.objects.get(kind=Job.Kind.INVITATIONS)
        assert response['Location'] == job.get_absolute_url()
        assert job.status == Job.Status.DONE and job.result == {'emailed': 3, 'bodies without a contact': 0}
        assert len(sink.connections) == 1 and len(sink.messages) == 3
        # A week on, every body is due a reminder: one more connection carries all three.
        week_on = time_machine.travel(timezone.now() + datetime.timedelta(days=8))
        with week_on, django_capture_on_commit_callbacks(execute=True):
            # Signed in again: the session of a week ago ended when it went idle (accounts/sessions.py).
            client_for(regulator).post(reverse('surveys:campaign_command', args=[campaign.slug, 'remind']))
        reminders = Job.objects.get(kind=Job.Kind.REMINDERS)
        assert reminders.status == Job.Status.DONE and reminders.result == {'reminded': 3}
        assert [len(c.messages) for c in sink.connections] == [3, 3]
        assert Reminder.objects.filter(invitation__campaign=campaign).count() == 3
        assert b'contact0@example.org' in b''.join(sink.connections[1].messages)


def test_a_refused_batch_marks_nobody_sent_and_runs_again(
    client_for, regulator, settings, django_capture_on_commit_callbacks
):
    body = Organisation.objects.bodies().order_by('name').first()
    User.objects.create_user('contact', 'contact@example.org', 'pw', organisation=body, role='editor')
    campaign = _campaign(regulator, 'mail-2025', 'Mail survey', [body], open_now=True)
    client = client_for(regulator)
    settings.EMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend'
    settings.EMAIL_HOST, settings.EMAIL_PORT = '127.0.0.1', 9  # nothing listens: the connection is refused
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse('surveys:campaign_command', args=[campaign.slug, 'send']))
    job = Job.objects.get()
    assert job.status == Job.Status.FAILED and not campaign.invitations.filter(sent_at__isnull=False).exists()
    with SmtpSink() as sink:
        settings.EMAIL_PORT = sink.port
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse('jobs:job_retry', args=[job.pk]))
        job.refresh_from_db()
        assert job.status == Job.Status.DONE and len(sink.messages) == 1
        assert campaign.invitations.get().sent_at is not None


def _bodies_with_contacts(count: int) -> list[Organisation]:
    bodies = list(Organisation.objects.bodies().order_by('name')[:count])
    for n, body in enumerate(bodies):
        User.objects.create_user(f'contact{n}', f'contact{n}@example.org', 'pw', organisation=body, role='editor')
    return bodies


def _mail_to(settings, sink) -> None:
    settings.EMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend'
    settings.EMAIL_HOST, settings.EMAIL_PORT = '127.0.0.1', sink.port


def test_a_refusal_partway_keeps_the_invitations_sent_and_a_retry_sends_only_the_rest(
    client_for, regulator, settings, django_capture_on_commit_callbacks
):
    bodies = _bodies_with_contacts(5)
    campaign = _campaign(regulator, 'mail-2025', 'Mail survey', bodies, open_now=True)
    client = client_for(regulator)
    with RefusingSink(accept=2) as sink:
        _mail_to(settings, sink)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse('surveys:campaign_command', args=[campaign.slug, 'send']))
    job = Job.objects.get(kind=Job.Kind.INVITATIONS)
    assert job.status == Job.Status.FAILED and job.result == {'emailed': 2}
    assert job.errors[0]['message'] == (
        f'The mail server refused the invitation to {bodies[2]}: {REFUSAL}; 2 were sent. '
        'Queue it again to send the rest.'
    )
    # The two the server took are marked sent, each with its audit row; the one it refused is not.
    sent = list(campaign.invitations.filter(sent_at__isnull=False).order_by('organisation__name'))
    assert [i.organisation for i in sent] == bodies[:2] and len(sink.messages) == 2
    assert all(ObjectChange.objects.for_object(i).filter(message='Invitation emailed').exists() for i in sent)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'The task stopped partway: what it had done is kept' in page and 'nothing was written' not in page
    assert 'data-testid="job-result-emailed">2<' in page

    with SmtpSink() as sink:
        settings.EMAIL_PORT = sink.port
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse('jobs:job_retry', args=[job.pk]))
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result == {'emailed': 3, 'bodies without a contact': 0}
    # Only the three not yet sent, over one connection: nobody has an invitation twice.
    assert len(sink.connections) == 1 and len(sink.messages) == 3
    assert all(f'contact{n}@example.org'.encode() in m for n, m in zip((2, 3, 4), sink.messages, strict=True))
    assert not campaign.invitations.filter(sent_at__isnull=True).exists()


def test_a_refusal_partway_through_remind_all_says_what_was_sent_and_a_retry_sends_the_rest(
    client_for, regulator, settings, django_capture_on_commit_callbacks
):
    bodies = _bodies_with_contacts(3)
    campaign = _campaign(regulator, 'mail-2025', 'Mail survey', bodies, open_now=True)
    send_invitations(regulator, campaign)  # the test settings' in-memory backend
    client = client_for(regulator)
    url = reverse('surveys:campaign_remind_outstanding', args=[campaign.slug])
    with RefusingSink(accept=1) as sink:
        _mail_to(settings, sink)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url)
    job = Job.objects.get(kind=Job.Kind.REMINDERS)
    assert job.status == Job.Status.FAILED and job.result == {'reminded': 1}
    assert job.errors[0]['message'] == (
        f'The mail server refused the reminder to {bodies[1]}: {REFUSAL}; 1 was sent. Queue it again to send the rest.'
    )
    assert [r.invitation.organisation for r in Reminder.objects.all()] == bodies[:1]
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'The task stopped partway: what it had done is kept' in page and 'nothing was written' not in page

    with SmtpSink() as sink:
        settings.EMAIL_PORT = sink.port
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse('jobs:job_retry', args=[job.pk]))
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result == {'reminded': 2} and len(sink.messages) == 2
    assert Reminder.objects.count() == 3  # one each: the body reminded before the refusal is not reminded again


def test_the_reminders_command_stopped_by_the_mail_server_says_what_was_sent(regulator, settings):
    bodies = _bodies_with_contacts(3)
    campaign = _campaign(regulator, 'mail-2025', 'Mail survey', bodies, open_now=True)
    send_invitations(regulator, campaign)  # the test settings' in-memory backend
    with RefusingSink(accept=1) as sink, time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        _mail_to(settings, sink)
        with pytest.raises(CommandError, match=r'refused the reminder to .*: .*1 were sent and recorded; run it again'):
            call_command('send-reminders')
    assert Reminder.objects.count() == 1 and len(sink.messages) == 1
