"""Demo unit costs for the two demo bodies, so their replacement plans carry estimated costs.

The figures are illustrative round numbers for the demo, not market prices.
"""

from decimal import Decimal

from oversight.organisations.models import Organisation

from . import actions
from .models import UnitCost

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
