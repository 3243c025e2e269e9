"""Campaigns: created with their invitations, changed, opened (freezing the questionnaire) and closed."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.core.audit import record_change, save_audited, snapshot
from oversight.core.models import ObjectChange
from oversight.core.permissions import check, sees_everything
from oversight.organisations.models import Organisation

from ..models import Campaign, Contact, Invitation, Questionnaire
from .common import REGULATOR_ONLY, Status, insert_rows


def _contacts_from_users(organisation_ids) -> dict[int, list[tuple[str, str, str]]]:
    """Each body's people who may answer its return (its editors and administrators) with an email address:
    the default people to invite."""
    from oversight.accounts.models import User

    contacts: dict[int, list[tuple[str, str, str]]] = {}
    answering = User.objects.filter(
        organisation__in=organisation_ids,
        role__in=(User.Role.EDITOR, User.Role.ADMINISTRATOR),
        is_active=True,
        email__gt='',
    ).order_by('last_name', 'username')
    for user in answering:
        name = user.get_full_name() or user.username
        role = 'Administrator' if user.role == User.Role.ADMINISTRATOR else 'Editor'
        contacts.setdefault(user.organisation_id, []).append((name, user.email, role))
    return contacts


def invite(actor, campaign: Campaign, organisation_ids) -> list[int]:
    """Add recipients (bodies not yet invited), with their editors and administrators as contacts. Part of a
    larger action."""
    invited = set(campaign.invitations.values_list('organisation_id', flat=True))
    new = [pk for pk in dict.fromkeys(organisation_ids) if pk not in invited]
    if not new:
        return []
    insert_rows(
        Invitation,
        ('campaign_id', 'organisation_id', 'token', 'status', 'extension_reason', 'version'),
        [(campaign.pk, pk, secrets.token_urlsafe(), Status.NOT_STARTED, '', 1) for pk in new],
    )
    contacts = _contacts_from_users(new)
    if contacts:
        ids = dict(campaign.invitations.filter(organisation_id__in=list(contacts)).values_list('organisation_id', 'pk'))
        Contact.objects.bulk_create(
            Contact(invitation_id=ids[organisation_id], name=name, email=email, role=role)
            for organisation_id, people in contacts.items()
            for name, email, role in people
        )
    # One audit row for the lot: a national campaign invites thousands of bodies at once.
    record_change(
        actor, campaign, ObjectChange.Action.UPDATE, None, {'invited': sorted(new)}, f'Invited {len(new)} bodies'
    )
    return new


@transaction.atomic
def create_campaign(
    actor,
    *,
    title: str,
    slug: str,
    year: int,
    questionnaire: Questionnaire,
    concern_list,
    recipients_group=None,
    recipients=None,
    opens_at=None,
    deadline=None,
    late_cutoff=None,
    description: str = '',
    reminder_interval_days: int = 7,
    reminder_cap: int = 3,
    illustrative: bool = False,
) -> Campaign:
    """A draft campaign and its invitations: to every body of a group, or to the bodies listed."""
    check(actor, sees_everything, message=REGULATOR_ONLY)
    if recipients_group is None and not recipients:
        raise ValidationError({'recipients_group': _('Choose a group of bodies to invite, or list the bodies.')})
    campaign = Campaign(
        title=title,
        slug=slug,
        year=year,
        questionnaire=questionnaire,
        concern_list=concern_list,
        recipients_group=recipients_group,
        opens_at=opens_at,
        deadline=deadline,
        late_cutoff=late_cutoff,
        description=description,
        reminder_interval_days=reminder_interval_days,
        reminder_cap=reminder_cap,
        illustrative=illustrative,
    )
    save_audited(actor, campaign, 'Campaign created')
    if recipients_group is not None:
        recipients = Organisation.objects.bodies().filter(groups=recipients_group)
    invite(actor, campaign, [o.pk for o in recipients])
    return campaign


@transaction.atomic
def update_campaign(actor, campaign: Campaign, *, expected_version=None, **changes) -> Campaign:
    """Change a campaign's title or dates; its questionnaire and concern list only while it is a draft."""
    check(actor, sees_everything, message=REGULATOR_ONLY)
    fixed = {'questionnaire', 'concern_list', 'questionnaire_id', 'concern_list_id'} & set(changes)
    if campaign.status != Campaign.Status.DRAFT:
        stored = Campaign.objects.get(pk=campaign.pk)
        for name in fixed:
            if getattr(stored, name) != changes[name]:
                raise ValidationError({name: _('It cannot change once the campaign has opened.')})
    for name, value in changes.items():
        setattr(campaign, name, value)
    return save_audited(actor, campaign, 'Campaign changed', expected_version=expected_version)


@transaction.atomic
def open_campaign(actor, campaign: Campaign, now=None) -> Campaign:
    """Open a draft campaign to its recipients; its questionnaire is frozen from now on."""
    check(actor, sees_everything, message=REGULATOR_ONLY)
    if campaign.status != Campaign.Status.DRAFT:
        raise ValidationError(
            _('The campaign is already %(status)s.') % {'status': campaign.get_status_display().lower()}
        )
    missing = [name for name in ('opens_at', 'deadline', 'late_cutoff') if getattr(campaign, name) is None]
    if missing:
        raise ValidationError(
            dict.fromkeys(missing, _('Set it before opening the campaign.')),
        )
    now = now or timezone.now()
    questionnaire = Questionnaire.objects.select_for_update().get(pk=campaign.questionnaire_id)
    if questionnaire.frozen_at is None:
        before = snapshot(questionnaire)
        questionnaire.frozen_at = now
        questionnaire.save(freezing=True)
        record_change(
            actor,
            questionnaire,
            ObjectChange.Action.UPDATE,
            before,
            snapshot(questionnaire),
            f'Frozen: {campaign} opened',
        )
    campaign.status = Campaign.Status.OPEN
    return save_audited(actor, campaign, 'Campaign opened')


@transaction.atomic
def close_campaign(actor, campaign: Campaign) -> Campaign:
    check(actor, sees_everything, message=REGULATOR_ONLY)
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError(_('Only an open campaign can be closed.'))
    campaign.status = Campaign.Status.CLOSED
    return save_audited(actor, campaign, 'Campaign closed')
