"""Every write of the survey workflow, each in one transaction with its audit rows.

`actor` is the signed-in user, or None for a command run on the server (imports, reminders, the
demo). Permission is checked here as well as in the views, so no surface can skip it.
"""

import datetime
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from oversight.core.audit import STALE_MESSAGE, record_change, save_audited, snapshot
from oversight.core.models import ObjectChange
from oversight.core.querysets import sees_everything
from oversight.organisations.models import Organisation

from . import answers as checks
from . import interchange
from .models import (
    Campaign,
    Contact,
    Correction,
    Invitation,
    Question,
    Questionnaire,
    Reminder,
    Return,
    ReviewQuery,
)

Status = Invitation.Status
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
)
# Rows per statement in bulk writes.
BATCH = 500


def _require_regulator(actor) -> None:
    if actor is not None and not (actor.is_active and sees_everything(actor)):
        raise PermissionDenied('Only the regulator can do this.')


def _require_editor(actor, invitation: Invitation) -> None:
    if actor is not None and not actor.can_edit_for(invitation.organisation_id):
        raise PermissionDenied(f'Only an editor of {invitation.organisation} can change its return.')


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), 'j F Y H:i')


def base_url() -> str:
    return settings.OVERSIGHT_BASE_URL.rstrip('/')


# Questionnaires ---------------------------------------------------------------------------------


@transaction.atomic
def copy_questionnaire(actor, questionnaire: Questionnaire, *, slug: str, title: str = '') -> Questionnaire:
    """A new, editable version of a questionnaire, e.g. to change questions for the next campaign."""
    _require_regulator(actor)
    copy = Questionnaire(
        slug=slug,
        title=title or questionnaire.title,
        version=questionnaire.version + 1,
        based_on=questionnaire,
        description=questionnaire.description,
        source_url=questionnaire.source_url,
    )
    save_audited(actor, copy, f'New version of {questionnaire.slug}')
    for section in questionnaire.sections.prefetch_related('questions'):
        questions = list(section.questions.all())
        section.pk, section.questionnaire = None, copy
        section.save()
        for question in questions:
            question.pk, question.section = None, section
        Question.objects.bulk_create(questions)
    return copy


@transaction.atomic
def update_question(actor, question: Question, **changes) -> Question:
    """Change a question of a questionnaire that no campaign has opened with yet."""
    _require_regulator(actor)
    for name, value in changes.items():
        setattr(question, name, value)
    return save_audited(actor, question, f'Question {question.number} changed')


# Campaigns --------------------------------------------------------------------------------------


def _contacts_from_users(organisation_ids) -> dict[int, list[tuple[str, str, str]]]:
    """Each body's editors with an email address: the default people to invite."""
    from oversight.accounts.models import User

    contacts: dict[int, list[tuple[str, str, str]]] = {}
    editors = User.objects.filter(
        organisation__in=organisation_ids, role=User.Role.EDITOR, is_active=True, email__gt=''
    ).order_by('last_name', 'username')
    for user in editors:
        name = user.get_full_name() or user.username
        contacts.setdefault(user.organisation_id, []).append((name, user.email, 'Editor'))
    return contacts


def insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert database-ready rows without building model instances: the bulk paths of national campaigns."""
    quote = connection.ops.quote_name
    sql = (
        f'INSERT INTO {quote(model._meta.db_table)} ({", ".join(quote(c) for c in columns)}) '
        f'VALUES ({", ".join(["%s"] * len(columns))})'
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 50_000):
            cursor.executemany(sql, rows[start : start + 50_000])


def invite(actor, campaign: Campaign, organisation_ids) -> list[int]:
    """Add recipients (bodies not yet invited), with their editors as contacts. Part of a larger action."""
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
    _require_regulator(actor)
    if recipients_group is None and not recipients:
        raise ValidationError({'recipients_group': 'Choose a group of bodies to invite, or list the bodies.'})
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
    _require_regulator(actor)
    fixed = {'questionnaire', 'concern_list', 'questionnaire_id', 'concern_list_id'} & set(changes)
    if campaign.status != Campaign.Status.DRAFT:
        stored = Campaign.objects.get(pk=campaign.pk)
        for name in fixed:
            if getattr(stored, name) != changes[name]:
                raise ValidationError({name: 'It cannot change once the campaign has opened.'})
    for name, value in changes.items():
        setattr(campaign, name, value)
    return save_audited(actor, campaign, 'Campaign changed', expected_version=expected_version)


@transaction.atomic
def open_campaign(actor, campaign: Campaign, now=None) -> Campaign:
    """Open a draft campaign to its recipients; its questionnaire is frozen from now on."""
    _require_regulator(actor)
    if campaign.status != Campaign.Status.DRAFT:
        raise ValidationError(f'The campaign is already {campaign.get_status_display().lower()}.')
    missing = [name for name in ('opens_at', 'deadline', 'late_cutoff') if getattr(campaign, name) is None]
    if missing:
        raise ValidationError(
            dict.fromkeys(missing, 'Set it before opening the campaign.'),
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
    _require_regulator(actor)
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError('Only an open campaign can be closed.')
    campaign.status = Campaign.Status.CLOSED
    return save_audited(actor, campaign, 'Campaign closed')


# Invitations, contacts and reminders ------------------------------------------------------------


@transaction.atomic
def set_contacts(actor, invitation: Invitation, contacts: list[tuple[str, str, str]]) -> Invitation:
    """Replace the people an invitation goes to: (name, email, role) each."""
    _require_regulator(actor)
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


def _email(invitation: Invitation, template: str, context: dict) -> EmailMessage | None:
    recipients = [c.email for c in invitation.contacts.all()]
    if not recipients:
        return None
    context = {
        'invitation': invitation,
        'campaign': invitation.campaign,
        'organisation': invitation.organisation,
        'link': base_url() + reverse('surveys:invitation_token', args=[invitation.token]),
        'deadline': _when(invitation.campaign.deadline) if invitation.campaign.deadline else '',
        **context,
    }
    subject, _, body = render_to_string(f'surveys/email/{template}.txt', context).partition('\n')
    return EmailMessage(subject.strip(), body.strip() + '\n', settings.DEFAULT_FROM_EMAIL, recipients)


@transaction.atomic
def send_invitations(actor, campaign: Campaign, now=None, connection=None) -> tuple[int, list[str]]:
    """Email every recipient not yet sent its invitation. Returns (sent, bodies without contacts).

    `connection` is an email backend connection; by default the one settings name.
    """
    _require_regulator(actor)
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError('Open the campaign before sending its invitations.')
    now = now or timezone.now()
    pending = campaign.invitations.filter(sent_at__isnull=True).select_related('organisation', 'campaign')
    messages, sent, no_contacts = [], [], []
    for invitation in pending.prefetch_related('contacts'):
        message = _email(invitation, 'invitation', {})
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
            message = _email(invitation, 'reminder', {'number': invitation.reminders.count() + 1})
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
    _require_regulator(actor)
    cutoff = invitation.campaign.cutoff
    if cutoff is not None and until <= cutoff:
        raise ValidationError(
            {'extended_until': f'An extension must end after the campaign cut-off ({_when(cutoff)}).'}
        )
    if not reason.strip():
        raise ValidationError({'extension_reason': 'Give the reason for the extension.'})
    invitation.extended_until = until
    invitation.extension_reason = reason.strip()
    return save_audited(actor, invitation, f'Cut-off extended to {_when(until)}')


# Returns ----------------------------------------------------------------------------------------


def _write(actor, invitation: Invitation, answers, *, expected_version, source, message, **fields) -> Return:
    """Store answers (and `fields`) on the invitation's return, created on first save; audited."""
    survey_return = Return.objects.filter(invitation=invitation).first()
    if survey_return is None:
        if expected_version not in (None, 0):
            raise ValidationError(STALE_MESSAGE, code='stale')
        survey_return = Return(
            invitation=invitation, campaign=invitation.campaign, organisation=invitation.organisation
        )
        expected_version = None
    survey_return.answers = answers
    survey_return.source = source
    for name, value in fields.items():
        setattr(survey_return, name, value)
    return save_audited(actor, survey_return, message, expected_version=expected_version)


def _set_status(actor, invitation: Invitation, status: str) -> None:
    if invitation.status != status:
        invitation.status = status
        save_audited(actor, invitation, f'Status: {invitation.get_status_display()}')


def check_editable(invitation: Invitation) -> None:
    """Refuse, with the reason, a change to a return its body may no longer make."""
    campaign = invitation.campaign
    if invitation.status == Status.RETURNED:
        return  # a query must be answerable whatever the campaign's dates
    if campaign.status != Campaign.Status.OPEN:
        raise ValidationError(f'{campaign} is {campaign.get_status_display().lower()}: returns can no longer change.')
    if invitation.status in (Status.SUBMITTED, Status.ACCEPTED):
        raise ValidationError(
            f'This return was {invitation.get_status_display().lower()}: it can change only if the regulator '
            'returns it with a query.'
        )


