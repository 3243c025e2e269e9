"""A body's governance as a return carries it: the records taken at submission, and the answers to questions 9.x.

`snapshot(organisation, on)` is what a submitted return keeps (`Return.governance`), so findings count the
records as they stood when the body submitted, whatever changes afterwards (docs/findings.md, "Compliance
with the Code"). `questionnaire_answers(organisation)` pre-fills the governance section of a new return.
"""

import datetime

from django.db.models import Q
from django.utils import timezone

from oversight.register.models import System

from .models import Answer, Assessment, Governance, PlanAction
from .querysets import certification_status, dpia_status

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
    latest: dict[int, Assessment] = {}
    for assessment in frozen:
        for covered in (assessment.system_id, *(s.pk for s in assessment.also_covers.all())):
            latest.setdefault(covered, assessment)
    return latest


def snapshot(organisation, on: datetime.date) -> list[dict]:
    """Each of the body's systems' governance on `on`: statuses, certification step, self-assessment, actions.

    Only what findings count is kept, with statuses taken on `on`, so counting it later gives the same figures.
    """
    systems = (
        System.objects.filter(organisation=organisation)
        .select_related('governance')
        .annotate(dpia=dpia_status('governance__', on), certification=certification_status('governance__', on))
        .order_by('pk')
    )
    latest = _latest_frozen(systems)
    entries = []
    for system in systems:
        record = getattr(system, 'governance', None)
        assessment = latest.get(system.pk)
        open_actions: dict[str, int] = {}
        # A group's actions count once, with the system it was started from.
        for action in assessment.plan.all() if assessment and assessment.system_id == system.pk else ():
            if action.status != PlanAction.Status.DONE:
                key = str(action.principle.number)
                open_actions[key] = open_actions.get(key, 0) + 1
        entries.append(
            {
                'system': system.pk,
                'category': system.category,
                'recorded': record is not None,
                'dpia': system.dpia,
                'certified_step': record.certification_step
                if record and system.certification in ('valid', 'expiring')
                else '',
                'self_assessed': assessment is not None,
                'open_actions': dict(sorted(open_actions.items(), key=lambda item: int(item[0]))),
                'facial_recognition': record.facial_recognition if record else '',
            }
        )
    return entries


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
