"""The audit half of every action: snapshot an object and record the change beside it.

Actions (each app's `actions.py`) call `save_audited` / `delete_audited` inside their own
transaction, so the write and its `ObjectChange` row commit or roll back together.
"""

import datetime
import decimal
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .bulk import insert
from .labels import translated
from .models import ObjectChange
from .text import check_visible_text


def _json_value(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):  # a stored file is recorded by its name in storage
        return value.name
    return value


# Never copied into the audit trail: a password hash is a secret even when hashed.
SECRET_FIELDS = frozenset({'password'})


def snapshot(obj: models.Model, many_to_many: dict | None = None) -> dict:
    """The object's concrete field values as JSON-safe data (foreign keys by their key); `many_to_many` gives the
    keys of its many-to-many fields by name, where the caller knows them (a bulk write), instead of reading them."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name in SECRET_FIELDS:
            continue
        data[field.attname if not field.is_relation else field.name] = _json_value(field.value_from_object(obj))
    for field in obj._meta.many_to_many:
        if many_to_many is not None:
            data[field.name] = sorted(many_to_many[field.name])
        elif obj.pk:
            data[field.name] = sorted(o.pk for o in field.value_from_object(obj))
    return data


def current_states(live: models.QuerySet) -> dict[str, dict]:
    """Each object's state now, by key, as the audit trail records one (without its version)."""
    states = {}
    for obj in live:
        states[str(obj.pk)] = snapshot(obj)
        states[str(obj.pk)].pop('version', None)
    return states


def states_as_of(live: models.QuerySet, body: str, moments: dict) -> dict[int, dict[str, dict]]:
    """For each body in `moments` (id: datetime), the state at its moment of its objects of one model, by key,
    from the audit trail; `live` holds the objects they have now and `body` is its path to their body
    ('organisation', 'system__organisation').

    The rule: each object as it is now, with every audited change after the moment undone, newest first (so as
    the earliest of them found it; None where that change created it). An object gone without an audit row
    of its own (deleted with its parent by a cascade) is as its last change up to the moment left it. Only
    audited writes are seen: the states are the history as the audit trail holds it. A few queries whatever
    the number of bodies: an import rebuilds thousands at once.
    """
    states: dict[int, dict[str, dict | None]] = {organisation_id: {} for organisation_id in moments}
    for obj in live.filter(**{f'{body}__in': list(moments)}).annotate(audit_body=models.F(body)):
        state = states[obj.audit_body][str(obj.pk)] = snapshot(obj)
        state.pop('version', None)
    changes = (
        ObjectChange.objects.filter(
            content_type=ContentType.objects.get_for_model(live.model, for_concrete_model=True),
            organisation_id__in=list(moments),
        )
        .order_by('-time', '-pk')
        .values_list('organisation_id', 'object_id', 'time', 'before', 'after')
    )
    last_kept: dict[int, dict] = {organisation_id: {} for organisation_id in moments}
    for organisation_id, key, time, before, after in changes.iterator(chunk_size=2_000):
        if time > moments[organisation_id]:
            states[organisation_id][key] = before
        else:
            last_kept[organisation_id].setdefault(key, after)
    for organisation_id, kept in last_kept.items():
        for key, after in kept.items():
            states[organisation_id].setdefault(key, after)
    return {
        organisation_id: {key: state for key, state in held.items() if state is not None}
        for organisation_id, held in states.items()
    }


def bodies_holding(live: models.QuerySet, body: str) -> set[int]:
    """The bodies that hold objects of `live`'s model now, or held any by the audit trail; `body` as for
    `states_as_of`. Only these can have had one at any moment."""
    now = live.order_by().values_list(body, flat=True).distinct()
    held = (
        ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(live.model, for_concrete_model=True))
        .order_by()
        .values_list('organisation_id', flat=True)
        .distinct()
    )
    return set(now) | set(held)


def organisation_of(obj: models.Model):
    """The organisation an object belongs to, for scoping its history (None for reference data)."""
    organisation_id = getattr(obj, 'organisation_id', None)
    if organisation_id is None and obj._meta.label == 'organisations.Organisation':
        organisation_id = obj.pk
    return organisation_id


