"""Checking an organisations spreadsheet (name, kind, country, group) before anything is written.

An import adds organisations and group memberships. It never changes an existing organisation's
kind or country: a row naming an existing organisation must agree with it, and then only adds it
to the groups the row names. Groups that do not exist yet are created. The `group` cell may name
several groups separated by semicolons (group names themselves contain commas).
"""

import re
from dataclasses import dataclass, field

from django.utils.text import slugify

from oversight.core.text import hidden_character

from .models import Organisation, OrganisationGroup

REQUIRED_COLUMNS = ('name', 'kind')
OPTIONAL_COLUMNS = ('country', 'group', 'source')
# Our own export heads the column "groups"; it re-imports unchanged.
COLUMN_ALIASES = {'groups': 'group'}
GROUP_SEPARATOR = ';'
# Path segments that an organisation's (under /organisations/) or a group's slug must not take.
RESERVED_SLUGS = frozenset({'add', 'import', 'groups'})
RESERVED_GROUP_SLUGS = frozenset({'add'})
IMPORTABLE_KINDS = [k for k in Organisation.Kind if k != Organisation.Kind.REGULATOR]


def slug_for(name: str) -> str:
    return slugify(name)[:100]


def group_key(name: str) -> str:
    """Group names compared without case, spaces or punctuation: "Policing bodies England and Wales" is the
    existing "Policing bodies, England and Wales", not a new group."""
    return re.sub(r'[\W_]+', '', name.lower())


def parse_kind(text: str) -> str | None:
    """A kind from its code ("local_authority") or its label ("Local authority"), in any case."""
    wanted = text.strip().lower()
    for kind in Organisation.Kind:
        if wanted in (kind.value, kind.label.lower(), kind.value.replace('_', ' ')):
            return kind.value
    return None


def split_groups(text: str) -> list[str]:
    return [' '.join(name.split()) for name in text.split(GROUP_SEPARATOR) if name.strip()]


@dataclass
class Problem:
    row: int
    column: str
    message: str


@dataclass
class PlannedRow:
    row: int
    name: str
    kind: str
    country: str
    source: str
    groups: list[str]
    existing: Organisation | None = None
    # Groups the organisation joins through this import (all of them for a new organisation).
    joins: list[str] = field(default_factory=list)

    def get_kind_display(self) -> str:
        return Organisation.Kind(self.kind).label


@dataclass
class ImportPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    new_groups: list[str] = field(default_factory=list)

    @property
    def new_organisations(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.existing is None]

    @property
    def memberships(self) -> int:
        return sum(len(r.joins) for r in self.rows)


