"""Evaluating a register against the policy rules: one obligation per line and applicable rule.

Each obligation carries its rule (and so its source and severity), a due date with the basis it
was found on, and a reason built from the facts that made the rule apply: who made the equipment
(through relabels), where it is, when it was installed, what it is connected to.
"""

import datetime
from dataclasses import dataclass

from . import rules as rule_data
from .makers import PRC, MakerFacts

SEVERITY_RANK = {severity: rank for rank, severity in enumerate(rule_data.SEVERITIES)}


@dataclass(frozen=True)
class BodyChoices:
    """A body's policy settings as the engine reads them (defaults when it has saved none)."""

    rule_sets: tuple[str, ...] = ()
    review_by: datetime.date | None = None


@dataclass(frozen=True)
class Obligation:
    line: object  # register.EquipmentLine, with site, system, organisation, manufacturer and made_by loaded
    rule: rule_data.Rule
    rule_set: rule_data.RuleSet
    due: datetime.date
    due_basis: str
    # The reason's parts that hold for every line of the same identity; the site is added when it is read.
    maker_clause: str
    overdue: bool

    @property
    def reason(self) -> str:
        return f'{self.maker_clause}; {_facts_clause(self.rule, self.line)}. {self.rule.requirement}'

    @property
    def severity(self) -> str:
        return self.rule.severity

    @property
    def severity_rank(self) -> int:
        return SEVERITY_RANK[self.rule.severity]

    @property
    def severity_label(self) -> str:
        return rule_data.SEVERITY_LABELS[self.rule.severity]


def end_of_financial_year(today: datetime.date) -> datetime.date:
    """31 March ending the UK public-sector financial year that contains `today`."""
    year = today.year if today <= datetime.date(today.year, 3, 31) else today.year + 1
    return datetime.date(year, 3, 31)


def _day(date: datetime.date) -> str:
    return f'{date.day} {date:%B %Y}'


def _installed_state(line, cutoff: datetime.date) -> str:
    if line.installed_on is None:
        return 'unknown'
    return 'on_or_after' if line.installed_on >= cutoff else 'before'


def _maker_applies(rule: rule_data.Rule, line, facts: MakerFacts) -> bool:
    if rule.maker == 'unknown':
        return line.made_by_id is None and line.manufacturer_id is None
    if rule.maker == 'prc-nil':
        # Who produced it decides; the declared maker stands in only where the real one is unresolved.
        return facts.in_prc(line.made_by_id if line.made_by_id else line.manufacturer_id)
    slug = rule.concern_list
    return facts.on_list(slug, line.made_by) or facts.on_list(slug, line.manufacturer)


def applies(rule: rule_data.Rule, line, facts: MakerFacts) -> bool:
    if rule.site_sensitive is not None and line.site.sensitive != rule.site_sensitive:
        return False
    if rule.installed is not None and _installed_state(line, rule.installed_cutoff) not in rule.installed:
        return False
    if rule.network is not None and line.network not in rule.network:
        return False
    return _maker_applies(rule, line, facts)


def _sold_as(line) -> str:
    return line.brand or line.manufacturer_declared


def _maker_clause(rule: rule_data.Rule, line, facts: MakerFacts) -> str:
    sold_as = _sold_as(line)
    if rule.maker == 'unknown':
        return f'Who made it is unknown: "{sold_as}" does not resolve to a maker'
    made_by = line.made_by or line.manufacturer
    relabelled = not facts.is_name_of(sold_as, made_by)
    made = f'Sold as {sold_as}, made by {made_by}' if relabelled else f'Made by {made_by}'
    if rule.maker == 'prc-nil':
        return f'{made}, headquartered in {PRC}, so treated as subject to the PRC National Intelligence Law (2017)' + (
            f': selling it as {sold_as} does not change who produced it' if relabelled else ''
        )
    slug = rule.concern_list
    named = []
    for maker in (line.manufacturer, line.made_by):
        if facts.on_list(slug, maker) and maker not in named:
            named.append(maker)
    names = ' and '.join(str(m) for m in named)
    verb = 'are' if len(named) > 1 else 'is'
    return f'{made}; {names} {verb} covered by {facts.list_names.get(slug, slug)}'