def _change(actor, obj, action: str, before: dict | None, after: dict | None, message: str, time) -> ObjectChange:
    return ObjectChange(
        time=time,
        user=actor if getattr(actor, 'pk', None) else None,
        user_name=getattr(actor, 'username', '') or 'system',
        organisation_id=organisation_of(obj),
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        before=before,
        after=after,
        message=message[:300],
    )


# Sent after audit rows are recorded (in the writing transaction) with `changed`, the set of (organisation id,
# model label such as "register.equipmentline") they touched: an app whose derived data follows others'
# (policy's stored pages) listens here rather than being called by them.
changes_recorded = Signal()


def model_label(content_type: ContentType) -> str:
    """The model an audit row records, as `changes_recorded` names it ("register.equipmentline")."""
    return f'{content_type.app_label}.{content_type.model}'


def record_change(actor, obj, action: str, before: dict | None, after: dict | None, message: str = '') -> ObjectChange:
    change = _change(actor, obj, action, before, after, message, timezone.now())
    change.save()
    changes_recorded.send(ObjectChange, changed={(change.organisation_id, model_label(change.content_type))})
    return change


def record_changes(actor, changes, message: str = '') -> None:
    """Record many changes at once (an import's chunk of lines): still one audit row per object.

    `changes` holds (obj, action, before, after), or with a message of its own after them; the rows are
    inserted together, as the objects were.
    """
    now = timezone.now()
    rows = [_change(actor, obj, action, before, after, own[0] if own else message, now)
            for obj, action, before, after, *own in changes]  # fmt: skip
    insert(ObjectChange, rows)
    changes_recorded.send(ObjectChange, changed={(row.organisation_id, model_label(row.content_type)) for row in rows})


STALE_MESSAGE = (
    'Someone else saved a change to this record after you opened it. Nothing you entered was saved: '
    'reload the page to see their change, then make yours again.'
)


@transaction.atomic
def save_audited(
    actor,
    obj: models.Model,
    message: str = '',
    *,
    validate: bool = True,
    m2m: dict | None = None,
    expected_version: int | None = None,
):
    """Validate, save and audit `obj`; `m2m` maps many-to-many field names to their new values.

    Models with a `version` field get optimistic locking: the stored row is locked, and when
    `expected_version` (the version the editor started from) is stale the save is refused.
    """
    before = None
    if obj.pk is not None:
        # Ordered by the key alone: a model's default ordering through a nullable relation would join it,
        # and PostgreSQL cannot lock the nullable side of an outer join.
        stored = type(obj)._base_manager.select_for_update().filter(pk=obj.pk).order_by('pk').first()
        before = snapshot(stored) if stored is not None else None
        if stored is not None and hasattr(stored, 'version'):
            if expected_version is not None and stored.version != expected_version:
                raise ValidationError(STALE_MESSAGE, code='stale')
            obj.version = stored.version + 1
            before.pop('version', None)
    # Even where the caller has validated (imports), hidden characters are never saved.
    check_visible_text(obj)
    if validate:
        obj.full_clean()
    obj.save()
    for name, values in (m2m or {}).items():
        getattr(obj, name).set(values)
    after = snapshot(obj)
    after.pop('version', None)
    if before != after:
        action = ObjectChange.Action.CREATE if before is None else ObjectChange.Action.UPDATE
        record_change(actor, obj, action, before, after, message)
    return obj


def lock_at_version(obj: models.Model, expected_version: int | None) -> None:
    """Lock the stored row; refuse when it is gone or (with a version) changed since it was shown."""
    columns = ('pk', 'version') if hasattr(obj, 'version') else ('pk',)
    stored = type(obj)._base_manager.select_for_update().filter(pk=obj.pk).order_by('pk').values_list(*columns).first()
    if stored is None:
        raise ValidationError(_('This %(thing)s has been deleted.') % {'thing': translated(obj._meta.verbose_name)})
    if expected_version is not None and stored[-1] != expected_version:
        raise ValidationError(STALE_MESSAGE, code='stale')


@transaction.atomic
def delete_audited(actor, obj: models.Model, message: str = '', *, expected_version: int | None = None) -> None:
    """Delete and audit `obj`; with `expected_version`, only if it is still the version the person confirmed."""
    lock_at_version(obj, expected_version)
    before = snapshot(obj)
    record_change(actor, obj, ObjectChange.Action.DELETE, before, None, message)
    obj.delete()
