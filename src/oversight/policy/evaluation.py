"""A register evaluated for the policy page, its exports and chart: obligations, plan, vulnerabilities.

Everything starts from the lines the caller passes (already scoped with `for_user`), and the body
settings and unit costs read here are scoped the same way, so no figure includes another body's data.
"""

import datetime
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db.models import Max

from oversight.core.models import ObjectChange
from oversight.organisations.models import Organisation
from oversight.register.models import EquipmentLine, Site, System
from oversight.vendors.models import Manufacturer

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
    # A kept evaluation serves many requests: its summaries (and the page's chart) are worked out once.
    _memo: dict = field(default_factory=dict, repr=False)

    def once(self, name: str, compute):
        if name not in self._memo:
            self._memo[name] = compute()
        return self._memo[name]

    def devices_by_severity(self) -> dict[str, int]:
        return self.once('by_severity', self._devices_by_severity)

    def overdue_devices(self) -> int:
        return self.once('overdue', self._overdue_devices)

    def vulnerable_devices(self, status: Status) -> int:
        return self.once(f'vulnerable {status}', lambda: self._vulnerable_devices(status))

    def by_body(self) -> list[BodySummary]:
        return self.once('by_body', self._by_body)

    def _devices_by_severity(self) -> dict[str, int]:
        """Devices counted once each, under the most pressing severity of their obligations."""
        worst = self._worst_by_line()
        totals = dict.fromkeys(SEVERITY_RANK, 0)
        for line, severity in worst.values():
            totals[severity] += line.quantity
        return totals

    def _overdue_devices(self) -> int:
        lines = {o.line.pk: o.line for o in self.obligations if o.overdue}
        return sum(line.quantity for line in lines.values())

    def _vulnerable_devices(self, status: Status) -> int:
        lines = {m.line.pk: m.line for m in self.vulnerabilities if m.match.status == status}
        return sum(line.quantity for line in lines.values())

    def _worst_by_line(self) -> dict:
        return self.once('worst', self._worst)

    def _worst(self) -> dict:
        worst: dict[int, tuple] = {}
        for obligation in self.obligations:
            current = worst.get(obligation.line.pk)
            if current is None or SEVERITY_RANK[obligation.severity] < SEVERITY_RANK[current[1]]:
                worst[obligation.line.pk] = (obligation.line, obligation.severity)
        return worst

    def _by_body(self) -> list[BodySummary]:
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


def _listed(lines) -> list:
    """The lines in the policy page's order, each body, site, system and maker loaded once and shared.

    `select_related` would build one site (and body, system, makers) per line: 600,000 objects for
    100,000 lines where a few thousand distinct ones exist.
    """
    # The evidence and notes are not read here, and decoding 100,000 evidence lists costs seconds.
    lines = lines.select_related(None).defer('evidence', 'notes')
    related = {
        'organisation': Organisation.objects.filter(pk__in=lines.values('organisation_id')).in_bulk(),
        'site': Site.objects.filter(pk__in=lines.values('site_id')).in_bulk(),
        'system': System.objects.filter(pk__in=lines.values('system_id')).in_bulk(),
    }
    makers = Manufacturer.objects.filter(pk__in=lines.values('manufacturer_id')) | Manufacturer.objects.filter(
        pk__in=lines.values('made_by_id')
    )
    related['manufacturer'] = related['made_by'] = makers.in_bulk()
    fields = [EquipmentLine._meta.get_field(name) for name in related]
    listed = list(lines.order_by('organisation__name', 'site__name', 'pk'))
    for line in listed:
        for relation in fields:
            key = getattr(line, relation.attname)
            relation.set_cached_value(line, None if key is None else related[relation.name][key])
    return listed


def evaluate_register(lines, user, today: datetime.date, keep=None) -> Evaluation:
    """Evaluate scoped equipment lines; `keep(obligation)` narrows the obligations (page filters)."""
    lines = _listed(lines)
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


# Across bodies, a national register (a million lines) is too much to evaluate in one request: past this
# many lines the regulator chooses a body, or narrows the filters, first.
ACROSS_BODIES_MAX_LINES = 300_000

# Evaluations kept by this process, newest last, bounded by the lines they hold (about 1 KB a line).
_cache: OrderedDict = OrderedDict()
_cache_lock = threading.Lock()
CACHE_LINES = 300_000


def forget_evaluations() -> None:
    with _cache_lock:
        _cache.clear()


def revision(organisation=None) -> tuple:
    """What an evaluation depends on besides the rules, as of now. Every write to a register, a body's
    policy settings and unit costs, or the makers and concern lists goes through an action that records
    an audit row (core.audit) in the same transaction, so the newest audit row of the body and of the
    reference data changes whenever any of them does. Across bodies, the newest audit row of all."""
    changes = ObjectChange.objects.order_by()
    if organisation is None:
        return (changes.aggregate(n=Max('pk'))['n'],)
    settings = PolicySettings.objects.filter(organisation=organisation).values_list('version', flat=True).first()
    return (
        changes.filter(organisation=organisation).aggregate(n=Max('pk'))['n'],
        changes.filter(organisation__isnull=True).aggregate(n=Max('pk'))['n'],
        settings,
    )


def cached_evaluation(lines, user, today: datetime.date, organisation=None, keep=None, keep_key=()) -> Evaluation:
    """`evaluate_register`, kept until the register, the body's settings or the reference data change.

    The key is the lines' own query (scope and filters), what `keep` keeps (`keep_key`), the day and the
    revision. The rules are read once per process (rules.rule_sets), so new rules arrive with a restart,
    which empties this cache too.
    """
    try:
        sql, params = lines.query.sql_with_params()
    except EmptyResultSet:  # .none(): nothing to keep
        return evaluate_register(lines, user, today, keep=keep)
    key = (sql, tuple(map(str, params)), today, tuple(keep_key), revision(organisation))
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    evaluation = evaluate_register(lines, user, today, keep=keep)
    with _cache_lock:
        _cache[key] = evaluation
        while len(_cache) > 1 and sum(len(e.lines) for e in _cache.values()) > CACHE_LINES:
            _cache.popitem(last=False)
    return evaluation
