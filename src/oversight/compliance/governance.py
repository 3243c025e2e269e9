"""A body's governance as a return carries it: the records taken at submission, and the answers to questions 9.x.

`snapshot(organisation, on)` is what a submitted return keeps (`Return.governance`), so findings count the
records as they stood when the body submitted, whatever changes afterwards (docs/findings.md, "Compliance
with the Code"); `reconstruct({body: at})` rebuilds the same from the audit trail for returns that
kept none (imported, or submitted before returns kept them). `questionnaire_answers(organisation)` pre-fills
the governance section of a new return.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from oversight.core.audit import bodies_holding, current_states, states_as_of
from oversight.register.models import System

from .models import Answer, Assessment, Governance, PlanAction, Principle
from .querysets import certification_status_of, dpia_status_of

# Questionnaire 9.17's choices for the certification steps the records hold.
STEP_ANSWERS = {Governance.CertificationStep.DESKTOP: 'desktop', Governance.CertificationStep.FULL: 'full'}
# Answering a principle for a body from its systems' frozen self-assessments: met and not applicable count
# as compliant; every system not meeting it is not compliant; anything between is partly compliant.
COMPLIANT_RESPONSES = {Answer.Response.MET, Answer.Response.NOT_APPLICABLE}


def _latest_frozen(systems) -> dict[int, Assessment]:
    """Each system's latest frozen self-assessment, its own or one of a group covering it, read in a few queries."""
    systems = list(systems)
    frozen = (
        Assessment.objects.filter(Q(system__in=systems) | Q(also_covers__in=systems), frozen_on__isnull=False)
        .distinct()
        .order_by('-frozen_on', '-pk')
        .prefetch_related('answers__principle', 'plan__principle', 'also_covers')
    )
    return _newest_per_system(((a.system_id, *(s.pk for s in a.also_covers.all())), a) for a in frozen)


def _newest_per_system(newest_first) -> dict:
    """Each system's newest assessment, from (systems it covers, assessment) pairs newest first: a group's
    assessment counts for every system it covers, and the newest of a system's own and its groups' wins."""
    latest: dict = {}
    for covered, assessment in newest_first:
        for system in covered:
            latest.setdefault(system, assessment)
    return latest


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _live() -> list:
    """The models of a body's governance (systems, records, self-assessments, their actions), each with its path
    to the body: querysets of what bodies have now."""
    return [
        (System.objects.all(), 'organisation'),
        (Governance.objects.all(), 'system__organisation'),
        (Assessment.objects.prefetch_related('also_covers'), 'system__organisation'),
        (PlanAction.objects.all(), 'assessment__system__organisation'),
    ]


def _entries(
    organisation_id: int,
    numbers: dict,
    systems: dict,
    records: dict,
    assessments: dict,
    actions: dict,
    on: datetime.date,
) -> list:
    """The snapshot from the records' states (audit snapshots, by key): one entry per system, statuses taken on `on`;
    `numbers`: each principle's number by its key."""
    by_system = {state['system']: state for state in records.values()}
    frozen = sorted(
        (
            (datetime.datetime.fromisoformat(a['frozen_on']), int(pk), a)
            for pk, a in assessments.items()
            if a['frozen_on']
        ),
        key=lambda item: item[:2],
        reverse=True,
    )
    latest = _newest_per_system(((a['system'], *a['also_covers']), (pk, a)) for _frozen_on, pk, a in frozen)
    # Each assessment's actions not done, gathered once rather than searched for every system.
    open_by_assessment: dict[int, list[dict]] = {}
    for action in actions.values():
        if action['status'] != PlanAction.Status.DONE:
            open_by_assessment.setdefault(action['assessment'], []).append(action)
    entries = []
    for system in sorted((int(pk), state) for pk, state in systems.items() if state['organisation'] == organisation_id):
        pk, state = system
        record = by_system.get(pk)
        assessment_pk, assessment = latest.get(pk, (None, None))
        open_actions: dict[str, int] = {}
        # A group's actions count once, with the system it was started from.
        if assessment and assessment['system'] == pk:
            for action in open_by_assessment.get(assessment_pk, ()):
                key = str(numbers[action['principle']])
                open_actions[key] = open_actions.get(key, 0) + 1
        certification = certification_status_of(_day(record and record['certification_expires']), on)
        entries.append(
            {
                'system': pk,
                'category': state['category'],
                'recorded': record is not None,
                'dpia': dpia_status_of(
                    _day(record and record['dpia_completed_on']), _day(record and record['dpia_review_due']), on
                ),
                'certified_step': record['certification_step']
                if record and certification in ('valid', 'expiring')
                else '',
                'self_assessed': assessment is not None,
                'open_actions': dict(sorted(open_actions.items(), key=lambda item: int(item[0]))),
                'facial_recognition': record['facial_recognition'] if record else '',
            }
        )
    return entries


