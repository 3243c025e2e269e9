"""Policy rules as data (data/rules.json): what each instrument requires, of which equipment, by when.

A rule's `when` says which lines it applies to:
  maker           "prc-nil" (made by a company headquartered in China, so treated as subject to the PRC
                  National Intelligence Law), "list:<concern list slug>", or "unknown" (maker not resolved)
  site_sensitive  true or false (absent: any site)
  installed       any of "before", "on_or_after", "unknown", against `installed_cutoff` (default: the
                  rule's effective date)
  network         any of "isolated", "core", "unknown"
and its `due` how the due date is found: "arises" (when the obligation arose: the effective date, or
the installation date if later), "next_upgrade" (the next scheduled upgrade, else the body's review
date) or "review" (the review date, or the scheduled upgrade if that comes first).

A rule's title, requirement and action, and a rule set's name and summary, may have a Welsh version
(`title_cy`, ...): `shown_title` and the like give it on Welsh pages, else the English (docs/welsh.md).
The English is what exports and the audit history write.
"""

import datetime
import functools
import json
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from oversight.core.languages import remembered, shown

RULES_FILE = Path(__file__).resolve().parent / 'data' / 'rules.json'

SEVERITIES = ('must', 'should', 'consider')  # most to least pressing
# Labels in the active language when shown (a kept evaluation serves readers of both languages).
SEVERITY_LABELS = {
    'must': remembered(_('Must')),
    'should': remembered(_('Should')),
    'consider': remembered(_('Consider')),
}
DUE_KINDS = ('arises', 'next_upgrade', 'review')
INSTALLED_STATES = ('before', 'on_or_after', 'unknown')
NETWORK_STATES = ('isolated', 'core', 'unknown')


class RuleDataError(ValueError):
    """The rules file says something the engine cannot follow; the message names the rule and field."""


@dataclass(frozen=True)
class Rule:
    rule_set: str
    slug: str
    title: str
    severity: str
    replace: bool  # whether meeting it means replacing the equipment (it enters the replacement plan)
    maker: str
    site_sensitive: bool | None
    installed: frozenset[str] | None
    installed_cutoff: datetime.date
    network: frozenset[str] | None
    due: str
    effective: datetime.date
    source_url: str
    requirement: str
    action: str
    # Welsh, where the rules file gives it ('' where it does not)
    title_cy: str = ''
    requirement_cy: str = ''
    action_cy: str = ''

    @property
    def shown_title(self) -> str:
        return shown(self.title, self.title_cy)

    @property
    def shown_requirement(self) -> str:
        return shown(self.requirement, self.requirement_cy)

    @property
    def shown_action(self) -> str:
        return shown(self.action, self.action_cy)

    @property
    def key(self) -> str:
        return f'{self.rule_set}/{self.slug}'

    @property
    def concern_list(self) -> str | None:
        return self.maker.removeprefix('list:') if self.maker.startswith('list:') else None


@dataclass(frozen=True)
class RuleSet:
    slug: str
    name: str
    authority: str
    effective: datetime.date
    optional: bool  # optional rule sets apply only to bodies that choose them
    source_url: str
    summary: str
    rules: tuple[Rule, ...]
    name_cy: str = ''
    summary_cy: str = ''

    @property
    def shown_name(self) -> str:
        return shown(self.name, self.name_cy)

    @property
    def shown_summary(self) -> str:
        return shown(self.summary, self.summary_cy)