def _check_header(headers: list[str], plan: ImportPlan) -> bool:
    """Record header problems; False when rows cannot be read at all."""
    known = set(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
    names = [COLUMN_ALIASES.get(h, h) for h in headers if h]
    for header in names:
        if header not in known:
            plan.problems.append(
                Problem(
                    1, header, f'Unknown column. The columns are: {", ".join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}.'
                )
            )
    for header in {h for h in names if names.count(h) > 1}:
        plan.problems.append(Problem(1, header, 'This column appears more than once.'))
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    for column in missing:
        plan.problems.append(Problem(1, column, 'This column is missing.'))
    return not missing


class _Checker:
    """Checks rows one by one against the database and the rows before them."""

    def __init__(self, default_source: str):
        self.default_source = default_source
        known = list(Organisation.objects.prefetch_related('groups'))
        self.by_name = {o.name: o for o in known}
        # Slugs as a name would make them, to catch names differing only in case or punctuation.
        self.by_slug = {slug_for(o.name): o for o in known} | {o.slug: o for o in known}
        self.groups = {group_key(g.name): g.name for g in OrganisationGroup.objects.all()}
        self.group_slugs = set(OrganisationGroup.objects.values_list('slug', flat=True))
        self.rows_by_slug: dict[str, int] = {}
        # Groups this file creates, by their key, as first spelled.
        self.new_groups: dict[str, str] = {}

    def check(self, number: int, cells: dict[str, str]) -> tuple[PlannedRow | None, list[Problem]]:
        problems: list[Problem] = []

        def problem(column: str, message: str) -> None:
            problems.append(Problem(number, column, message))

        if cells.get('__extra__'):
            problem('', f'Cells beyond the last column: {cells["__extra__"]}.')
        for column in ('name', 'country', 'source', 'group'):
            if hidden := hidden_character(cells.get(column, '')):
                problem(column, hidden)
        name = ' '.join(cells.get('name', '').split())
        existing = self._check_name(name, number, problem)
        kind = parse_kind(cells.get('kind', ''))
        if kind is None:
            choices = ', '.join(k.value for k in IMPORTABLE_KINDS)
            problem('kind', f'"{cells.get("kind", "")}" is not a kind of organisation. Use one of: {choices}.')
        elif kind == Organisation.Kind.REGULATOR and existing is None:
            problem('kind', 'There is one regulator; an import adds the bodies it oversees.')
        country = ' '.join(cells.get('country', '').split())
        if len(country) > 60:
            problem('country', 'Countries are at most 60 characters.')
        source = cells.get('source', '').strip() or self.default_source
        if len(source) > 300:
            problem('source', 'Sources are at most 300 characters.')
        groups = self._check_groups(split_groups(cells.get('group', '')), problem)
        if existing is not None and kind is not None:
            self._check_agrees(existing, kind, country, groups, problem)
        if problems:
            return None, problems
        current = {g.name for g in existing.groups.all()} if existing else set()
        return PlannedRow(
            row=number,
            name=name,
            kind=kind,
            country=existing.country if existing else country,
            source=source,
            groups=groups,
            existing=existing,
            joins=[g for g in groups if g not in current],
        ), []

    def _check_name(self, name: str, number: int, problem) -> Organisation | None:
        """The existing organisation of that name, if any, after checking the name."""
        slug = slug_for(name)
        if not name:
            problem('name', "Enter the organisation's name.")
        elif len(name) > 200:
            problem('name', f'Names are at most 200 characters; this one has {len(name)}.')
        elif not slug or slug in RESERVED_SLUGS:
            problem('name', f'"{name}" cannot be used as an organisation name.')
        elif slug in self.rows_by_slug:
            problem('name', f'"{name}" is also on row {self.rows_by_slug[slug]}.')
        else:
            self.rows_by_slug[slug] = number
            if name in self.by_name:
                return self.by_name[name]
            near = self.by_slug.get(slug)
            if near is not None:
                problem('name', f'This is too close to the existing organisation "{near.name}": use its exact name.')
        return None

    def _check_groups(self, names: list[str], problem) -> list[str]:
        """The row's groups, each by its existing name or as first spelled in the file."""
        groups: dict[str, str] = {}
        for name in names:
            key, slug = group_key(name), slugify(name)[:100]
            if len(name) > 200:
                problem('group', f'Group names are at most 200 characters: "{name[:40]}…".')
            elif key in self.groups:
                groups.setdefault(key, self.groups[key])
            elif not slug or slug in RESERVED_GROUP_SLUGS:
                problem('group', f'"{name}" cannot be used as a group name.')
            elif slug in self.group_slugs:
                problem('group', f'"{name}" is too close to another group\'s name: use its exact name.')
            else:
                groups.setdefault(key, self.new_groups.setdefault(key, name))
        return list(groups.values())

    def _check_agrees(self, existing: Organisation, kind: str, country: str, groups: list[str], problem) -> None:
        if existing.kind == Organisation.Kind.REGULATOR and groups:
            problem('group', 'The regulator is not put into groups of overseen bodies.')
        elif existing.kind != kind or (country and existing.country != country):
            where = f' in {existing.country}' if existing.country else ''
            problem(
                'kind' if existing.kind != kind else 'country',
                f'{existing.name} already exists as a {existing.get_kind_display().lower()}{where}; '
                'an import does not change it.',
            )


def plan_import(headers: list[str], rows: list[tuple[int, dict[str, str]]], default_source: str) -> ImportPlan:
    """Check every row against the file and the database; the plan lists every problem found."""
    plan = ImportPlan()
    if not _check_header(headers, plan):
        return plan
    if not rows:
        plan.problems.append(Problem(2, 'name', 'The file has no organisations in it.'))
        return plan
    checker = _Checker(default_source)
    for number, raw in rows:
        planned, problems = checker.check(number, {COLUMN_ALIASES.get(k, k): v for k, v in raw.items()})
        plan.problems.extend(problems)
        if planned is not None:
            plan.rows.append(planned)
    plan.new_groups = sorted(checker.new_groups.values(), key=str.lower)
    return plan