@transaction.atomic
def save_draft(
    actor,
    invitation: Invitation,
    raw_answers: dict,
    *,
    expected_version=None,
    source=Return.Source.WEB,
) -> Return:
    """Save a return as a draft to finish later. Values are type-checked; nothing is yet required."""
    _require_editor(actor, invitation)
    invitation = Invitation.objects.select_for_update().select_related('campaign').get(pk=invitation.pk)
    check_editable(invitation)
    schema = checks.Schema(invitation.campaign.questionnaire)
    answers = checks.check_return(schema, raw_answers, submitting=False)
    survey_return = _write(
        actor, invitation, answers, expected_version=expected_version, source=source, message='Draft saved'
    )
    if invitation.status == Status.NOT_STARTED:
        _set_status(actor, invitation, Status.DRAFT)
    return survey_return


def cutoff_message(invitation: Invitation) -> str:
    return (
        f'The late-acceptance cut-off for {invitation.campaign} was {_when(invitation.cutoff)}, so the return cannot '
        'be submitted now. Nothing was saved: save your answers as a draft, and ask the Commissioner’s office to '
        'extend the cut-off for your body.'
    )


@transaction.atomic
def submit_return(
    actor,
    invitation: Invitation,
    raw_answers: dict,
    *,
    expected_version=None,
    now=None,
    source=Return.Source.WEB,
) -> Return:
    """Save and submit a return. Refused after the cut-off unless extended; every missing answer is listed."""
    _require_editor(actor, invitation)
    invitation = Invitation.objects.select_for_update().select_related('campaign').get(pk=invitation.pk)
    now = now or timezone.now()
    if invitation.status == Status.RETURNED:
        raise ValidationError('The regulator returned this return with a query: answer the query to resubmit it.')
    check_editable(invitation)
    if invitation.past_cutoff(now):
        raise ValidationError(cutoff_message(invitation), code='past_cutoff')
    schema = checks.Schema(invitation.campaign.questionnaire)
    answers = checks.check_return(schema, raw_answers, submitting=True)
    first = Return.objects.filter(invitation=invitation).values_list('submitted_at', flat=True).first()
    survey_return = _write(
        actor,
        invitation,
        answers,
        expected_version=expected_version,
        source=source,
        message='Submitted',
        submitted_at=first or now,
        last_submitted_at=now,
    )
    _set_status(actor, invitation, Status.SUBMITTED)
    return survey_return


def _locked_return(survey_return: Return, expected_version) -> Return:
    stored = Return.objects.select_for_update().select_related('invitation', 'campaign').get(pk=survey_return.pk)
    if expected_version is not None and stored.version != expected_version:
        raise ValidationError(STALE_MESSAGE, code='stale')
    return stored


@transaction.atomic
def return_with_query(
    actor, survey_return: Return, text: str, *, expected_version=None, now=None, connection=None
) -> ReviewQuery:
    """Send a submitted return back to its body with a question; it is resubmitted with the answer."""
    _require_regulator(actor)
    survey_return = _locked_return(survey_return, expected_version)
    invitation = survey_return.invitation
    if invitation.status != Status.SUBMITTED:
        raise ValidationError(f'Only a submitted return can be queried; this one is {invitation.get_status_display()}.')
    if not text.strip():
        raise ValidationError({'text': 'Write the query the body is to answer.'})
    query = ReviewQuery(
        survey_return=survey_return, text=text.strip(), raised_by=actor, raised_at=now or timezone.now()
    )
    save_audited(actor, query, 'Query raised')
    _set_status(actor, invitation, Status.RETURNED)
    message = _email(invitation, 'query', {'query': query})
    if message is not None:
        message.connection = connection
        message.send()
    return query