def _facts_clause(rule: rule_data.Rule, line) -> str:
    site = line.site
    parts = [f'on sensitive site {site}' if site.sensitive else f'at {site} (not a sensitive site)']
    if rule.installed is not None:
        state = _installed_state(line, rule.installed_cutoff)
        if state == 'unknown':
            parts.append('installation date not recorded')
        else:
            relation = 'on or after' if state == 'on_or_after' else 'before'
            parts.append(f'installed {_day(line.installed_on)}, {relation} {_day(rule.installed_cutoff)}')
    if rule.network is not None:
        parts.append(
            {'core': 'connected to the core network', 'unknown': 'network connection not recorded'}.get(
                line.network, 'on an isolated network'
            )
        )
    return ', '.join(parts)


def due_date(rule: rule_data.Rule, line, review_by: datetime.date) -> tuple[datetime.date, str]:
    """(due date, the basis it was found on) for a rule applying to a line."""
    if rule.due == 'arises':
        if line.installed_on and line.installed_on > rule.effective:
            return line.installed_on, 'when it was installed'
        return rule.effective, f'since the rule took effect on {_day(rule.effective)}'
    upgrade = line.next_upgrade
    if rule.due == 'next_upgrade':
        if upgrade:
            return upgrade, 'next scheduled upgrade'
        return review_by, 'review date (no scheduled upgrade recorded)'
    if upgrade and upgrade < review_by:
        return upgrade, 'next scheduled upgrade, before the review date'
    return review_by, 'review date' + (
        ', before the scheduled upgrade' if upgrade else ' (no scheduled upgrade recorded)'
    )


def identity(line) -> tuple:
    """Everything about a line that the rules, due dates and maker clauses read: lines sharing it share
    their obligations (a register of 100,000 lines holds a few hundred of them)."""
    return (
        line.organisation_id,
        line.site.sensitive,
        line.installed_on,
        line.network,
        line.next_upgrade,
        line.manufacturer_id,
        line.made_by_id,
        _sold_as(line),
    )


def _evaluate_one(line, facts: MakerFacts, body: BodyChoices, rule_sets, today: datetime.date) -> tuple:
    """(rule, rule set, due, basis, maker clause, overdue) of each rule applying to a line."""
    review_by = body.review_by or end_of_financial_year(today)
    found = []
    for rule_set in rule_sets:
        for rule in rule_set.rules:
            if applies(rule, line, facts):
                due, basis = due_date(rule, line, review_by)
                found.append((rule, rule_set, due, basis, _maker_clause(rule, line, facts), due < today))
    return tuple(found)


def evaluate(lines, facts: MakerFacts, choices: dict, today: datetime.date) -> list[Obligation]:
    """Every obligation of every line; `choices` maps organisation id -> BodyChoices.

    The rules are applied once per distinct identity (`identity`), not once per line.
    """
    default = BodyChoices()
    by_identity: dict[tuple, tuple] = {}
    applicable: dict[tuple, tuple] = {}
    obligations = []
    for line in lines:
        key = identity(line)
        found = by_identity.get(key)
        if found is None:
            body = choices.get(line.organisation_id, default)
            if body.rule_sets not in applicable:
                applicable[body.rule_sets] = rule_data.applicable(body.rule_sets)
            found = by_identity[key] = _evaluate_one(line, facts, body, applicable[body.rule_sets], today)
        obligations.extend(Obligation(line, *each) for each in found)
    return obligations


def sort_key(obligation: Obligation):
    return (SEVERITY_RANK[obligation.severity], obligation.due, obligation.line.site.name, obligation.line.pk)
