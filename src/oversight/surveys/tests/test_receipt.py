"""The receipt of a submission is emailed by a task queued when the submission commits, and sent once."""

import time_machine
from django.core import mail

from oversight.core.models import ObjectChange
from oversight.jobs.actions import retry_job
from oversight.jobs.models import Job
from oversight.surveys.actions.returns import Declaration, send_receipt, submit_return
from oversight.surveys.models import Contact, Invitation
from oversight.testing.smtp import SmtpSink

from .conftest import london
from .test_workflow import with_lines

DECLARED = Declaration('Sam Roe', 'Head of information management', 'A. Chief')


def _submit(editor, invitation, capture):
    with time_machine.travel(london(2022, 7, 10, 12), tick=False), capture(execute=True):
        return submit_return(editor, invitation, with_lines(), declaration=DECLARED)


def test_a_refused_mail_server_leaves_the_submission_and_the_task_runs_again_sending_once(
    editor_a, invitation_a, settings, django_capture_on_commit_callbacks
):
    Contact.objects.create(invitation=invitation_a, name='Jo Bloggs', email='jo@kent.police.example', role='SRO')
    settings.EMAIL_BACKEND = 'django.core.mail.backends.smtp.EmailBackend'
    settings.EMAIL_HOST, settings.EMAIL_PORT = '127.0.0.1', 9  # nothing listens: the connection is refused
    survey_return = _submit(editor_a, invitation_a, django_capture_on_commit_callbacks)
    invitation_a.refresh_from_db()
    assert invitation_a.status == Invitation.Status.SUBMITTED  # the submission does not wait on the mail server
    job = Job.objects.get(kind=Job.Kind.RECEIPT)
    assert job.status == Job.Status.FAILED and 'did not take the receipt' in job.errors[0]['message']
    assert (job.user, job.organisation, job.arguments['return']) == (
        editor_a,
        invitation_a.organisation,
        survey_return.pk,
    )
    with SmtpSink() as sink:
        settings.EMAIL_PORT = sink.port
        with django_capture_on_commit_callbacks(execute=True):
            retry_job(editor_a, job)
        job.refresh_from_db()
        assert job.status == Job.Status.DONE and job.result == {'emailed': 1}
        [message] = sink.messages
        assert survey_return.reference.encode() in message and b'jo@kent.police.example' in message
        # Run again (a task delivered twice, a retry after it was sent): its audit row says it went.
        assert send_receipt(editor_a, survey_return, editor_a.pk) == 0
        assert len(sink.messages) == 1
    assert ObjectChange.objects.for_object(survey_return).filter(message__startswith='Receipt emailed').count() == 1


def test_a_submission_nobody_could_be_sent_a_receipt_of_queues_no_task(
    editor_a, invitation_a, invitation_b, editor_b, django_capture_on_commit_callbacks
):
    editor_a.email = ''
    editor_a.save()
    _submit(editor_a, invitation_a, django_capture_on_commit_callbacks)  # nobody to send it to
    assert not Job.objects.filter(kind=Job.Kind.RECEIPT).exists()
    Contact.objects.create(invitation=invitation_b, name='Al', email='al@essex.police.example', role='SRO')
    editor_b.email = 'editor@essex.police.example'
    editor_b.save()
    _submit(editor_b, invitation_b, django_capture_on_commit_callbacks)
    [job] = Job.objects.filter(kind=Job.Kind.RECEIPT)
    assert job.status == Job.Status.DONE and [m.to for m in mail.outbox] == [
        [editor_b.email, 'al@essex.police.example']
    ]
