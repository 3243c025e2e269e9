"""Invitations, their contacts, the emails inviting and reminding bodies, and one body's extended cut-off.

Reminders come two ways: the campaign's schedule (`send_due_reminders`, from cron or the campaign page),
and the regulator by hand, to one body (`send_reminder`) or to every outstanding body (`remind_outstanding`).
Every reminder is a `Reminder` row, whoever sent it, so each counts towards the campaign's cap and restarts
its interval: the schedule stops at the cap and never follows a reminder by hand too soon. The regulator's
own reminders are not limited by the cap, but never come less than `HAND_REMINDER_GAP` after the last one.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.core.audit import record_change, save_audited
from oversight.core.dates import govuk_datetime
from oversight.core.models import ObjectChange
from oversight.core.permissions import check, sees_everything

from ..emails import compose
from ..models import Campaign, Contact, Invitation, Reminder
from .common import REGULATOR_ONLY

# However many times staff click, or a task is retried, a body gets at most one reminder by hand in this time.
HAND_REMINDER_GAP = datetime.timedelta(days=1)


@transaction.atomic
def set_contacts(actor, invitation: Invitation, contacts: list[tuple[str, str, str]]) -> Invitation:
    """Replace the people an invitation goes to: (name, email, role) each."""
    check(actor, sees_everything, message=REGULATOR_ONLY)
    before = {'contacts': [[c.name, c.email, c.role] for c in invitation.contacts.all()]}
    invitation.contacts.all().delete()
    for name, email, role in contacts:
        contact = Contact(invitation=invitation, name=name.strip(), email=email.strip(), role=role.strip())
        contact.full_clean()
        contact.save()
    after = {'contacts': [[n.strip(), e.strip(), r.strip()] for n, e, r in contacts]}
    if before != after:
        record_change(actor, invitation, ObjectChange.Action.UPDATE, before, after, 'Contacts changed')
    return invitation


class MailStopped(Exception):
    """The mail server refused the email to one body, or dropped the connection: the emails of the run sent before
    it (`sent` of them) are kept and recorded; that body's is not, so running it again sends it and the rest."""

    def __init__(self, body, sent: int, refusal: OSError):
        super().__init__(f'{body}: {refusal}')
        self.body, self.sent, self.refusal = body, sent, refusal


def _send(message, connection, body, sent: int) -> None:
    """Send one body's email of a run, the last step of its transaction; `sent` counts those of the run before it."""
    message.connection = connection
    try:
        message.send()
    except OSError as exc:  # smtplib's errors are OSErrors too
        raise MailStopped(body, sent, exc) from exc


def send_invitations(actor, campaign: Campaign, now=None, connection=None) -> tuple[int, list[str]]:
    """Email every recipient not yet sent its invitation. Returns (sent, bodies without contacts).

    Each invitation is locked, marked sent with its audit row and emailed in its own transaction, the email last:
    a refusal (MailStopped) rolls back only that one, the others stay sent, and running it again emails only
    those not sent yet. Every email of the run goes over one connection to the mail server (`connection`, by
    default the one settings name).
    """
    check(actor, sees_everything, message=REGULATOR_ONLY)
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError(_('Open the campaign before sending its invitations.'))
    if connection is None:
        with get_connection() as opened:
            return send_invitations(actor, campaign, now, connection=opened)
    now = now or timezone.now()
    pending = campaign.invitations.filter(sent_at__isnull=True).order_by('organisation__name')
    sent, no_contacts = 0, []
    for pk in pending.values_list('pk', flat=True):
        with transaction.atomic():
            invitation = _locked(pk)
            if invitation.sent_at is not None:  # sent by another run meanwhile
                continue
            message = compose(invitation, 'invitation', {})
            if message is None:
                no_contacts.append(invitation.organisation.name)
                continue
            invitation.sent_at = now
            save_audited(actor, invitation, 'Invitation emailed')
            _send(message, connection, invitation.organisation, sent)
        sent += 1
    return sent, no_contacts


