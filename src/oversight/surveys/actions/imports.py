"""Returns gathered outside Oversight, imported from an interchange file (docs/interchange.md)."""

import re
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from oversight.core.audit import record_change, save_audited
from oversight.core.bulk import without_cycle_collection
from oversight.core.models import ObjectChange
from oversight.core.permissions import check, sees_everything
from oversight.organisations.models import Organisation

from .. import interchange
from ..models import Campaign, Questionnaire, Return
from .campaigns import invite
from .common import BATCH, REGULATOR_ONLY, Status, insert_rows
from .returns import governance_rebuilt

# What a campaign created by import-returns starts from (docs/interchange.md).
DEFAULT_CONCERN_LIST = 'obscc-2022'
DEFAULT_GROUP = 'policing-bodies-england-wales'
DEFAULT_QUESTIONNAIRE = 'police-2022'
RETURN_COLUMNS = (
    'invitation_id',
    'campaign_id',
    'organisation_id',
    'answers',
    'submitted_at',
    'last_submitted_at',
    'source',
    'illustrative',
    'updated_at',
    'version',
    # What the web journey records, empty for an imported return (insert_rows gives no model defaults).
    'completed_sections',
    'confirmed_warnings',
    # An imported return carries answers only: its records are rebuilt from the audit trail as of its submission.
    'governance',
    'governance_basis',
    'governance_as_of',
    'declarant_name',
    'declarant_role',
    'declared_for',
)


@dataclass
class ImportResult:
    campaign: Campaign
    campaign_created: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    lines: int = 0

    def __str__(self) -> str:
        made = 'created' if self.campaign_created else 'existing'
        return (
            f'{self.campaign.slug} ({made}): {self.created} returns created, {self.updated} updated, '
            f'{self.unchanged} unchanged; {self.lines} manufacturer lines written.'
        )


def _year_of(reference: str) -> int | None:
    found = re.search(r'(?<!\d)(19|20)\d{2}(?!\d)', reference)
    return int(found.group(0)) if found else None


def _new_campaign(actor, reference, concern_list_slug, recipient_ids, deadline) -> Campaign:
    from oversight.organisations.models import OrganisationGroup
    from oversight.vendors.models import ConcernList

    problems = []
    year = _year_of(reference)
    if year is None:
        problems.append(f'Campaign "{reference}" does not exist, and its name has no year to create it with.')
    if not re.fullmatch(r'[-a-zA-Z0-9_]+', reference or ''):
        problems.append(f'"{reference}" cannot be a campaign slug: use letters, digits and hyphens.')
    concern_list = ConcernList.objects.filter(slug=concern_list_slug or DEFAULT_CONCERN_LIST).first()
    if concern_list is None:
        known = ', '.join(ConcernList.objects.values_list('slug', flat=True)) or 'none loaded'
        problems.append(f'No concern list has the slug "{concern_list_slug or DEFAULT_CONCERN_LIST}" ({known}).')
    questionnaire = Questionnaire.objects.filter(slug=DEFAULT_QUESTIONNAIRE).first()
    if questionnaire is None:
        problems.append(f'The standard questionnaire "{DEFAULT_QUESTIONNAIRE}" is missing: run the migrations.')
    group = None if recipient_ids else OrganisationGroup.objects.filter(slug=DEFAULT_GROUP).first()
    if not recipient_ids and group is None:
        problems.append(f'The organisation group "{DEFAULT_GROUP}" is missing: give --recipients.')
    if problems:
        raise interchange.InterchangeError(problems)
    campaign = Campaign(
        title=f'Survey {reference}' if group is None else f'Police survey {year}',
        slug=reference,
        year=year,
        questionnaire=questionnaire,
        concern_list=concern_list,
        recipients_group=group,
        deadline=deadline,
        late_cutoff=deadline,
        status=Campaign.Status.CLOSED,
        description='Created by importing returns gathered outside Oversight.',
    )
    save_audited(actor, campaign, 'Campaign created by import-returns')
    if group is not None:
        recipient_ids = list(Organisation.objects.bodies().filter(groups=group).values_list('pk', flat=True))
    invite(actor, campaign, recipient_ids)
    if questionnaire.frozen_at is None:
        questionnaire.frozen_at = timezone.now()
        questionnaire.save(freezing=True, update_fields=['frozen_at'])
    return campaign