@transaction.atomic
def answer_queries(
    actor,
    survey_return: Return,
    query_answers: dict[int, str],
    raw_answers: dict,
    *,
    expected_version=None,
    now=None,
) -> Return:
    """Answer every open query and resubmit the return, with any changes made to it."""
    invitation = survey_return.invitation
    _require_editor(actor, invitation)
    survey_return = _locked_return(survey_return, expected_version)
    invitation = survey_return.invitation
    if invitation.status != Status.RETURNED:
        raise ValidationError('This return has no query waiting for an answer.')
    now = now or timezone.now()
    problems = []
    open_queries = list(survey_return.queries.filter(answered_at__isnull=True))
    for query in open_queries:
        if not (query_answers.get(query.pk) or '').strip():
            problems.append(checks.Problem(f'query_{query.pk}', f'Answer the query "{query.text}".'))
    schema = checks.Schema(invitation.campaign.questionnaire)
    answers, answer_problems = checks.check_answers(schema, raw_answers)
    problems += answer_problems or checks.check_submission(schema, answers)
    checks.raise_problems(problems)
    for query in open_queries:
        query.answer, query.answered_by, query.answered_at = query_answers[query.pk].strip(), actor, now
        save_audited(actor, query, 'Query answered')
    survey_return = _write(
        actor,
        invitation,
        answers,
        expected_version=survey_return.version,
        source=survey_return.source,
        message='Resubmitted with answers to queries',
        last_submitted_at=now,
    )
    _set_status(actor, invitation, Status.SUBMITTED)
    return survey_return


@transaction.atomic
def accept_return(actor, survey_return: Return, *, expected_version=None, now=None) -> Return:
    _require_regulator(actor)
    survey_return = _locked_return(survey_return, expected_version)
    invitation = survey_return.invitation
    if invitation.status != Status.SUBMITTED:
        raise ValidationError(
            f'Only a submitted return can be accepted; this one is {invitation.get_status_display()}.'
        )
    survey_return.accepted_at = now or timezone.now()
    survey_return.accepted_by = actor
    save_audited(actor, survey_return, 'Accepted')
    _set_status(actor, invitation, Status.ACCEPTED)
    return survey_return


@transaction.atomic
def supplement_answers(actor, campaign: Campaign, answers_by_organisation: dict[int, dict]) -> int:
    """Add answers gathered outside Oversight (e.g. a paper return's governance section) to submitted returns.

    In bulk, for returns imported from an interchange file, which carries only the per-category
    answers. Values are type-checked; an accepted return is changed only by a correction.
    """
    _require_regulator(actor)
    schema = checks.Schema(campaign.questionnaire)
    returns = {r.organisation_id: r for r in campaign.returns.select_related('invitation', 'organisation')}
    problems, changed = [], []
    for organisation_id, raw in answers_by_organisation.items():
        survey_return = returns.get(organisation_id)
        if survey_return is None:
            problems.append(checks.Problem('', f'Organisation {organisation_id} has no return to {campaign}.'))
            continue
        if survey_return.invitation.status == Status.ACCEPTED:
            problems.append(checks.Problem('', f'The return of {survey_return.organisation} is accepted: correct it.'))
            continue
        answers, found = checks.check_answers(schema, raw)
        problems += [checks.Problem(p.where, f'{survey_return.organisation}: {p.message}') for p in found]
        survey_return.answers = {**survey_return.answers, **answers}
        survey_return.version += 1
        survey_return.updated_at = timezone.now()
        changed.append(survey_return)
    checks.raise_problems(problems)
    Return.objects.bulk_update(changed, ['answers', 'version', 'updated_at'], batch_size=BATCH)
    record_change(
        actor,
        campaign,
        ObjectChange.Action.UPDATE,
        None,
        {'answers_supplemented': sorted(r.organisation_id for r in changed)},
        f'Answers added to {len(changed)} returns',
    )
    return len(changed)


# Corrections ------------------------------------------------------------------------------------


LINE_ATTRIBUTES = (*checks.LINE_FIELDS, 'removed')


def correctable_fields(survey_return: Return, schema: checks.Schema | None = None) -> list[tuple[str, str]]:
    """(field, label) of everything a correction can change: each answer, and each line's attributes."""
    schema = schema or checks.Schema(survey_return.campaign.questionnaire)
    fields = []
    for key, question in schema.questions.items():
        if question.kind != Question.Kind.MANUFACTURER_LINES:
            fields.append((key, schema.label(key)))
            continue
        category = question.section.code
        for number, line in enumerate(checks.lines_of(survey_return.answers, category, include_removed=True), 1):
            described = ' '.join(str(line.get(a) or '') for a in ('manufacturer', 'brand', 'model')).split()
            label = f'{checks.line_label(category, number)} ({" ".join(described)})'
            fields += [(f'{key}.{number}.{attribute}', f'{label}: {attribute}') for attribute in LINE_ATTRIBUTES]
    return fields


