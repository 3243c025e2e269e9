"""Every write to the register: sites, systems, equipment lines and imports.

Each action runs in one transaction with its audit rows (core.audit). `actor` is the signed-in
user, who must be an editor of the body, or None for the system itself (the demo, commands).
Edits take the `expected_version` the editor started from; a stale one is refused.
"""

import hashlib
import itertools

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from oversight.core.audit import (
    STALE_MESSAGE,
    delete_audited,
    lock_at_version,
    record_change,
    record_changes,
    save_audited,
    snapshot,
)
from oversight.core.bulk import insert
from oversight.core.dates import govuk_datetime
from oversight.core.holds import holds_on
from oversight.core.models import ObjectChange
from oversight.core.permissions import check, may_edit_body
from oversight.core.spreadsheets import SpreadsheetError
from oversight.core.text import hidden_character

from .identification import IDENTITY_FIELDS, build_index, identify_line
from .imports import IMPORTERS, Plan, build, plan_file, read_batch
from .models import EquipmentLine, ImportBatch, Site, System
from .signals import cameras_changed


def _apply(obj, fields: dict) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)


NAME_TAKEN = {
    Site: _('%(body)s already has a site named "%(name)s".'),
    System: _('%(body)s already has a system named "%(name)s".'),
}


def _check_name_free(obj) -> None:
    """Names are unique in a body's register whatever their capitals, as imports match them."""
    taken = type(obj).objects.filter(organisation_id=obj.organisation_id, name__iexact=obj.name).exclude(pk=obj.pk)
    if taken.exists():
        message = NAME_TAKEN[type(obj)] % {'body': obj.organisation, 'name': obj.name}
        raise ValidationError({'name': message})


def _refuse_if_in_use(obj) -> None:
    """Refuse while equipment lines or another app's records (core.holds: a system's self-assessments and
    evidence, for one) still need `obj`, naming each; the caller has locked it."""
    reasons = []
    if count := obj.equipment.count():
        reasons.append(
            ngettext(
                '%(obj)s still has %(count)s equipment line: move it elsewhere or delete it first.',
                '%(obj)s still has %(count)s equipment lines: move them elsewhere or delete them first.',
                count,
            )
            % {'obj': obj, 'count': count}
        )
    reasons += holds_on(obj)
    if reasons:
        raise ValidationError(' '.join(reasons), code='protected')


# Sites and systems: named places and systems of one body, changed the same way.


def _create_named(model, actor, organisation, message: str, fields: dict):
    check(actor, may_edit_body, organisation.pk)
    obj = model(organisation=organisation, **fields)
    _check_name_free(obj)
    return save_audited(actor, obj, message)


def _update_named(actor, obj, expected_version: int | None, message: str, fields: dict):
    check(actor, may_edit_body, obj.organisation_id)
    _apply(obj, fields)
    _check_name_free(obj)
    return save_audited(actor, obj, message, expected_version=expected_version)


def _delete_unused(actor, obj, expected_version: int | None) -> None:
    check(actor, may_edit_body, obj.organisation_id)
    lock_at_version(obj, expected_version)
    _refuse_if_in_use(obj)
    delete_audited(actor, obj)


@transaction.atomic
def create_site(actor, organisation, *, message: str = '', **fields) -> Site:
    return _create_named(Site, actor, organisation, message, fields)


@transaction.atomic
def update_site(actor, site: Site, expected_version: int | None, *, message: str = '', **fields) -> Site:
    return _update_named(actor, site, expected_version, message, fields)


@transaction.atomic
def delete_site(actor, site: Site, expected_version: int | None = None) -> None:
    _delete_unused(actor, site, expected_version)


@transaction.atomic
def create_system(actor, organisation, *, message: str = '', **fields) -> System:
    return _create_named(System, actor, organisation, message, fields)


@transaction.atomic
def update_system(actor, system: System, expected_version: int | None, *, message: str = '', **fields) -> System:
    return _update_named(actor, system, expected_version, message, fields)


@transaction.atomic
def delete_system(actor, system: System, expected_version: int | None = None) -> None:
    _delete_unused(actor, system, expected_version)


# Equipment lines


def _check_line_organisation(line: EquipmentLine) -> None:
    """A line's site and system are its own body's: never another body's."""
    errors = {}
    for name in ('site', 'system'):
        try:
            related = getattr(line, name)
        except ObjectDoesNotExist:
            continue  # the model's own validation reports a missing site or system
        # Assigning again records the key of a system an import saved after assigning it.
        setattr(line, name, related)
        if related.organisation_id != line.organisation_id:
            errors[name] = f'Choose a {name} of {line.organisation}.'
    if errors:
        raise ValidationError(errors)


