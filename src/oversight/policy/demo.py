"""Demo unit costs and decisions for the two demo bodies, so their replacement plans carry estimated costs
and show progress, and the regulator's national exposure has something to chart.

The figures are illustrative round numbers for the demo, not market prices. Decisions are recorded on the
first obligations to replace of each body's register (evaluated with the default rule sets), with dates
relative to today: one replacement done two quarters ago and one last month, one ordered, one planned, and a
risk acceptance that has expired (so the page shows the obligation open again).
"""

import datetime
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from oversight.organisations.models import Organisation
from oversight.register.models import EquipmentLine

from . import actions
from .evaluation import evaluate_register
from .models import ObligationDecision, UnitCost

DEMO_UNIT_COSTS = {
    'external_cctv': Decimal(1800),
    'internal_cctv': Decimal(900),
    'anpr': Decimal(9500),
    'body_worn_video': Decimal(650),
    'drone': Decimal(12000),
    'facial_recognition': Decimal(40000),
    'other': Decimal(1000),
}
DEMO_BODIES = ('kent-police', 'essex-police')


def load(log) -> None:
    set_for = 0
    for body in Organisation.objects.filter(slug__in=DEMO_BODIES):
        if UnitCost.objects.filter(organisation=body).exists():
            continue  # the demo never overwrites costs someone has set
        actions.set_unit_costs(None, body, DEMO_UNIT_COSTS)
        set_for += 1
    log(f'Demo unit costs: set for {set_for} bodies, already present for {len(DEMO_BODIES) - set_for}.')
    decided = sum(_decisions(body) for body in Organisation.objects.filter(slug__in=DEMO_BODIES))
    log(f'Demo decisions on obligations: {decided} recorded.')


def _decisions(body) -> int:
    if ObligationDecision.objects.filter(organisation=body).exists():
        return 0  # the demo never overwrites decisions someone has made
    today = timezone.localdate()
    days = datetime.timedelta
    lines = EquipmentLine.objects.filter(organisation=body)
    # The default rule sets: the demo's evaluation is nobody's, so no body's settings are read.
    obligations = evaluate_register(lines, AnonymousUser(), today).obligations
    first_per_line = {}
    for obligation in obligations:
        if obligation.rule.replace:
            first_per_line.setdefault(obligation.line.pk, obligation)
    chosen = list(first_per_line.values())[:5]
    steps = [
        {'decision': 'replace', 'progress': 'replaced', 'replaced_on': today - days(170)},
        {'decision': 'replace', 'progress': 'replaced', 'replaced_on': today - days(30)},
        {'decision': 'replace', 'progress': 'ordered', 'ordered_on': today - days(20)},
        {'decision': 'replace', 'progress': 'planned', 'planned_on': today + days(120)},
        {'decision': 'accept', 'reason': 'On an isolated network; to be replaced with the site refit',
         'approver': 'Deputy Chief Constable', 'accepted_until': today - days(10)},
    ]  # fmt: skip
    for obligation, fields in zip(chosen, steps, strict=False):
        if fields.get('progress') == 'replaced':
            unit = DEMO_UNIT_COSTS[obligation.line.system.category]
            fields['actual_cost'] = unit * obligation.line.quantity
        actions.record_decision(None, obligation, **fields)
    return len(chosen)
