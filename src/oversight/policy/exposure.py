"""Replacement progress from the bodies' decisions, and national exposure for the regulator.

Figures come from the register and the recorded decisions (models.ObligationDecision), both scoped by the
caller's `for_user()` querysets; nothing here reads another body's rows unless the caller's scope holds them.
docs/policy.md, "Decisions and progress".
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from .models import ObligationDecision
from .plan import quarter_label

STAGES = ('replace', 'planned', 'ordered', 'replaced')


def _replacements(decisions):
    """One entry per line to replace: a line with several replace decisions (one per rule) counts once, at
    the furthest stage any of them reached."""
    by_line: dict = {}
    chosen = decisions.filter(decision=ObligationDecision.Decision.REPLACE).select_related('line__system')
    for decision in chosen.order_by('pk'):
        key = decision.line_id or f'gone-{decision.pk}'
        held = by_line.get(key)
        if held is None or STAGES.index(decision.state(None)) > STAGES.index(held.state(None)):
            by_line[key] = decision
    return list(by_line.values())


@dataclass
class Progress:
    devices: dict = field(default_factory=lambda: dict.fromkeys(STAGES, 0))
    planned_cost: Decimal = Decimal(0)  # devices still to replace, at the body's unit costs
    spent: Decimal = Decimal(0)  # the actual cost recorded for replacements done

    @property
    def total(self) -> int:
        return sum(self.devices.values())


def progress(decisions, unit_costs: dict) -> Progress:
    """Devices decided for replacement by stage, what the rest will cost and what was spent.

    `unit_costs` maps (organisation id, category) to a device's cost (UnitCost.objects.by_category()).
    """
    found = Progress()
    for decision in _replacements(decisions):
        stage = decision.state(None)
        found.devices[stage] += decision.devices
        if stage == 'replaced':
            found.spent += decision.actual_cost or Decimal(0)
        elif decision.line is not None:
            unit = unit_costs.get((decision.organisation_id, decision.line.system.category))
            found.planned_cost += (unit or Decimal(0)) * decision.devices
    return found


@dataclass
class BodyExposure:
    organisation: object
    concern_on_sensitive: int
    progress: Progress


def by_body(bodies, lines, decisions, unit_costs) -> list[BodyExposure]:
    """Per body: devices of concern on sensitive sites (the register's `concern`), and replacement progress."""
    exposed = dict(
        lines.filter(concern=True, site__sensitive=True)
        .values('organisation')
        .annotate(devices=Sum('quantity'))
        .values_list('organisation', 'devices')
    )
    rows = []
    for body in bodies:
        own = progress(decisions.filter(organisation=body), unit_costs)
        if exposed.get(body.pk) or own.total:
            rows.append(BodyExposure(body, exposed.get(body.pk, 0), own))
    return rows


@dataclass
class Quarter:
    label: str
    devices: int  # replaced in the quarter
    cumulative: int
    spent: Decimal


def _quarter(date: datetime.date) -> tuple[int, int]:
    return date.year, (date.month - 1) // 3 + 1


def quarters(decisions, today: datetime.date) -> list[Quarter]:
    """Devices replaced per quarter, from the first replacement to today's quarter, with the running total."""
    done = [d for d in _replacements(decisions) if d.state(None) == 'replaced']
    if not done:
        return []
    counts: dict = {}
    for decision in done:
        key = _quarter(decision.replaced_on)
        devices, spent = counts.get(key, (0, Decimal(0)))
        counts[key] = (devices + decision.devices, spent + (decision.actual_cost or Decimal(0)))
    year, quarter = min(counts)
    end = max(_quarter(today), max(counts))
    found, running = [], 0
    while (year, quarter) <= end:
        devices, spent = counts.get((year, quarter), (0, Decimal(0)))
        running += devices
        found.append(Quarter(quarter_label(year, quarter), devices, running, spent))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return found
