"""A body's return: saved as a draft, submitted, queried by the regulator, answered, accepted."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from oversight.core.audit import STALE_MESSAGE, record_change, save_audited
from oversight.core.dates import govuk_datetime
from oversight.core.models import ObjectChange

from .. import answers as checks
from ..emails import compose
from ..models import Campaign, Invitation, Return, ReviewQuery
from .common import BATCH, Status, require_editor, require_regulator


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
    require_editor(actor, invitation)
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
        f'The late-acceptance cut-off for {invitation.campaign} was {govuk_datetime(invitation.cutoff)}, so the return '
        'cannot be submitted now. Nothing was saved: save your answers as a draft, and ask the Commissioner’s '
        'office to extend the cut-off for your body.'
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
    require_editor(actor, invitation)
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


def locked_return(survey_return: Return, expected_version) -> Return:
    stored = Return.objects.select_for_update().select_related('invitation', 'campaign').get(pk=survey_return.pk)
    if expected_version is not None and stored.version != expected_version:
        raise ValidationError(STALE_MESSAGE, code='stale')
    return stored


@transaction.atomic
def return_with_query(
    actor, survey_return: Return, text: str, *, expected_version=None, now=None, connection=None
) -> ReviewQuery:
    """Send a submitted return back to its body with a question; it is resubmitted with the answer."""
    require_regulator(actor)
    survey_return = locked_return(survey_return, expected_version)
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
    message = compose(invitation, 'query', {'query': query})
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
    require_editor(actor, invitation)
    survey_return = locked_return(survey_return, expected_version)
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
    require_regulator(actor)
    survey_return = locked_return(survey_return, expected_version)
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
    require_regulator(actor)
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
