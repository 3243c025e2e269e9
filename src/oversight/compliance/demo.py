"""Demo governance for Kent Police and Essex Police, so their to-do lists show each kind of review task.

For each body's first three systems (by name): one whose DPIA review date has passed and whose certificate
expires within 90 days, one that has started using retrospective facial recognition since its DPIA, and
one with a self-assessment whose action is past due. Kent also publishes its transparency page (principle 3),
with a frozen self-assessment of its first system on it, so the public pages have something to show. The
tasks are then raised as the daily
`raise-review-tasks` would; the discovery demo's scans add the undeclared-devices tasks. Dates are relative
to today, so the demo stays current. Idempotent: a body with any governance record is left as it is.
"""

import datetime

from django.utils import timezone

from oversight.organisations.models import Organisation
from oversight.register.models import System

from . import actions
from .models import Governance, Principle

DEMO_BODIES = ('kent-police', 'essex-police')


def _body(organisation, today: datetime.date) -> None:
    days = datetime.timedelta
    due, recent, assessed = System.objects.filter(organisation=organisation).order_by('name')[:3]
    actions.record_governance(
        None, due, purpose='Prevention and detection of crime', sro_name='Chief Superintendent, Operations',
        dpia_completed_on=today - days(800), dpia_review_due=today - days(70), dpia_trigger='new_system',
        certification_body='nsi', certification_step='step_1', certified_on=today - days(300),
        certification_expires=today + days(65), facial_recognition='none',
    )  # fmt: skip
    actions.record_governance(
        None, recent, purpose='Identifying suspects from recorded images', dpia_completed_on=today - days(400),
        dpia_review_due=today + days(330), dpia_trigger='scheduled', facial_recognition='none',
    )  # fmt: skip
    actions.record_governance(None, recent, facial_recognition='retrospective')
    actions.record_governance(
        None, assessed, dpia_completed_on=today - days(100), dpia_review_due=today + days(265),
        dpia_trigger='upgrade', facial_recognition='none',
    )  # fmt: skip
    assessment = actions.start_assessment(None, assessed)
    actions.add_plan_action(
        None, assessment, Principle.objects.get(number=3), action='Publish the system’s purpose and contact point',
        owner='Head of information management', due=today - days(14),
    )  # fmt: skip


def _publish(organisation) -> None:
    """A complete self-assessment of the body's first system, frozen and published with its transparency page."""
    system = System.objects.filter(organisation=organisation).order_by('name').first()
    actions.record_governance(None, system, spoc_name='Information rights unit', spoc_contact='cctv@example.org')
    assessment = actions.start_assessment(None, system)
    for principle in Principle.objects.all():
        partly = principle.number == 6
        actions.answer_principle(
            None, assessment, principle, response='partly' if partly else 'met',
            comment='Retention is 31 days; some older recorders keep 90.' if partly else '',
        )  # fmt: skip
    actions.freeze_assessment(None, assessment)
    actions.publish_assessment(None, assessment)
    actions.publish_transparency(None, organisation)


def load(log) -> None:
    today = timezone.localdate()
    loaded = 0
    for organisation in Organisation.objects.filter(slug__in=DEMO_BODIES):
        if Governance.objects.filter(system__organisation=organisation).exists():
            continue
        if System.objects.filter(organisation=organisation).count() < 3:
            log(f'{organisation}: fewer than three systems; no demo governance.')
            continue
        _body(organisation, today)
        if organisation.slug == DEMO_BODIES[0]:
            _publish(organisation)
        loaded += 1
    raised, resolved = actions.raise_review_tasks(today)
    log(f'Demo governance: {loaded} bodies; {raised} review tasks raised, {resolved} resolved.')
