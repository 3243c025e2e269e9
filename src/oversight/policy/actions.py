"""Every write of the policy app, audited in the same transaction."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.core.audit import STALE_MESSAGE, delete_audited, record_change, save_audited, snapshot
from oversight.core.models import ObjectChange
from oversight.core.permissions import check, may_edit_body, sees_everything
from oversight.register.models import Category

from . import catalogue
from .models import KevCatalogue, KevEntry, ObligationDecision, PolicySettings, UnitCost
from .rules import optional_rule_sets

# Before the statement of 24 November 2022 there was nothing to review.
EARLIEST_REVIEW = datetime.date(2022, 11, 24)


def _check_version(stored, version: int | None) -> None:
    """The record must be as the editor saw it: absent if they saw none, at the version they saw."""
    if (stored is None) != (version is None) or (stored is not None and stored.version != version):
        raise ValidationError(STALE_MESSAGE, code='stale')


@transaction.atomic
def set_unit_costs(actor, organisation, costs: dict[str, Decimal | None], versions: dict | None = None) -> None:
    """Set (or, with None, clear) the body's cost of replacing one device, per system category.

    `versions` maps each category to the version the editor started from (None where there was no
    cost yet); when given, a change someone else saved meanwhile is refused and nothing is written.
    """
    check(actor, may_edit_body, organisation.pk)
    unknown = set(costs) - set(Category.values)
    if unknown:
        raise ValidationError(_('Unknown system categories: %(unknown)s.') % {'unknown': ', '.join(sorted(unknown))})
    stored = {u.category: u for u in UnitCost.objects.select_for_update().filter(organisation=organisation)}
    labels = dict(Category.choices)
    for category, cost in costs.items():
        current = stored.get(category)
        if versions is not None:
            _check_version(current, versions.get(category))
        if cost is None:
            if current is not None:
                delete_audited(actor, current, f'Unit cost for {labels[category]} cleared')
            continue
        if current is not None and current.cost == cost:
            continue
        unit = current or UnitCost(organisation=organisation, category=category)
        unit.cost = cost
        try:
            save_audited(actor, unit, f'Unit cost for {labels[category]} set')
        except ValidationError as exc:
            messages = exc.message_dict.get('cost', exc.messages) if hasattr(exc, 'error_dict') else exc.messages
            raise ValidationError({f'cost_{category}': messages}) from exc


# Passed by callers that do not edit from a form (the demo, commands): no version to compare.
UNCHECKED = object()


@transaction.atomic
def set_policy_settings(
    actor, organisation, *, rule_sets: list[str], review_by: datetime.date | None, expected_version=UNCHECKED
) -> PolicySettings:
    """Choose the optional rule sets the body applies, and the date it reviews removal by.

    `expected_version` is the version the editor started from (None if the body had no settings).
    """
    check(actor, may_edit_body, organisation.pk)
    allowed = {s.slug for s in optional_rule_sets()}
    unknown = set(rule_sets) - allowed
    if unknown:
        raise ValidationError(
            {'rule_sets': _('Not an optional rule set: %(unknown)s.') % {'unknown': ', '.join(sorted(unknown))}}
        )
    if review_by is not None and review_by < EARLIEST_REVIEW:
        raise ValidationError({'review_by': _('The review date cannot be before the statement of 24 November 2022.')})
    settings = PolicySettings.objects.select_for_update().filter(organisation=organisation).first()
    if expected_version is not UNCHECKED:
        _check_version(settings, expected_version)
    settings = settings or PolicySettings(organisation=organisation)
    settings.rule_sets = sorted(set(rule_sets))
    settings.review_by = review_by
    return save_audited(actor, settings, 'Policy settings changed')


@transaction.atomic
def replace_kev_catalogue(actor, document: dict) -> KevCatalogue:
    """Store a checked catalogue (`catalogue.prepare`) in place of the one in use, whole or not at all.

    Every node reads it from its next request (policy.vulnerabilities.current); the audit row, of
    reference data, also tells every node's kept policy evaluations that they are out of date.
    Regulator staff, or a command on the server (actor None).
    """
    check(actor, sees_everything)
    held = KevCatalogue.objects.select_for_update().get()
    before = snapshot(held) | {'entries': KevEntry.objects.count()}
    KevEntry.objects.all().delete()
    KevEntry.objects.bulk_create(
        KevEntry(
            cve=entry['cveID'],
            secondary=secondary,
            position=position,
            entry=entry,
            source=catalogue.row_source(document, entry, secondary),
        )
        for secondary, entries in ((False, document['vulnerabilities']), (True, document['additions']))
        for position, entry in enumerate(entries)
    )
    held.title, held.catalogue_version = document['title'], document['catalogVersion']
    held.date_released, held.source = document['dateReleased'], document['source']
    held.refreshed, held.revision = timezone.now(), held.revision + 1
    held.save()
    after = snapshot(held) | {'entries': len(document['vulnerabilities']) + len(document['additions'])}
    message = f'Refreshed the KEV catalogue to version {held.catalogue_version}'
    record_change(actor, held, ObjectChange.Action.UPDATE, before, after, message)
    return held


DECISION_FIELDS = (
    'decision', 'reason', 'approver', 'accepted_until', 'progress', 'planned_on', 'ordered_on', 'replaced_on',
    'actual_cost',
)  # fmt: skip


@transaction.atomic
def record_decision(actor, obligation, expected_version=UNCHECKED, **fields) -> ObligationDecision:
    """Record (or change) the body's decision on one obligation (policy.obligations.Obligation), and the
    progress of replacing its equipment. `expected_version` is the version the editor started from (None
    when there was no decision yet); a change someone else saved meanwhile is refused."""
    line = obligation.line
    check(actor, may_edit_body, line.organisation_id)
    unknown = set(fields) - set(DECISION_FIELDS)
    if unknown:
        raise TypeError(f'not decision fields: {", ".join(sorted(unknown))}')
    stored = ObligationDecision.objects.select_for_update().filter(line=line, rule=obligation.rule.key).first()
    if expected_version is not UNCHECKED:
        _check_version(stored, expected_version)
    decision = stored or ObligationDecision(organisation_id=line.organisation_id, line=line, rule=obligation.rule.key)
    for name, value in fields.items():
        setattr(decision, name, value)
    decision.equipment = f'{line} at {line.site}'[:300]
    decision.devices = line.quantity
    decision.decided_by = actor if getattr(actor, 'pk', None) else None
    return save_audited(actor, decision, f'Decision on "{obligation.rule.title}": {decision.get_decision_display()}')