def _corrected_value(schema, answers: dict, field: str, raw) -> tuple[object, object]:
    """(old value, new value) of a correction's field, or a ValidationError naming what is wrong."""
    key, _, rest = field.partition('.')
    key = f'{key}.{rest.split(".")[0]}' if rest else key
    question = schema.questions.get(key)
    if question is None:
        raise ValidationError({'field': f'"{field}" is not a field of this return.'})
    if question.kind != Question.Kind.MANUFACTURER_LINES:
        if field != key:
            raise ValidationError({'field': f'"{field}" is not a field of this return.'})
        value, error = checks.clean_answer(question, raw)
        if error:
            raise ValidationError({'new_value': error})
        return answers.get(key), value
    number, _, attribute = field[len(key) + 1 :].partition('.')
    lines = answers.get(key) or []
    if not (number.isdigit() and 1 <= int(number) <= len(lines)) or attribute not in LINE_ATTRIBUTES:
        raise ValidationError({'field': f'"{field}" is not a field of this return.'})
    old = lines[int(number) - 1].get(attribute, False if attribute == 'removed' else None)
    text = str(raw if raw is not None else '').strip()
    if attribute == 'quantity':
        value, error = checks.clean_quantity(text)
    elif attribute == 'removed':
        value = text.lower() in ('yes', 'true', '1')
        error = '' if text.lower() in ('yes', 'no', 'true', 'false', '1', '0') else f'"{text}" is not yes or no.'
    else:
        value = text
        limit = checks.LINE_TEXT_LIMITS[attribute]
        error = f'It is longer than {limit} characters.' if len(text) > limit else ''
    if error:
        raise ValidationError({'new_value': error})
    return old, value


def apply_value(answers: dict, field: str, value) -> dict:
    """A copy of `answers` with one field (an answer key or a line attribute) set; None removes an answer."""
    answers = {
        k: ([dict(line) for line in v] if isinstance(v, list) and v and isinstance(v[0], dict) else v)
        for k, v in answers.items()
    }
    section, question, *line = field.split('.')
    key = f'{section}.{question}'
    if line:
        number, attribute = line
        target = answers[key][int(number) - 1]
        if attribute == 'removed' and not value:
            target.pop('removed', None)
        else:
            target[attribute] = value
    elif value is None:
        answers.pop(key, None)
    else:
        answers[key] = value
    return answers


@transaction.atomic
def record_correction(
    actor,
    survey_return: Return,
    *,
    field: str,
    new_value,
    reason: str,
    source: str,
    date: datetime.date,
    publish_as_update: bool = False,
    now=None,
) -> Correction:
    """Change an accepted return, keeping the old value, the reason and the source beside it."""
    _require_regulator(actor)
    survey_return = _locked_return(survey_return, None)
    if survey_return.invitation.status != Status.ACCEPTED:
        raise ValidationError('Only an accepted return is corrected; until then the body changes it itself.')
    errors = {}
    if not reason.strip():
        errors['reason'] = 'Say why the value was wrong.'
    if not source.strip():
        errors['source'] = 'Say who or what established the correct value.'
    if errors:
        raise ValidationError(errors)
    schema = checks.Schema(survey_return.campaign.questionnaire)
    old, new = _corrected_value(schema, survey_return.answers, field, new_value)
    if old == new:
        raise ValidationError({'new_value': 'That is the value the return already has.'})
    label = dict(correctable_fields(survey_return, schema))[field]
    survey_return.answers = apply_value(survey_return.answers, field, new)
    save_audited(actor, survey_return, f'Corrected: {label}'[:300])
    correction = Correction(
        survey_return=survey_return,
        field=field,
        field_label=label[:300],
        old_value=old,
        new_value=new,
        reason=reason.strip(),
        source=source.strip(),
        date=date,
        publish_as_update=publish_as_update,
        recorded_by=actor,
        recorded_at=now or timezone.now(),
    )
    return save_audited(actor, correction, 'Correction recorded')


# Interchange import -----------------------------------------------------------------------------


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
    _require_regulator(actor)
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
    answers_field = Return._meta.get_field('answers')
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
                )
                for pk, others, e in changed[start : start + BATCH]
            ],
            ['answers', 'submitted_at', 'last_submitted_at', 'source', 'illustrative', 'updated_at', 'version'],
        )
    lines = sum(e.line_count for e in [*new, *(entry for _pk, _others, entry in changed)])
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
            # How a later import of the same file is recognised without reading it (_same_import_again).
            'sha256': file_digest,
            'bodies': len(new) + len(changed) + result.unchanged,
        },
        f'Returns imported from {file_name or "an interchange file"}: {len(new)} created, {len(changed)} updated',
    )
    result.created, result.updated, result.lines = len(new), len(changed), lines