def reminder_due(invitation: Invitation, now) -> bool:
    """Whether the reminder schedule calls for one now: sent, still outstanding, under the cap, interval passed."""
    campaign = invitation.campaign
    if campaign.status != Campaign.Status.OPEN or invitation.sent_at is None:
        return False
    if invitation.status not in Invitation.OUTSTANDING or invitation.past_cutoff(now):
        return False
    times = [r.sent_at for r in invitation.reminders.all()]
    if len(times) >= campaign.reminder_cap:
        return False
    last = max([invitation.sent_at, *times])
    return now - last >= datetime.timedelta(days=campaign.reminder_interval_days)


def send_due_reminders(
    now=None, campaign: Campaign | None = None, dry_run: bool = False, connection=None
) -> list[Invitation]:
    """Send every reminder the schedules call for; safe to run from cron as often as wanted.

    Each invitation is re-read under a row lock in its own transaction, so two runs at once
    cannot both send it a reminder, and a refusal (MailStopped) leaves the others sent and recorded. Every
    reminder of the run goes over one connection to the mail server, opened when the first is sent.
    """
    if connection is None:
        with get_connection() as opened:
            return send_due_reminders(now, campaign, dry_run, connection=opened)
    now = now or timezone.now()
    candidates = Invitation.objects.filter(
        campaign__status=Campaign.Status.OPEN, sent_at__isnull=False, status__in=Invitation.OUTSTANDING
    )
    if campaign is not None:
        candidates = candidates.filter(campaign=campaign)
    # Read together first, so a run with nothing due (most of them, from cron) costs a few queries whatever the
    # number of bodies; each one due is then read again under its lock, and sent only if still due.
    due = [
        invitation.pk
        for invitation in candidates.select_related('campaign').prefetch_related('reminders').order_by('pk')
        if reminder_due(invitation, now)
    ]
    reminded = []
    for pk in due:
        with transaction.atomic():
            invitation = (
                Invitation.objects.select_for_update()
                .select_related('campaign', 'organisation')
                .prefetch_related('reminders', 'contacts')
                .get(pk=pk)
            )
            if not reminder_due(invitation, now):
                continue
            message = compose(invitation, 'reminder', {'number': invitation.reminders.count() + 1})
            if message is None:
                continue
            reminded.append(invitation)
            if dry_run:
                continue
            reminder = Reminder(invitation=invitation, sent_at=now, recipients='\n'.join(message.to))
            save_audited(None, reminder, f'Reminder {invitation.reminders.count() + 1} sent')
            _send(message, connection, invitation.organisation, len(reminded) - 1)
    return reminded


# A body whose return is in can no longer be reminded (its status is not one of Invitation.OUTSTANDING).
_ALREADY = {
    Invitation.Status.SUBMITTED: _('You cannot send a reminder to %(body)s because its return is already submitted.'),
    Invitation.Status.ACCEPTED: _('You cannot send a reminder to %(body)s because its return is already accepted.'),
}


def hand_reminder_refusal(invitation: Invitation, now=None) -> str:
    """Why the regulator cannot remind this body now ('' when they can), in the Design System's words and the
    page's language."""
    now = now or timezone.now()
    body = {'body': invitation.organisation}
    if invitation.campaign.status != Campaign.Status.OPEN:
        return _('You cannot send a reminder to %(body)s because the campaign is not open.') % body
    if invitation.status not in Invitation.OUTSTANDING:
        return _ALREADY[invitation.status] % body
    if not invitation.contacts.all():
        return _('You cannot send a reminder to %(body)s because it has no contacts. Add its contacts first.') % body
    if invitation.sent_at is None:
        return (
            _('You cannot send a reminder to %(body)s because its invitation has not been sent. Send it first.') % body
        )
    if invitation.past_cutoff(now):
        return (
            _(
                'You cannot send a reminder to %(body)s because its cut-off has passed. Extend its cut-off first if '
                'it may still submit.'
            )
            % body
        )
    last = max((r.sent_at for r in invitation.reminders.all()), default=None)
    if last is not None and now - last < HAND_REMINDER_GAP:
        return _(
            'You cannot send a reminder to %(body)s because it was sent one on %(sent)s. Wait a day between reminders.'
        ) % {**body, 'sent': govuk_datetime(last)}
    return ''


