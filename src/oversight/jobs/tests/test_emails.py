"""Invitations and reminders are emailed by a worker, each batch over one connection to the mail server."""

import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from oversight.accounts.models import User
from oversight.api.tests.world import _campaign
from oversight.jobs.models import Job
from oversight.organisations.models import Organisation
from oversight.surveys.models import Reminder
from oversight.testing.smtp import SmtpSink


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
