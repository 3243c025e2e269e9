"""A register evaluated for the policy page, its exports and chart: obligations, plan, vulnerabilities.

Everything starts from the lines the caller passes (already scoped with `for_user`), and the body
settings and unit costs read here are scoped the same way, so no figure includes another body's data.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from . import plan as replacement
from .makers import MakerFacts
from .models import PolicySettings, UnitCost
from .obligations import SEVERITY_RANK, BodyChoices, Obligation, evaluate, sort_key
from .vulnerabilities import LineMatch, Status, match_lines


@dataclass
class BodySummary:
    organisation: object
    must: int = 0
    should: int = 0
    consider: int = 0
    overdue: int = 0
    plan_devices: int = 0
    cost: Decimal = Decimal(0)
    devices_without_cost: int = 0

    @property
    def cost_note(self) -> str:
        return replacement.unpriced_note(self.devices_without_cost)


@dataclass
class Evaluation:
    today: datetime.date
    lines: list
    obligations: list[Obligation]
    plan: replacement.Plan
    vulnerabilities: list[LineMatch]

    def devices_by_severity(self) -> dict[str, int]:
        """Devices counted once each, under the most pressing severity of their obligations."""
        worst = self._worst_by_line()
        totals = dict.fromkeys(SEVERITY_RANK, 0)
        for line, severity in worst.values():
            totals[severity] += line.quantity
        return totals

    def overdue_devices(self) -> int:
        lines = {o.line.pk: o.line for o in self.obligations if o.overdue}
        return sum(line.quantity for line in lines.values())

    def vulnerable_devices(self, status: Status) -> int:
        lines = {m.line.pk: m.line for m in self.vulnerabilities if m.match.status == status}
        return sum(line.quantity for line in lines.values())

    def _worst_by_line(self) -> dict:
        worst: dict[int, tuple] = {}
        for obligation in self.obligations:
            current = worst.get(obligation.line.pk)
            if current is None or SEVERITY_RANK[obligation.severity] < SEVERITY_RANK[current[1]]:
                worst[obligation.line.pk] = (obligation.line, obligation.severity)
        return worst

    def by_body(self) -> list[BodySummary]:
        """One summary per body with lines in the selection (for the regulator's overview)."""
        bodies = {line.organisation_id: BodySummary(line.organisation) for line in self.lines}
        for line, severity in self._worst_by_line().values():
            setattr(
                bodies[line.organisation_id], severity, getattr(bodies[line.organisation_id], severity) + line.quantity
            )
        overdue = {o.line.pk: o.line for o in self.obligations if o.overdue}
        for line in overdue.values():
            bodies[line.organisation_id].overdue += line.quantity
        for entry in self.plan.lines:
            body = bodies[entry.line.organisation_id]
            body.plan_devices += entry.line.quantity
            if entry.cost is None:
                body.devices_without_cost += entry.line.quantity
            else:
                body.cost += entry.cost
        return sorted(bodies.values(), key=lambda b: b.organisation.name)


def evaluate_register(lines, user, today: datetime.date, keep=None) -> Evaluation:
    """Evaluate scoped equipment lines; `keep(obligation)` narrows the obligations (page filters)."""
    lines = list(lines.as_listed().order_by('organisation__name', 'site__name', 'pk'))
    bodies = {line.organisation_id for line in lines}
    choices = {
        s.organisation_id: BodyChoices(tuple(s.rule_sets), s.review_by)
        for s in PolicySettings.objects.for_user(user).filter(organisation_id__in=bodies)
    }
    obligations = evaluate(lines, MakerFacts.from_db(today), choices, today)
    if keep is not None:
        obligations = [o for o in obligations if keep(o)]
    obligations.sort(key=sort_key)
    unit_costs = UnitCost.objects.for_user(user).by_category(bodies)
    return Evaluation(
        today=today,
        lines=lines,
        obligations=obligations,
        plan=replacement.build(obligations, unit_costs, today),
        vulnerabilities=match_lines(lines),
    )
