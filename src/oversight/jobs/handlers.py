"""The work each kind of job does, calling the owning app's actions as the person who started it.

A handler returns an `Outcome` or raises (`JobFailed` with every problem, or the action's
ValidationError). It runs in one transaction with the job's "done", so it is all or nothing, and a
retry after any failure starts from a clean state; the emails of invitations and reminders are the
exception (`Job.SENT_AS_IT_GOES`): each is recorded as it is sent, and a failure says how many were.
"""

import io
import re
import smtplib
import zlib

from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import IntegrityError, connection
from django.urls import reverse
from django.utils.translation import gettext_noop

from oversight.accounts.actions import send_invitation
from oversight.discovery import actions as discovery_actions
from oversight.discovery.models import ScanToken
from oversight.discovery.results import problem_place
from oversight.findings import actions as findings_actions
from oversight.findings.models import Report
from oversight.register import actions as register_actions
from oversight.register.imports import read_batch
from oversight.register.models import ImportBatch
from oversight.surveys.actions.imports import import_returns
from oversight.surveys.actions.invitations import MailStopped, remind_outstanding, send_due_reminders, send_invitations
from oversight.surveys.actions.returns import send_receipt
from oversight.surveys.interchange import InterchangeError
from oversight.surveys.models import Campaign, Return

from .models import Job
from .runner import JobFailed, Outcome, Progress, problem

_REGISTER_LISTS = {
    ImportBatch.Kind.EQUIPMENT: 'register:equipment_list',
    ImportBatch.Kind.SITES: 'register:site_list',
    ImportBatch.Kind.SYSTEMS: 'register:system_list',
}


def register_import(job: Job, progress: Progress) -> Outcome:
    batch = ImportBatch.objects.get(pk=job.arguments['batch'])
    if batch.status == ImportBatch.Status.COMMITTED:
        # An earlier attempt committed it and was then taken for dead: the work is done, not to be done twice.
        return Outcome(batch.counts, reverse(_REGISTER_LISTS[batch.kind]))
    progress(0, 0, gettext_noop('Checking and writing the file'))
    try:
        counts = register_actions.commit_import(job.user, batch, job.arguments.get('fingerprint'))
    except ValidationError as exc:
        if getattr(exc, 'code', None) == 'invalid':  # the file has problems: name each by row and column
            errors = [problem(e.message, e.row, e.column) for e in read_batch(batch).errors]
            raise JobFailed([problem(exc.messages[0]), *errors]) from exc
        raise
    return Outcome(counts, reverse(_REGISTER_LISTS[batch.kind]))


def _refusal(exc: OSError) -> str:
    """The mail server's answer as it gave it ("451 Too many messages"), or why it could not be reached."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return f'{exc.smtp_code} {exc.smtp_error.decode("utf-8", "replace")}'
    return str(exc)


def _mail_stopped(email: str, exc: MailStopped | OSError, key: str) -> JobFailed:
    """What a run of emails kept when the mail server stopped it: those sent before stay sent and recorded."""
    if not isinstance(exc, MailStopped):  # it could not be reached at all
        message = f'The mail server could not be reached ({exc}): no {email} was sent. Queue it again once it is back.'
        return JobFailed([problem(message)], {key: 0})
    sent = '1 was sent' if exc.sent == 1 else f'{exc.sent} were sent'
    message = (
        f'The mail server refused the {email} to {exc.body}: {_refusal(exc.refusal)}; {sent}. '
        'Queue it again to send the rest.'
    )
    return JobFailed([problem(message)], {key: exc.sent})


def invitations(job: Job, progress: Progress) -> Outcome:
    """One connection to the mail server for the whole batch; each invitation recorded as it is sent."""
    campaign = Campaign.objects.get(pk=job.arguments['campaign'])
    progress(0, 0, gettext_noop('Emailing the invitations'))
    try:
        with get_connection() as connection:
            sent, without = send_invitations(job.user, campaign, connection=connection)
    except (MailStopped, OSError) as exc:  # OSError: the server could not be reached
        raise _mail_stopped('invitation', exc, 'emailed') from exc
    return Outcome({'emailed': sent, 'bodies without a contact': len(without)}, campaign.get_absolute_url())


def reminders(job: Job, progress: Progress) -> Outcome:
    campaign = Campaign.objects.get(pk=job.arguments['campaign'])
    by_hand = job.arguments.get('outstanding', False)
    progress(
        0, 0, gettext_noop('Emailing every outstanding body') if by_hand else gettext_noop('Emailing the reminders due')
    )
    try:
        with get_connection() as connection:
            if by_hand:
                reminded = remind_outstanding(job.user, campaign, connection=connection)
            else:
                reminded = send_due_reminders(campaign=campaign, connection=connection)
    except (MailStopped, OSError) as exc:
        raise _mail_stopped('reminder', exc, 'reminded') from exc
    return Outcome({'reminded': len(reminded)}, campaign.get_absolute_url())


def scan(job: Job, progress: Progress) -> Outcome:
    arguments = job.arguments
    token = ScanToken.objects.filter(pk=arguments['token']).first() if arguments['token'] else None
    actor = discovery_actions.TokenActor(f'scan token "{token.name}"') if token else job.user
    progress(0, 0, gettext_noop('Reading the lines, identifying the devices and comparing them with the register'))
    content = bytes(job.payload)
    try:
        found = discovery_actions.record_scan(
            actor,
            job.organisation,
            # Tasks queued before uploads were kept compressed hold the bytes as they came.
            zlib.decompress(content) if arguments.get('compressed') else content,
            source=arguments['source'],
            filename=arguments['filename'],
            token=token,
        )
    except ValidationError as exc:  # a bad line: each named by its number and field
        raise JobFailed([problem(message, *problem_place(message)) for message in exc.messages]) from exc
    return Outcome(found.counts, found.get_absolute_url())


def publication(job: Job, progress: Progress) -> Outcome:
    """The figures frozen as of now and the PDF rendered; refused, with every reason, if a check fails now."""
    arguments = job.arguments
    found = Report.objects.get(pk=arguments['report'])
    progress(0, 0, gettext_noop('Computing the figures and rendering the PDF'))
    version = findings_actions.publish_report(
        job.user,
        found,
        note=arguments['note'],
        expected_version=arguments['expected_version'],
        confirmed_unchecked=arguments['confirmed_unchecked'],
    )
    return Outcome({'version': version.number}, version.get_absolute_url())


def receipt(job: Job, progress: Progress) -> Outcome:
    """The receipt of a submission; its audit row is written with the task's "done", so it is sent once."""
    survey_return = Return.objects.get(pk=job.arguments['return'])
    progress(0, 0, gettext_noop('Emailing the receipt'))
    try:
        with get_connection() as connection:
            emailed = send_receipt(job.user, survey_return, job.arguments['submitter'], connection=connection)
    except OSError as exc:  # the mail server refused or could not be reached: the submission stands
        message = f'The mail server did not take the receipt ({exc}). Queue it again once it is back.'
        raise JobFailed([problem(message)]) from exc
    return Outcome({'emailed': emailed}, survey_return.invitation.get_absolute_url())