def _save_line(actor, line: EquipmentLine, index, message: str, expected_version=None, reidentify=True, validate=True):
    _check_line_organisation(line)
    if reidentify:
        identify_line(index, line)
    return save_audited(actor, line, message, expected_version=expected_version, validate=validate)


# What moves cameras: a change to any of these is a change a system's DPIA may need to consider.
PLACEMENT_FIELDS = ('site', 'system', 'quantity')


def _placement_changes(before: dict, after: dict, site_names: dict) -> dict:
    """{system id: [what changed]} between two snapshots of a line (either may be None)."""
    if before and after and all(before[name] == after[name] for name in PLACEMENT_FIELDS):
        return {}
    changes: dict = {}

    def site(placement) -> str:
        return site_names.get(placement['site']) or f'site {placement["site"]}'

    def say(placement, verb):
        count = placement['quantity']
        words = f'{count} camera{"s" if count != 1 else ""} {verb} at {site(placement)}'
        changes.setdefault(placement['system'], []).append(words)

    if before and after and before['system'] == after['system'] and before['site'] == after['site']:
        return {after['system']: [f'cameras at {site(after)} changed from {before["quantity"]} to {after["quantity"]}']}
    if before:
        say(before, 'removed' if not after else 'moved away')
    if after:
        say(after, 'added' if not before else 'moved in')
    return changes


def _line_placement(line: EquipmentLine | None) -> dict | None:
    if line is None:
        return None
    return {'site': line.site_id, 'system': line.system_id, 'quantity': line.quantity}


# A system's changes are named up to this many, the rest counted: an import moves thousands of cameras, and the
# review task they raise says so in a sentence, not a page.
NAMED_CHANGES = 5


def _more(count: int) -> str:
    return f'{count:,} more change{"s" if count != 1 else ""}'


class Placements:
    """What moved, by system, in words, from (before, after) placements of lines: gathered over an import's
    chunks, announced once (`cameras_changed`)."""

    def __init__(self, organisation_id):
        self.organisation_id, self.named, self.more = organisation_id, {}, {}

    def add(self, pairs) -> None:
        pairs = list(pairs)
        site_ids = {p['site'] for pair in pairs for p in pair if p}
        site_names = dict(Site.objects.filter(pk__in=site_ids).values_list('pk', 'name'))
        for before, after in pairs:
            for system_id, words in _placement_changes(before, after, site_names).items():
                named = self.named.setdefault(system_id, [])
                room = max(NAMED_CHANGES - len(named), 0)
                named.extend(words[:room])
                self.more[system_id] = self.more.get(system_id, 0) + len(words[room:])

    def announce(self) -> None:
        changes = {
            system_id: [*words, _more(self.more[system_id])] if self.more[system_id] else words
            for system_id, words in self.named.items()
        }
        if changes:
            cameras_changed.send(sender=EquipmentLine, organisation_id=self.organisation_id, changes=changes)


def _announce(organisation_id, pairs) -> None:
    """Send `cameras_changed` for (before, after) placements of lines, merged by system."""
    placements = Placements(organisation_id)
    placements.add(pairs)
    placements.announce()


@transaction.atomic
def create_line(actor, organisation, *, message: str = '', **fields) -> EquipmentLine:
    check(actor, may_edit_body, organisation.pk)
    line = EquipmentLine(organisation=organisation, **fields)
    saved = _save_line(actor, line, build_index(), message)
    _announce(organisation.pk, [(None, _line_placement(saved))])
    return saved


@transaction.atomic
def update_line(
    actor, line: EquipmentLine, expected_version: int | None, *, message: str = '', **fields
) -> EquipmentLine:
    """Change a line; who made it is worked out again when its declared identity changes."""
    check(actor, may_edit_body, line.organisation_id)
    stored = EquipmentLine.objects.filter(pk=line.pk).values(*IDENTITY_FIELDS, 'site', 'system', 'quantity').first()
    stored = stored or {}
    placed = {name: stored[name] for name in PLACEMENT_FIELDS} if stored else None
    _apply(line, fields)
    changed = any(stored.get(name) != getattr(line, name) for name in IDENTITY_FIELDS)
    saved = _save_line(
        actor, line, build_index() if changed else None, message, expected_version=expected_version, reidentify=changed
    )
    _announce(line.organisation_id, [(placed, _line_placement(saved))])
    return saved