def _existing_returns(campaign: Campaign) -> dict:
    """The campaign's returns by organisation, as comparable values (one query)."""
    return {
        row[1]: row
        for row in campaign.returns.values_list(
            'pk', 'organisation_id', 'submitted_at', 'answers', 'invitation__status'
        )
    }


@without_cycle_collection()
@transaction.atomic
def import_returns(
    actor,
    reference: str,
    stream,
    *,
    recipients_stream=None,
    concern_list_slug=None,
    file_name: str = '',
    illustrative: bool = False,
    deadline=None,
    file_digest: str = '',
) -> ImportResult:
    """Import an interchange file (docs/interchange.md) into a campaign, creating the campaign if need be.

    All or nothing; a body's return is replaced by what the file says of it, and one the file
    states exactly as stored is left untouched, so importing a file twice changes nothing.
    `deadline` is given to a campaign this creates, so lateness can be computed. `file_digest` (the
    file's SHA-256) lets a file imported last, with nothing changed since, be recognised unread.
    """
    check(actor, sees_everything, message=REGULATOR_ONLY)
    bodies = dict(Organisation.objects.bodies().values_list('name', 'pk'))
    recipient_ids = interchange.read_recipients(recipients_stream, bodies) if recipients_stream else None
    try:
        campaign = Campaign.objects.lookup(reference)
        created_campaign = False
    except Campaign.MultipleObjectsReturned as exc:
        raise interchange.InterchangeError([str(exc)]) from exc
    except Campaign.DoesNotExist:
        campaign = _new_campaign(actor, reference, concern_list_slug, recipient_ids, deadline)
        created_campaign = True
    if not created_campaign:
        if campaign.status == Campaign.Status.DRAFT:
            raise interchange.InterchangeError(
                [f'{campaign.slug} is a draft: open it first, so its questionnaire is frozen before returns arrive.']
            )
        if concern_list_slug and campaign.concern_list.slug != concern_list_slug:
            raise interchange.InterchangeError(
                [f'{campaign.slug} already uses the concern list "{campaign.concern_list.slug}".']
            )
        if recipient_ids:
            invite(actor, campaign, recipient_ids)
        again = _same_import_again(campaign, file_digest)
        if again is not None:
            return again
    invitations = dict(campaign.invitations.values_list('organisation_id', 'pk'))
    found = interchange.read_returns(interchange.read_rows(stream), bodies, set(invitations), campaign.title)
    existing = _existing_returns(campaign)
    result = ImportResult(campaign, created_campaign)
    problems, new, changed = [], [], []
    for organisation_id, entry in found.items():
        row = existing.get(organisation_id)
        if row is None:
            new.append(entry)
            continue
        pk, _org, submitted_at, answers, status = row
        # The return's other answers (given on the web form) are kept beside what the file says.
        others = {k: v for k, v in (answers or {}).items() if k not in interchange.INTERCHANGE_KEYS}
        if submitted_at == entry.submitted_at and others | entry.as_answers() == answers:
            result.unchanged += 1
            continue
        if status in (Status.ACCEPTED, Status.RETURNED):
            verb = 'was accepted: record a correction' if status == Status.ACCEPTED else 'has an open query'
            problems.append(f'Row {entry.first_row}: the return of {entry.name} {verb}; the file would change it.')
            continue
        changed.append((pk, others, entry))
    if problems:
        raise interchange.InterchangeError(problems)
    _write_imported(actor, campaign, invitations, new, changed, file_name, illustrative, result, file_digest)
    return result


def _same_import_again(campaign: Campaign, file_digest: str) -> ImportResult | None:
    """The outcome of importing again the file last imported into the campaign, when nothing has changed since.

    It would leave every return as it is: the file need not be read. Nothing has changed when no survey
    or organisation record has been written since that import's audit row, so one query tells.
    """
    if not file_digest:
        return None
    last = (
        ObjectChange.objects.filter(content_type__model='campaign', content_type__app_label='surveys')
        .filter(object_id=str(campaign.pk))
        .order_by('-pk')
        .values('pk', 'after')
        .first()
    )
    if last is None or not isinstance(last['after'], dict) or last['after'].get('sha256') != file_digest:
        return None
    since = ObjectChange.objects.filter(pk__gt=last['pk'], content_type__app_label__in=('surveys', 'organisations'))
    if since.exists():
        return None
    return ImportResult(campaign, unchanged=last['after']['bodies'])