def account_invitation(job: Job, progress: Progress) -> Outcome:
    """The invitation to a new account, with its link made now; sent again, the earlier link stops working."""
    progress(0, 0, gettext_noop('Emailing the invitation'))
    try:
        with get_connection() as connection:
            emailed = send_invitation(job.user, job.arguments['invitation'], connection=connection)
    except OSError as exc:
        message = f'The mail server did not take the invitation ({exc}). Queue it again once it is back.'
        raise JobFailed([problem(message)]) from exc
    return Outcome({'emailed': emailed}, reverse('accounts:people'))


ROW_AND_COLUMN = re.compile(r'^Row (\d+)(?:, column ([\w.]+))?:')


def returns_import(job: Job, progress: Progress) -> Outcome:
    arguments = job.arguments
    progress(0, 0, gettext_noop('Checking and writing the returns'))
    try:
        text = bytes(job.payload).decode('utf-8-sig')
    except UnicodeDecodeError as exc:
        raise JobFailed([problem('The file is not UTF-8 text: save it as "CSV UTF-8". Nothing was imported.')]) from exc
    recipients = arguments['recipients']
    try:
        result = import_returns(
            job.user,
            arguments['reference'],
            io.StringIO(text, newline=''),
            recipients_stream=io.StringIO(recipients, newline='') if recipients is not None else None,
            file_name=arguments['file_name'],
        )
    except (IntegrityError, connection.Database.IntegrityError) as exc:  # the returns' COPY raises the driver's own
        # Another import into the same campaign (the command, or one queued under another lock) wrote the same
        # returns or made the same campaign while this one ran; what it wrote stands, this one wrote nothing.
        message = (
            f'Another import into {arguments["reference"]} wrote its returns while this one ran, so this one was '
            'not written: nothing of it was kept. Queue it again once the other is done.'
        )
        raise JobFailed([problem(message)]) from exc
    except InterchangeError as exc:
        problems = []
        for message in exc.problems:  # "Row 12, column operates: ..." names where it is
            found = ROW_AND_COLUMN.match(message)
            problems.append(problem(message, int(found[1]), found[2] or '') if found else problem(message))
        raise JobFailed([problem(str(exc).splitlines()[0]), *problems]) from exc
    counts = {'created': result.created, 'updated': result.updated, 'unchanged': result.unchanged}
    return Outcome({**counts, 'lines': result.lines}, result.campaign.get_absolute_url())


HANDLERS = {
    Job.Kind.RETURNS_IMPORT: returns_import,
    Job.Kind.REPORT_PDF: publication,
    Job.Kind.SCAN: scan,
    Job.Kind.REGISTER_IMPORT: register_import,
    Job.Kind.INVITATIONS: invitations,
    Job.Kind.REMINDERS: reminders,
    Job.Kind.RECEIPT: receipt,
    Job.Kind.ACCOUNT_INVITATION: account_invitation,
}
