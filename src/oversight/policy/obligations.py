"""Evaluating a register against the policy rules: one obligation per line and applicable rule.

Each obligation carries its rule (and so its source and severity), a due date with the basis it
was found on, and a reason built from the facts that made the rule apply: who made the equipment
(through relabels), where it is, when it was installed, what it is connected to.

An evaluation is kept and read in either language (policy.evaluation), so none of its text is translated
when it is built: what it keeps is lazy (`interpolate_lazy`, written in the reader's language when read), and
the reason's facts about the site and installation are written when the reason is read.
"""

import datetime
import functools
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from oversight.core.dates import govuk_date, govuk_date_lazy
from oversight.core.languages import interpolate_lazy, remembered

from . import rules as rule_data
from .makers import MakerFacts

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
    due_basis: str  # lazy: in the reader's language
    # The reason's parts that hold for every line of the same identity (lazy); the site is added when it is read.
    maker_clause: str
    overdue: bool

    @property
    def reason(self) -> str:
        """Why the rule applies, in the active language."""
        return f'{self.maker_clause}; {_facts_clause(self.rule, self.line)}. {self.rule.shown_requirement}'

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


def _maker_clause(rule: rule_data.Rule, line, facts: MakerFacts):
    """Who made the line and why that brings it under the rule: lazy, so it is written in the reader's language."""
    sold_as = _sold_as(line)
    if rule.maker == 'unknown':
        return interpolate_lazy(_('Who made it is unknown: "%(sold_as)s" does not resolve to a maker'), sold_as=sold_as)
    made_by = line.made_by or line.manufacturer
    relabelled = not facts.is_name_of(sold_as, made_by)
    if relabelled:
        made = interpolate_lazy(_('Sold as %(sold_as)s, made by %(made_by)s'), sold_as=sold_as, made_by=str(made_by))
    else:
        made = interpolate_lazy(_('Made by %(made_by)s'), made_by=str(made_by))
    if rule.maker == 'prc-nil':
        # makers.PRC, the country of headquarters the rule reads, is China: the messages name it.
        if relabelled:
            message = _(
                '%(made)s, headquartered in China, so treated as subject to the PRC National Intelligence Law '
                '(2017): selling it as %(sold_as)s does not change who produced it'
            )
        else:
            message = _(
                '%(made)s, headquartered in China, so treated as subject to the PRC National Intelligence Law (2017)'
            )
        return interpolate_lazy(message, made=made, sold_as=sold_as)
    slug = rule.concern_list
    named = []
    for maker in (line.manufacturer, line.made_by):
        if facts.on_list(slug, maker) and maker not in named:
            named.append(maker)
    named = [str(maker) for maker in named]
    listed = facts.list_names.get(slug, slug)  # the concern list's name: data, as stored
    if len(named) > 1:
        return interpolate_lazy(
            _('%(made)s; %(maker)s and %(other)s are covered by %(list)s'),
            made=made, maker=named[0], other=named[1], list=listed,
        )  # fmt: skip
    return interpolate_lazy(_('%(made)s; %(maker)s is covered by %(list)s'), made=made, maker=named[0], list=listed)


def _facts_clause(rule: rule_data.Rule, line) -> str:
    """Where the line is, when it was installed and what it is connected to, as far as the rule asks: written
    when the reason is read, in the active language."""
    site = line.site
    parts = [str(FACTS['sensitive' if site.sensitive else 'not_sensitive']) % {'site': site}]
    if rule.installed is not None:
        state = _installed_state(line, rule.installed_cutoff)
        if state == 'unknown':
            parts.append(str(FACTS['installed_unknown']))
        else:
            dates = {'installed': govuk_date(line.installed_on), 'cutoff': govuk_date(rule.installed_cutoff)}
            parts.append(str(FACTS[f'installed_{state}']) % dates)
    if rule.network is not None:
        network = line.network if line.network in ('core', 'unknown') else 'isolated'
        parts.append(str(FACTS[f'network_{network}']))
    return ', '.join(parts)


# The facts clause's words, looked up once per language (it is written for every obligation read).
FACTS = {
    'sensitive': remembered(_('on sensitive site %(site)s')),
    'not_sensitive': remembered(_('at %(site)s (not a sensitive site)')),
    'installed_unknown': remembered(_('installation date not recorded')),
    'installed_on_or_after': remembered(_('installed %(installed)s, on or after %(cutoff)s')),
    'installed_before': remembered(_('installed %(installed)s, before %(cutoff)s')),
    'network_core': remembered(_('connected to the core network')),
    'network_unknown': remembered(_('network connection not recorded')),
    'network_isolated': remembered(_('on an isolated network')),
}


# How a due date was found (lazy: a kept evaluation is read in either language).
INSTALLED = remembered(_('when it was installed'))
NEXT_UPGRADE = remembered(_('next scheduled upgrade'))
REVIEW_NO_UPGRADE = remembered(_('review date (no scheduled upgrade recorded)'))
UPGRADE_FIRST = remembered(_('next scheduled upgrade, before the review date'))
REVIEW_FIRST = remembered(_('review date, before the scheduled upgrade'))


def due_date(rule: rule_data.Rule, line, review_by: datetime.date) -> tuple[datetime.date, str]:
    """(due date, the basis it was found on) for a rule applying to a line."""
    if rule.due == 'arises':
        if line.installed_on and line.installed_on > rule.effective:
            return line.installed_on, INSTALLED
        return rule.effective, _effective_basis(rule.effective)
    upgrade = line.next_upgrade
    if rule.due == 'next_upgrade':
        if upgrade:
            return upgrade, NEXT_UPGRADE
        return review_by, REVIEW_NO_UPGRADE
    if upgrade and upgrade < review_by:
        return upgrade, UPGRADE_FIRST
    return review_by, REVIEW_FIRST if upgrade else REVIEW_NO_UPGRADE


@functools.cache
def _effective_basis(effective: datetime.date):
    """One lazy text per date a rule took effect, shared by every obligation due since then."""
    return interpolate_lazy(_('since the rule took effect on %(date)s'), date=govuk_date_lazy(effective))


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
