"""A body's return: saved as a draft, submitted, queried by the regulator, answered, accepted."""

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oversight.compliance.governance import reconstruct as reconstruct_governance
from oversight.compliance.governance import snapshot as governance_snapshot
from oversight.core.audit import STALE_MESSAGE, record_change, record_changes, save_audited, snapshot
from oversight.core.dates import govuk_datetime
from oversight.core.models import ObjectChange
from oversight.core.permissions import check, sees_everything

from .. import answers as checks
from ..crosschecks import CrossCheck, unconfirmed
from ..emails import compose, compose_receipt
from ..models import Campaign, Invitation, Return, ReviewQuery
from .common import BATCH, REGULATOR_ONLY, Status, check_editor

# Letters and digits nobody confuses when reading a reference out (no 0/O, 1/I/L, U/V).
REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTWXYZ'


@dataclass(frozen=True)
class Declaration:
    """Who declared the return correct, in what role, on behalf of which Senior Responsible Officer."""

    name: str
    role: str
    on_behalf_of: str

    def problems(self) -> list[checks.Problem]:
        wanted = (
            ('declarant_name', self.name, 'Enter your full name'),
            ('declarant_role', self.role, 'Enter your role'),
            ('declared_for', self.on_behalf_of, 'Enter the name of your Senior Responsible Officer'),
        )
        return [checks.Problem(where, message) for where, value, message in wanted if not value.strip()]


def new_reference(year: int) -> str:
    """A short reference a person can read out, e.g. OVS-2026-7K4Q-9M2D; unique among returns."""
    while True:
        code = ''.join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
        reference = f'OVS-{year}-{code[:4]}-{code[4:]}'
        if not Return.objects.filter(reference=reference).exists():
            return reference


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


def governance_taken(organisation, now) -> dict:
    """The return's fields for the body's governance records taken as they stand at its submission."""
    return {
        'governance': governance_snapshot(organisation, timezone.localdate(now)),
        'governance_basis': Return.GovernanceBasis.SUBMISSION,
        'governance_as_of': now,
    }


def governance_rebuilt(moments: dict) -> dict[int, dict]:
    """For each body (id: moment), the return's fields for its governance records as of the moment, rebuilt
    from the audit trail.

    For a return that took none at submission (imported, or submitted before returns kept them): not
    available when the register held none of the body's systems then.
    """
    return {
        organisation_id: {
            'governance': systems or [],
            'governance_basis': Return.GovernanceBasis.NOT_AVAILABLE
            if systems is None
            else Return.GovernanceBasis.RECONSTRUCTED,
            'governance_as_of': moments[organisation_id],
        }
        for organisation_id, systems in reconstruct_governance(moments).items()
    }


