"""Invitations, their contacts, the emails inviting and reminding bodies, and one body's extended cut-off."""

import datetime

from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from oversight.core.audit import record_change, save_audited
from oversight.core.dates import govuk_datetime
from oversight.core.models import ObjectChange

from ..emails import compose
from ..models import Campaign, Contact, Invitation, Reminder
from .common import require_regulator


@transaction.atomic
def set_contacts(actor, invitation: Invitation, contacts: list[tuple[str, str, str]]) -> Invitation:
    """Replace the people an invitation goes to: (name, email, role) each."""
    require_regulator(actor)
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


@transaction.atomic
def send_invitations(actor, campaign: Campaign, now=None, connection=None) -> tuple[int, list[str]]:
    """Email every recipient not yet sent its invitation. Returns (sent, bodies without contacts).

    `connection` is an email backend connection; by default the one settings name.
    """
    require_regulator(actor)
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError('Open the campaign before sending its invitations.')
    now = now or timezone.now()
    pending = campaign.invitations.filter(sent_at__isnull=True).select_related('organisation', 'campaign')
    messages, sent, no_contacts = [], [], []
    for invitation in pending.prefetch_related('contacts'):
        message = compose(invitation, 'invitation', {})
        if message is None:
            no_contacts.append(invitation.organisation.name)
            continue
        messages.append(message)
        invitation.sent_at = now
        sent.append(invitation)
    Invitation.objects.bulk_update(sent, ['sent_at'])
    if sent:
        record_change(
            actor,
            campaign,
            ObjectChange.Action.UPDATE,
            None,
            {'invitations_sent': sorted(i.organisation_id for i in sent)},
            f'Invitations emailed to {len(sent)} bodies',
        )
    # Sent last: if the mail server refuses, the transaction rolls back and nothing is marked sent.
    (connection or get_connection()).send_messages(messages)
    return len(sent), no_contacts


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
    cannot both send it a reminder, and a failure leaves the others sent and recorded. Every
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
    reminded = []
    for pk in candidates.values_list('pk', flat=True):
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
            message.connection = connection
            message.send()
    return reminded


@transaction.atomic
def extend_deadline(actor, invitation: Invitation, until, reason: str) -> Invitation:
    """Let one body submit after the campaign's cut-off, until `until`."""
    require_regulator(actor)
    cutoff = invitation.campaign.cutoff
    if cutoff is not None and until <= cutoff:
        raise ValidationError(
            {'extended_until': f'An extension must end after the campaign cut-off ({govuk_datetime(cutoff)}).'}
        )
    if not reason.strip():
        raise ValidationError({'extension_reason': 'Give the reason for the extension.'})
    invitation.extended_until = until
    invitation.extension_reason = reason.strip()
    return save_audited(actor, invitation, f'Cut-off extended to {govuk_datetime(until)}')