def _numbers() -> dict:
    return dict(Principle.objects.values_list('pk', 'number'))


def snapshot(organisation, on: datetime.date) -> list[dict]:
    """Each of the body's systems' governance now: statuses, certification step, self-assessment, actions.

    Only what findings count is kept, with statuses taken on `on`, so counting it later gives the same figures.
    """
    states = [current_states(live.filter(**{body: organisation})) for live, body in _live()]
    return _entries(organisation.pk, _numbers(), *states, on)


# Bodies rebuilt together: each query names them all, within every database's limit on parameters.
RECONSTRUCT_BATCH = 2_000


def reconstruct(moments: dict[int, datetime.datetime]) -> dict[int, list[dict] | None]:
    """For each body (id: moment), the snapshot its records would have given at the moment, rebuilt from the
    audit trail (core.audit.states_as_of), in a few queries for each batch of bodies.

    None when the register held none of the body's systems then: the history has nothing to rebuild from,
    and "no systems" would count as a body with nothing to govern (docs/findings.md).
    """
    # A body that never had a system has nothing to rebuild: most of a national file's, without a query each.
    holding = bodies_holding(System.objects.all(), 'organisation')
    rebuilt: dict[int, list[dict] | None] = {body: None for body in moments if body not in holding}
    numbers, bodies = _numbers(), [body for body in moments if body in holding]
    for start in range(0, len(bodies), RECONSTRUCT_BATCH):
        batch = {
            organisation_id: moments[organisation_id] for organisation_id in bodies[start : start + RECONSTRUCT_BATCH]
        }
        states = [states_as_of(live, body, batch) for live, body in _live()]
        for organisation_id, at in batch.items():
            entries = _entries(
                organisation_id, numbers, *(held[organisation_id] for held in states), timezone.localdate(at)
            )
            rebuilt[organisation_id] = entries or None
    return rebuilt


def questionnaire_answers(organisation) -> dict[str, object]:
    """Answers to the governance questions (by question code) that the body's records settle.

    A question is answered only when every system's record agrees or every system is covered; otherwise it is
    left for the body (docs/compliance.md, "Returns").
    """
    systems = System.objects.filter(organisation=organisation)
    total = systems.count()
    if not total:
        return {}
    records = list(Governance.objects.filter(system__in=systems))
    answers: dict[str, object] = {}
    names = {r.sro_name.strip() for r in records if r.sro_name.strip()}
    if len(names) == 1:
        answers['sro_name'] = names.pop()
    with_dpia = [r for r in records if r.dpia_completed_on]
    if len(with_dpia) == total:
        answers['dpia'] = 'yes'
        # The oldest of the systems' DPIAs: the date by which every system's DPIA had last been done.
        answers['dpia_reviewed'] = min(r.dpia_completed_on for r in with_dpia).isoformat()
    elif len(records) == total:
        answers['dpia'] = 'no'
    today = timezone.localdate()
    certified = [r for r in records if r.certification_expires and r.certification_expires >= today]
    if len(records) == total and not certified:
        answers['certification'] = 'none'
    elif len(certified) == total:
        # A body is certified at the lower of its systems' steps, from the latest of their certificates.
        step = min((r.certification_step for r in certified), key=list(STEP_ANSWERS).index)
        answers['certification'] = STEP_ANSWERS[step]
        answers['certification_date'] = max(r.certified_on for r in certified).isoformat()
    latest = _latest_frozen(systems)
    if len(latest) == total:
        responses: dict[int, set[str]] = {}
        for assessment in latest.values():
            for answer in assessment.answers.all():
                responses.setdefault(answer.principle.number, set()).add(answer.response)
        for number, given in responses.items():
            if given <= COMPLIANT_RESPONSES:
                answers[f'principle_{number}'] = 'compliant'
            elif given <= {Answer.Response.NOT_MET, Answer.Response.NOT_APPLICABLE}:
                answers[f'principle_{number}'] = 'not_compliant'
            else:
                answers[f'principle_{number}'] = 'partly_compliant'
    return answers