def compose_reminder(invitation: Invitation):
    """The reminder email as the body will receive it, numbered after those already sent; None without contacts."""
    return compose(invitation, 'reminder', {'number': len(invitation.reminders.all()) + 1})


def _record_by_hand(actor, invitation: Invitation, now):
    """Record one reminder and return it with its email, which the caller sends last in the same transaction, so a
    refusal rolls the reminder back; the caller holds the invitation's row lock."""
    refusal = hand_reminder_refusal(invitation, now)
    if refusal:
        raise ValidationError(refusal)
    message = compose_reminder(invitation)
    number = len(invitation.reminders.all()) + 1
    reminder = Reminder(invitation=invitation, sent_at=now, recipients='\n'.join(message.to))
    save_audited(actor, reminder, f'Reminder {number} sent by hand')
    return reminder, message


def _locked(pk: int) -> Invitation:
    return (
        Invitation.objects.select_for_update()
        .select_related('campaign', 'organisation')
        .prefetch_related('reminders', 'contacts')
        .get(pk=pk)
    )


@transaction.atomic
def send_reminder(actor, invitation: Invitation, now=None, connection=None) -> Reminder:
    """Remind one body now, by hand: one email, sent in the request. Refused with the reason when it cannot be."""
    check(actor, sees_everything, message=REGULATOR_ONLY)
    reminder, message = _record_by_hand(actor, _locked(invitation.pk), now or timezone.now())
    message.connection = connection or get_connection()
    message.send()
    return reminder


def outstanding_reminders(campaign: Campaign, now=None) -> tuple[list[Invitation], list[tuple[Invitation, str]]]:
    """Who "remind all outstanding" would email now, and each outstanding body it would leave out, with why."""
    now = now or timezone.now()
    outstanding = (
        campaign.invitations.outstanding()
        .select_related('campaign', 'organisation')
        .prefetch_related('reminders', 'contacts')
        .order_by('organisation__name')
    )
    to_remind, left_out = [], []
    for invitation in outstanding:
        refusal = hand_reminder_refusal(invitation, now)
        if refusal:
            left_out.append((invitation, refusal))
        else:
            to_remind.append(invitation)
    return to_remind, left_out


def remind_outstanding(actor, campaign: Campaign, now=None, connection=None) -> list[Invitation]:
    """Remind every outstanding body that can be reminded now, by hand (the task behind "remind all").

    Like the schedule, each is locked, recorded and sent in its own transaction, so a refusal (MailStopped) leaves
    the others sent; a retry sends only to the bodies not reminded since (`HAND_REMINDER_GAP`).
    """
    check(actor, sees_everything, message=REGULATOR_ONLY)
    if connection is None:
        with get_connection() as opened:
            return remind_outstanding(actor, campaign, now, connection=opened)
    now = now or timezone.now()
    reminded = []
    for pk in campaign.invitations.outstanding().values_list('pk', flat=True):
        with transaction.atomic():
            invitation = _locked(pk)
            if hand_reminder_refusal(invitation, now):
                continue
            _reminder, message = _record_by_hand(actor, invitation, now)
            _send(message, connection, invitation.organisation, len(reminded))
            reminded.append(invitation)
    return reminded


@transaction.atomic
def extend_deadline(actor, invitation: Invitation, until, reason: str) -> Invitation:
    """Let one body submit after the campaign's cut-off, until `until`."""
    check(actor, sees_everything, message=REGULATOR_ONLY)
    cutoff = invitation.campaign.cutoff
    if cutoff is not None and until <= cutoff:
        raise ValidationError(
            {
                'extended_until': _('An extension must end after the campaign cut-off (%(cutoff)s).')
                % {'cutoff': govuk_datetime(cutoff)}
            }
        )
    if not reason.strip():
        raise ValidationError({'extension_reason': _('Give the reason for the extension.')})
    invitation.extended_until = until
    invitation.extension_reason = reason.strip()
    return save_audited(actor, invitation, f'Cut-off extended to {govuk_datetime(until)}')