@transaction.atomic
def fill_missing_governance(actor, campaign: Campaign | None = None) -> dict[str, int]:
    """Rebuild the governance records of submitted returns that kept none, as of their last submission.

    The returns are written together, each with its audit row saying how the records were obtained; a return
    already holding records is left as it is, so running it again changes nothing. {basis: count}.
    """
    check(actor, sees_everything, message=REGULATOR_ONLY)
    missing = Return.objects.responded().filter(governance_basis=Return.GovernanceBasis.NONE)
    if campaign is not None:
        missing = missing.filter(campaign=campaign)
    filled = dict.fromkeys((Return.GovernanceBasis.RECONSTRUCTED, Return.GovernanceBasis.NOT_AVAILABLE), 0)
    # With the body and campaign its audit row names, read together; written together, one audit row each.
    returns = list(missing.select_for_update(of=('self',)).select_related('organisation', 'campaign').order_by('pk'))
    # Rebuilt a campaign at a time: each holds one return of a body.
    moments: dict[int, dict] = {}
    for survey_return in returns:
        moments.setdefault(survey_return.campaign_id, {})[survey_return.organisation_id] = (
            survey_return.last_submitted_at
        )
    rebuilt = {campaign_id: governance_rebuilt(bodies) for campaign_id, bodies in moments.items()}
    changes = []
    for survey_return in returns:
        before = snapshot(survey_return)
        for name, value in rebuilt[survey_return.campaign_id][survey_return.organisation_id].items():
            setattr(survey_return, name, value)
        survey_return.version += 1
        after = snapshot(survey_return)
        before.pop('version')
        after.pop('version')
        message = (
            f'Governance records as of {survey_return.last_submitted_at.isoformat()}: {survey_return.governance_basis}'
        )
        changes.append((survey_return, ObjectChange.Action.UPDATE, before, after, message))
        filled[survey_return.governance_basis] += 1
    Return.objects.bulk_update(returns, ['governance', 'governance_basis', 'governance_as_of', 'version'])
    record_changes(actor, changes)
    return filled


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
        if campaign.status == Campaign.Status.CLOSED:
            raise ValidationError(_('%(campaign)s is closed: returns can no longer change.') % {'campaign': campaign})
        raise ValidationError(_('%(campaign)s is a draft: returns can no longer change.') % {'campaign': campaign})
    if invitation.status == Status.SUBMITTED:
        raise ValidationError(
            _('This return was submitted: it can change only if the regulator returns it with a query.')
        )
    if invitation.status == Status.ACCEPTED:
        raise ValidationError(
            _('This return was accepted: it can change only if the regulator returns it with a query.')
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
    check_editor(actor, invitation)
    invitation = Invitation.objects.select_for_update().select_related('campaign').get(pk=invitation.pk)
    check_editable(invitation)
    schema = checks.Schema(invitation.campaign.questionnaire)
    answers = checks.check_return(schema, raw_answers, submitting=False)
    # A workbook is filled in as a whole: each section it answers completely counts as completed.
    done = {'completed_sections': sections_without_problems(schema, answers)} if source == Return.Source.UPLOAD else {}
    survey_return = _write(
        actor, invitation, answers, expected_version=expected_version, source=source, message='Draft saved', **done
    )
    if invitation.status == Status.NOT_STARTED:
        _set_status(actor, invitation, Status.DRAFT)
    return survey_return


@transaction.atomic
def save_section(
    actor,
    invitation: Invitation,
    section_code: str,
    raw_answers: dict,
    *,
    completed: bool,
    confirmed: list[CrossCheck] = (),
    warnings: list[CrossCheck] = (),
    expected_version=None,
) -> Return:
    """Save one section's answers; marked completed only when it has every answer and no unconfirmed warning.

    The section's answers replace what was saved for it, less those to questions that no longer apply.
    `warnings` are the cross-checks its answers raise, `confirmed` those the body confirmed as correct.
    """
    check_editor(actor, invitation)
    invitation = Invitation.objects.select_for_update().select_related('campaign').get(pk=invitation.pk)
    check_editable(invitation)
    schema = checks.Schema(invitation.campaign.questionnaire)
    section = next((s for s in schema.sections if s.code == section_code), None)
    if section is None:
        raise ValidationError(_('The questionnaire has no section "%(section)s".') % {'section': section_code})
    prefix = f'{section.code}.'
    foreign = [key for key in raw_answers if not key.startswith(prefix)]
    if foreign:
        raise ValidationError(
            _('%(keys)s: not a question of %(section)s.') % {'keys': ', '.join(foreign), 'section': section.shown_title}
        )
    answers, problems = checks.check_answers(schema, raw_answers)
    answers = checks.unasked_removed(schema, answers)
    if completed and not problems:
        problems = checks.check_section(schema, section, answers)
        confirmed_codes = {warning.code for warning in confirmed}
        problems += [
            checks.Problem(
                warning.key,
                _('%(warning)s Confirm this is correct, or change your answer.') % {'warning': warning.shown},
            )
            for warning in warnings
            if warning.code not in confirmed_codes
        ]
    checks.raise_problems(problems)
    stored = Return.objects.filter(invitation=invitation).first()
    kept = {k: v for k, v in (stored.answers if stored else {}).items() if not k.startswith(prefix)}
    done = [code for code in (stored.completed_sections if stored else []) if code != section.code]
    if completed:
        done.append(section.code)
    held = [w for w in (stored.confirmed_warnings if stored else []) if not w['code'].startswith(prefix)]
    survey_return = _write(
        actor,
        invitation,
        {**kept, **answers},
        expected_version=expected_version,
        source=Return.Source.WEB,
        message=f'{section.title} {"completed" if completed else "saved"}',
        completed_sections=[s.code for s in schema.sections if s.code in done],
        confirmed_warnings=held + [warning.as_record() for warning in confirmed],
    )
    if invitation.status == Status.NOT_STARTED:
        _set_status(actor, invitation, Status.DRAFT)
    return survey_return


def sections_without_problems(schema: checks.Schema, answers: dict) -> list[str]:
    """The sections an uploaded workbook answered completely, which count as completed."""
    return [s.code for s in schema.sections if not checks.check_section(schema, s, answers)]


def _unconfirmed_message(warning: CrossCheck, *, by_code: bool) -> str:
    if by_code:  # the API confirms a warning by its code
        return (
            f'{warning.message} Confirm this is correct (list "{warning.code}" in confirmed_warnings), '
            'or change your answer.'
        )
    return _('%(warning)s Confirm this is correct, or change your answer.') % {'warning': warning.shown}


def cutoff_message(invitation: Invitation) -> str:
    return _(
        'The late-acceptance cut-off for %(campaign)s was %(cutoff)s, so the return cannot be submitted now. '
        'Nothing was saved: save your answers as a draft, and ask the Commissioner’s office to extend the cut-off '
        'for your body.'
    ) % {'campaign': invitation.campaign, 'cutoff': govuk_datetime(invitation.cutoff)}


@transaction.atomic
def submit_return(
    actor,
    invitation: Invitation,
    raw_answers: dict,
    *,
    expected_version=None,
    now=None,
    source=Return.Source.WEB,
    declaration: Declaration | None = None,
    warnings: list[CrossCheck] = (),
    confirming: list[str] | None = None,
) -> Return:
    """Save and submit a return, declared by the person submitting it; a task emails the receipt once it commits.

    The web's declaration page and the API always give a `declaration`; commands and tests submitting
    for a body may not. Refused after the cut-off unless extended; every missing answer, and every part
    of the declaration left out, is listed. `warnings` are the cross-checks the answers raise: each must have been
    confirmed by the body before the return can be submitted, on the section's page (the web) or, with the
    submission, by its code in `confirming` (the API); a code no warning has is refused. A confirmation holds
    for the warning as worded, and is kept with the return for the regulator to read.
    """
    check_editor(actor, invitation)
    invitation = Invitation.objects.select_for_update().select_related('campaign').get(pk=invitation.pk)
    now = now or timezone.now()
    if invitation.status == Status.RETURNED:
        raise ValidationError(_('The regulator returned this return with a query: answer the query to resubmit it.'))
    check_editable(invitation)
    if invitation.past_cutoff(now):
        raise ValidationError(cutoff_message(invitation), code='past_cutoff')
    schema = checks.Schema(invitation.campaign.questionnaire)
    answers, problems = checks.check_answers(schema, raw_answers)
    stored = Return.objects.filter(invitation=invitation).first()
    warnings = list(warnings)
    held = stored.confirmed_warnings if stored else []
    confirmed_now = [w for w in warnings if w.code in set(confirming or ())]
    if not problems:  # answers that could not be read raise no warnings to confirm yet
        problems = checks.check_submission(schema, answers)
        if unknown := sorted(set(confirming or ()) - {w.code for w in warnings}):
            raised = ', '.join(f'"{w.code}"' for w in warnings) or 'none'
            problems.append(
                checks.Problem(
                    'confirmed_warnings',
                    f'{", ".join(unknown)}: not a warning these answers raise. The warnings they raise: {raised}.',
                )
            )
        problems += [
            checks.Problem(w.key, _unconfirmed_message(w, by_code=confirming is not None))
            for w in unconfirmed(warnings, held + [w.as_record() for w in confirmed_now])
        ]
    if declaration is not None:
        problems += declaration.problems()
    checks.raise_problems(problems)
    survey_return = _write(
        actor,
        invitation,
        answers,
        expected_version=expected_version,
        source=source,
        message='Submitted',
        submitted_at=(stored.submitted_at if stored else None) or now,
        last_submitted_at=now,
        **governance_taken(invitation.organisation, now),
        reference=(stored.reference if stored else None) or new_reference(invitation.campaign.year),
        **(_declared(actor, declaration, now) if declaration else {}),
        **({'confirmed_warnings': _confirmations(held, confirmed_now)} if confirmed_now else {}),
    )
    _set_status(actor, invitation, Status.SUBMITTED)
    # A task (jobs), so the submission never waits on the mail server; imported here, as jobs' handlers import this.
    from oversight.jobs.actions import queue_receipt

    queue_receipt(actor, survey_return)
    return survey_return


def _confirmations(held: list[dict], confirmed: list[CrossCheck]) -> list[dict]:
    """The confirmations kept, a warning confirmed again replacing its earlier wording."""
    codes = {warning.code for warning in confirmed}
    return [record for record in held if record['code'] not in codes] + [w.as_record() for w in confirmed]


def _declared(actor, declaration: Declaration, now) -> dict:
    return {
        'declared_by': actor,
        'declarant_name': declaration.name.strip(),
        'declarant_role': declaration.role.strip(),
        'declared_for': declaration.on_behalf_of.strip(),
        'declared_at': now,
    }


def receipt_marker(survey_return: Return) -> str:
    """The audit message that says the receipt of this submission was emailed."""
    return f'Receipt emailed for the submission of {survey_return.last_submitted_at.isoformat()}'


@transaction.atomic
def send_receipt(actor, survey_return: Return, submitter_id, *, connection=None) -> int:
    """Email the receipt of the return's latest submission, once; how many people it went to.

    Run by the receipt task (jobs). Its audit row, written with the task's "done", says it was sent, so
    the task run again sends nothing twice. A mail server's refusal raises: the task fails and can be
    queued again, and the submission stands whatever the mail server says.
    """
    stored = Return.objects.select_for_update().select_related('invitation', 'campaign', 'organisation')
    stored = stored.get(pk=survey_return.pk)
    marker = receipt_marker(stored)
    if ObjectChange.objects.for_object(stored).filter(message=marker).exists():
        return 0
    message = compose_receipt(stored, submitter_id)
    if message is None:
        return 0
    message.connection = connection
    message.send()
    record_change(actor, stored, ObjectChange.Action.UPDATE, {}, {}, marker)
    return len(message.recipients())


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
    check(actor, sees_everything, message=REGULATOR_ONLY)
    survey_return = locked_return(survey_return, expected_version)
    invitation = survey_return.invitation
    if invitation.status != Status.SUBMITTED:
        raise ValidationError(
            gettext_lazy('Only a submitted return can be queried; this one is %(status)s.')
            % {'status': invitation.get_status_display()}
        )
    if not text.strip():
        raise ValidationError({'text': gettext_lazy('Write the query the body is to answer.')})
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
    check_editor(actor, invitation)
    survey_return = locked_return(survey_return, expected_version)
    invitation = survey_return.invitation
    if invitation.status != Status.RETURNED:
        raise ValidationError(gettext_lazy('This return has no query waiting for an answer.'))
    now = now or timezone.now()
    problems = []
    open_queries = list(survey_return.queries.filter(answered_at__isnull=True))
    for query in open_queries:
        if not (query_answers.get(query.pk) or '').strip():
            problems.append(
                checks.Problem(f'query_{query.pk}', _('Answer the query "%(query)s".') % {'query': query.text})
            )
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
        **governance_taken(invitation.organisation, now),
    )
    _set_status(actor, invitation, Status.SUBMITTED)
    return survey_return


@transaction.atomic
def accept_return(actor, survey_return: Return, *, expected_version=None, now=None) -> Return:
    check(actor, sees_everything, message=REGULATOR_ONLY)
    survey_return = locked_return(survey_return, expected_version)
    invitation = survey_return.invitation
    if invitation.status != Status.SUBMITTED:
        raise ValidationError(
            gettext_lazy('Only a submitted return can be accepted; this one is %(status)s.')
            % {'status': invitation.get_status_display()}
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
    check(actor, sees_everything, message=REGULATOR_ONLY)
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