def _date(value, where: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise RuleDataError(f'{where} is not a date (yyyy-mm-dd): {value!r}.') from exc


def _text(spec: dict, name: str, where: str) -> str:
    value = spec.get(name)
    if not isinstance(value, str) or not value.strip():
        raise RuleDataError(f'{where}: "{name}" is missing or empty.')
    return value


def _welsh(spec: dict, name: str, where: str) -> str:
    """An optional Welsh version of a text field: absent is '' (the English is shown), present must be text."""
    if name not in spec:
        return ''
    value = spec[name]
    if not isinstance(value, str) or not value.strip():
        raise RuleDataError(f'{where}: "{name}" must be text in Welsh, or be left out.')
    return value


def _states(when: dict, name: str, allowed: tuple[str, ...], where: str) -> frozenset[str] | None:
    if name not in when:
        return None
    values = when[name]
    if not isinstance(values, list) or not values or not set(values) <= set(allowed):
        raise RuleDataError(f'{where}: "when.{name}" must be a list of {", ".join(allowed)}.')
    return frozenset(values)


def _rule(rule_set: str, spec: dict) -> Rule:
    where = f'rule {rule_set}/{spec.get("slug", "?")}'
    when = spec.get('when') or {}
    maker = _text(when, 'maker', where + ' when')
    if maker not in ('prc-nil', 'unknown') and not (maker.startswith('list:') and len(maker) > 5):
        raise RuleDataError(f'{where}: "when.maker" must be "prc-nil", "unknown" or "list:<slug>".')
    severity = _text(spec, 'severity', where)
    if severity not in SEVERITIES:
        raise RuleDataError(f'{where}: "severity" must be one of {", ".join(SEVERITIES)}.')
    due = _text(spec, 'due', where)
    if due not in DUE_KINDS:
        raise RuleDataError(f'{where}: "due" must be one of {", ".join(DUE_KINDS)}.')
    sensitive = when.get('site_sensitive')
    if sensitive is not None and not isinstance(sensitive, bool):
        raise RuleDataError(f'{where}: "when.site_sensitive" must be true or false.')
    effective = _date(spec.get('effective'), f'{where} "effective"')
    return Rule(
        rule_set=rule_set,
        slug=_text(spec, 'slug', where),
        title=_text(spec, 'title', where),
        severity=severity,
        replace=bool(spec.get('replace', False)),
        maker=maker,
        site_sensitive=sensitive,
        installed=_states(when, 'installed', INSTALLED_STATES, where),
        installed_cutoff=_date(when['installed_cutoff'], f'{where} "installed_cutoff"')
        if 'installed_cutoff' in when
        else effective,
        network=_states(when, 'network', NETWORK_STATES, where),
        due=due,
        effective=effective,
        source_url=_text(spec, 'source_url', where),
        requirement=_text(spec, 'requirement', where),
        action=_text(spec, 'action', where),
        title_cy=_welsh(spec, 'title_cy', where),
        requirement_cy=_welsh(spec, 'requirement_cy', where),
        action_cy=_welsh(spec, 'action_cy', where),
    )


def parse(document: dict) -> tuple[RuleSet, ...]:
    sets = []
    for spec in document.get('rule_sets', []):
        slug = spec.get('slug', '?')
        where = f'rule set {slug}'
        rules = tuple(_rule(slug, r) for r in spec.get('rules', []))
        if not rules:
            raise RuleDataError(f'{where} has no rules.')
        if len({r.slug for r in rules}) != len(rules):
            raise RuleDataError(f'{where} has two rules with one slug.')
        sets.append(
            RuleSet(
                slug=_text(spec, 'slug', where),
                name=_text(spec, 'name', where),
                authority=_text(spec, 'authority', where),
                effective=_date(spec.get('effective'), f'{where} "effective"'),
                optional=bool(spec.get('optional', False)),
                source_url=_text(spec, 'source_url', where),
                summary=_text(spec, 'summary', where),
                rules=rules,
                name_cy=_welsh(spec, 'name_cy', where),
                summary_cy=_welsh(spec, 'summary_cy', where),
            )
        )
    if len({s.slug for s in sets}) != len(sets):
        raise RuleDataError('Two rule sets share one slug.')
    return tuple(sets)


@functools.cache
def rule_sets() -> tuple[RuleSet, ...]:
    return parse(json.loads(RULES_FILE.read_text(encoding='utf-8')))


def optional_rule_sets() -> tuple[RuleSet, ...]:
    return tuple(s for s in rule_sets() if s.optional)


def applicable(adopted) -> tuple[RuleSet, ...]:
    """The rule sets that apply to a body: every mandatory one, and the optional ones it adopted."""
    chosen = set(adopted or ())
    return tuple(s for s in rule_sets() if not s.optional or s.slug in chosen)