def _write_imported(actor, campaign, invitations, new, changed, file_name, illustrative, result, file_digest) -> None:
    """Write new and changed returns in bulk: a few statements whatever the number of bodies and lines."""
    if not new and not changed:
        return
    now = timezone.now()
    answers_field, governance_field = Return._meta.get_field('answers'), Return._meta.get_field('governance')
    entries = [*new, *(entry for _pk, _others, entry in changed)]
    rebuilt = governance_rebuilt({e.organisation_id: e.submitted_at for e in entries})
    adapted: dict = {}

    def when(value):
        # Bodies of one file often share a submission time: adapt each distinct one once.
        if value not in adapted:
            adapted[value] = connection.ops.adapt_datetimefield_value(value)
        return adapted[value]

    # A batch of returns at a time: each one's answers become JSON only as it is written.
    for start in range(0, len(new), BATCH):
        insert_rows(
            Return,
            RETURN_COLUMNS,
            [
                (
                    invitations[e.organisation_id],
                    campaign.pk,
                    e.organisation_id,
                    answers_field.get_db_prep_save(e.as_answers(), connection),
                    when(e.submitted_at),
                    when(e.submitted_at),
                    Return.Source.IMPORT,
                    illustrative,
                    when(now),
                    1,
                    '[]',
                    '[]',
                    governance_field.get_db_prep_save(rebuilt[e.organisation_id]['governance'], connection),
                    rebuilt[e.organisation_id]['governance_basis'],
                    when(e.submitted_at),
                    '',
                    '',
                    '',
                )
                for e in new[start : start + BATCH]
            ],
        )
    for start in range(0, len(changed), BATCH):
        Return.objects.bulk_update(
            [
                Return(
                    pk=pk,
                    answers=others | e.as_answers(),
                    submitted_at=e.submitted_at,
                    last_submitted_at=e.submitted_at,
                    source=Return.Source.IMPORT,
                    illustrative=illustrative,
                    updated_at=now,
                    version=F('version') + 1,
                    **rebuilt[e.organisation_id],
                )
                for pk, others, e in changed[start : start + BATCH]
            ],
            [
                'answers',
                'submitted_at',
                'last_submitted_at',
                'source',
                'illustrative',
                'updated_at',
                'version',
                'governance',
                'governance_basis',
                'governance_as_of',
            ],  # fmt: skip
        )
    lines = sum(e.line_count for e in entries)
    organisation_ids = [e.organisation_id for e in new] + [entry.organisation_id for _pk, _m, entry in changed]
    for start in range(0, len(organisation_ids), BATCH):
        campaign.invitations.filter(
            organisation_id__in=organisation_ids[start : start + BATCH], status__in=(Status.NOT_STARTED, Status.DRAFT)
        ).update(status=Status.SUBMITTED)
    # One audit row for the import as a whole (not one per line): which bodies' returns it wrote.
    record_change(
        actor,
        campaign,
        ObjectChange.Action.UPDATE,
        None,
        {
            'file': file_name,
            'returns_created': sorted(e.organisation_id for e in new),
            'returns_updated': sorted(e.organisation_id for _pk, _m, e in changed),
            'lines': lines,
            # How each body's governance records were obtained (rebuilt from the audit trail, or not available).
            'governance': {str(pk): fields['governance_basis'] for pk, fields in sorted(rebuilt.items())},
            # How a later import of the same file is recognised without reading it (_same_import_again).
            'sha256': file_digest,
            'bodies': len(new) + len(changed) + result.unchanged,
        },
        f'Returns imported from {file_name or "an interchange file"}: {len(new)} created, {len(changed)} updated',
    )
    result.created, result.updated, result.lines = len(new), len(changed), lines