@transaction.atomic
def delete_line(actor, line: EquipmentLine, expected_version: int | None = None) -> None:
    check(actor, may_edit_body, line.organisation_id)
    placed = _line_placement(line)
    delete_audited(actor, line, expected_version=expected_version)
    _announce(line.organisation_id, [(placed, None)])


# Imports


def _batch_state(batch: ImportBatch) -> dict:
    # The file's bytes stay out of the audit row: its name and digest identify it.
    return {
        'kind': batch.kind,
        'filename': batch.filename,
        'sha256': batch.sha256,
        'status': batch.status,
        'counts': batch.counts,
    }


@transaction.atomic
def upload_import(actor, organisation, kind: str, filename: str, content: bytes) -> ImportBatch:
    """Keep an uploaded file, checked once: its plan is kept with it for the preview and the commit.

    A file that cannot be read as a sheet, or holds no rows, is refused here (and nothing is kept);
    problems in its rows are the preview's to show.
    """
    check(actor, may_edit_body, organisation.pk)
    if hidden := hidden_character(filename):
        raise ValidationError(
            {'file': _('The file name: %(hidden)s') % {'hidden': hidden}}
        )  # it is shown in the list of imports
    batch = ImportBatch.objects.create(
        organisation=organisation,
        user=actor,
        kind=kind,
        filename=filename[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
    )
    try:
        plan = plan_file(batch)
    except SpreadsheetError as exc:
        raise ValidationError({'file': str(exc)}) from exc
    if not plan.rows_read:
        raise ValidationError({'file': _('The file has a header row but no rows of data.')})
    record_change(actor, batch, ObjectChange.Action.CREATE, None, _batch_state(batch), f'Uploaded {filename}')
    return batch


# Why a file no longer awaiting review cannot be imported or discarded (whole messages, to translate whole).
NOT_PENDING = {
    ImportBatch.Status.COMMITTED: _('This file has already been imported.'),
    ImportBatch.Status.DISCARDED: _('This file has already been discarded.'),
}


def pending_batch(actor, batch: ImportBatch) -> ImportBatch:
    """The batch, locked, if the actor may import it and it still awaits review (within a transaction)."""
    batch = ImportBatch.objects.select_for_update().select_related('organisation').get(pk=batch.pk)
    check(actor, may_edit_body, batch.organisation_id)
    if batch.status != ImportBatch.Status.PENDING:
        raise ValidationError(NOT_PENDING[batch.status])
    return batch


def _finish(actor, batch: ImportBatch, status: str, counts: dict, message: str) -> None:
    before = _batch_state(batch)
    # The kept plan served the preview and the commit: a finished batch keeps only the file and its counts.
    batch.status, batch.counts, batch.plan, batch.planned_rows = status, counts, None, None
    batch.save(update_fields=['status', 'counts', 'plan', 'planned_rows'])
    record_change(actor, batch, ObjectChange.Action.UPDATE, before, _batch_state(batch), message)


@transaction.atomic
def commit_import(actor, batch: ImportBatch, fingerprint: str | None = None) -> dict[str, int]:
    """Write every row of a previewed file, or nothing: a single failure rolls the whole import back.

    The plan kept at upload is written while the register is as it was then; when it has changed,
    the file is checked again against the register as it is now, and when the outcome differs from
    the preview the person saw (`fingerprint`), the import is refused so they can review it again.
    """
    # Every upload of this file is locked, in one order, so two uploads of it cannot both be committed.
    same_file = ImportBatch.objects.select_for_update().filter(
        organisation_id=batch.organisation_id, sha256=batch.sha256
    )
    list(same_file.order_by('pk').values_list('pk', flat=True))
    batch = pending_batch(actor, batch)
    earlier = ImportBatch.objects.same_file_imported(batch)
    if earlier is not None:
        when = govuk_datetime(earlier.created)
        raise ValidationError(
            _(
                'This same file was already imported on %(when)s (as %(file)s): nothing was imported, so '
                'nothing is added twice. Discard this upload; to import the file again on purpose, change it first.'
            )
            % {'when': when, 'file': earlier.filename},
            code='duplicate',
        )
    plan = read_batch(batch)
    if plan.problem_count:
        count = plan.problem_count
        raise ValidationError(
            ngettext(
                'The file has %(count)s problem: nothing was imported.',
                'The file has %(count)s problems: nothing was imported.',
                count,
            )
            % {'count': count},
            code='invalid',
        )
    if fingerprint is not None and fingerprint != plan.fingerprint:
        raise ValidationError(
            _('The register changed after you previewed this file: nothing was imported. Review the preview again.'),
            code='stale',
        )
    message = f'Imported from {batch.filename}'
    apply_plan(actor, batch.organisation, plan, message)
    _finish(actor, batch, ImportBatch.Status.COMMITTED, plan.counts, message)
    return plan.counts


@transaction.atomic
def discard_import(actor, batch: ImportBatch) -> None:
    batch = pending_batch(actor, batch)
    _finish(actor, batch, ImportBatch.Status.DISCARDED, {}, f'Discarded {batch.filename}')


WRITE_BATCH = 500  # rows inserted or updated, with their audit rows, in one statement each


@transaction.atomic
def apply_plan(actor, organisation, plan: Plan, message: str) -> None:
    """Write a clean plan (imports) in batches, one audit row per object, read back from the kept plan.

    The importer has already checked every value against its model field (hidden characters too),
    its sites and systems are the body's own, and it identified each distinct declared identity: the
    per-row queries of `full_clean` and of `save_audited` would only repeat that.
    """
    if plan.problem_count:
        raise ValidationError(_('A plan with errors cannot be written.'))
    check(actor, may_edit_body, organisation.pk)
    model = IMPORTERS[plan.kind].model
    # The systems the file names that the body does not have yet, added together (a first import names hundreds).
    new_systems = plan.new_systems  # built anew at each reading
    for system in new_systems:
        system.organisation = organisation
    insert(System, new_systems)
    record_changes(
        actor, [(system, ObjectChange.Action.CREATE, None, _audited(system)) for system in new_systems], message
    )
    systems = {system.name.casefold(): system.pk for system in new_systems}
    rows = plan.iter_rows()
    placements = Placements(organisation.pk)
    while chunk := list(itertools.islice(rows, WRITE_BATCH)):
        created, updated = [], []
        for row in chunk:
            if row.action == 'unchanged':
                continue
            if model is EquipmentLine and row.values['system_id'] is None:
                row.values['system_id'] = systems[row.shown['system'].casefold()]  # a system this import adds
            (created if row.action == 'create' else updated).append(row)
        _create_rows(actor, organisation, model, created, message, placements)
        _update_rows(actor, organisation, model, updated, message, placements)
    placements.announce()


def _audited(obj) -> dict:
    after = snapshot(obj)
    after.pop('version', None)
    return after


def _create_rows(actor, organisation, model, rows, message: str, placements: Placements) -> None:
    objects = [build(model, row.values) for row in rows]
    for obj in objects:
        obj.organisation = organisation
    insert(model, objects)
    record_changes(actor, [(obj, ObjectChange.Action.CREATE, None, _audited(obj)) for obj in objects], message)
    if model is EquipmentLine:
        placements.add((None, _line_placement(obj)) for obj in objects)


def _update_rows(actor, organisation, model, rows, message: str, placements: Placements) -> None:
    """Apply each row to its stored object, locked, refusing the whole import if one changed since the plan."""
    if not rows:
        return
    own = model._base_manager.select_for_update().filter(organisation=organisation)
    stored = own.in_bulk([row.object_id for row in rows])
    changes, fields = [], {'version'}
    for row in rows:
        obj = stored.get(row.object_id)
        if obj is None or obj.version != row.version:
            raise ValidationError(STALE_MESSAGE, code='stale')
        before = _audited(obj)
        for name, value in vars(build(model, row.values)).items():
            if name in row.values:
                setattr(obj, name, value)
        fields.update(row.values)
        obj.version += 1
        changes.append((obj, ObjectChange.Action.UPDATE, before, _audited(obj)))
    model.objects.bulk_update([obj for obj, *_ in changes], sorted(fields))
    record_changes(actor, changes, message)
    if model is EquipmentLine:
        placements.add(({name: before[name] for name in PLACEMENT_FIELDS}, _line_placement(obj))
                       for obj, _action, before, _after in changes)  # fmt: skip


@transaction.atomic
def clear_import_files(before, *, dry_run: bool = False) -> int:
    """Retention (`oversight clean-up`): the stored files of imports uploaded before `before`.

    A file imported or discarded has served its purpose: its name, digest and counts stay as the record
    (the digest still refuses the same file imported twice). A preview left unreviewed that long is
    discarded, with its audit row. Returns how many files went, or with dry_run how many would.
    """
    old = ImportBatch.objects.filter(created__lt=before).exclude(content=b'')
    if dry_run:
        return old.count()
    for batch in old.filter(status=ImportBatch.Status.PENDING).select_for_update():
        _finish(None, batch, ImportBatch.Status.DISCARDED, {}, 'Discarded: not reviewed before its file was removed')
    return old.update(content=b'', plan=None, planned_rows=None)
