"""An object's history in people's words: field labels, choices by their label, linked records by name.

The words are the reader's language (the labels are declared in core/labels.py); the values and the
message each change was recorded with stay as recorded.

The audit rows keep raw values (a foreign key as its key), which stay true when names change; this turns
them into what the history table shows. Linked records are looked up through the reader's own scope, so
a history never names a record the reader could not open: such a record shows as its number.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import ForeignObjectRel
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext

from .dates import govuk_datetime
from .labels import translated
from .models import ObjectChange


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str | None
    after: str | None


@dataclass
class HistoryEntry:
    change: ObjectChange
    fields: list[FieldChange] = field(default_factory=list)


def readable_history(changes, user) -> list[HistoryEntry]:
    # Each change's fields with their model field, worked out once for the name lookup and the display.
    described = [(change, _described_fields(change)) for change in changes]
    names = _linked_names([f for _, fields in described for f in fields], user)
    entries = []
    for change, fields in described:
        entry = HistoryEntry(change)
        for name, model_field, before, after in fields:
            if name == 'event' and change.action == ObjectChange.Action.EVENT:
                continue  # the kind of account event: the change's message says it in words
            label = _label(name, model_field)
            if isinstance(before, dict | None) and isinstance(after, dict | None):
                # A document (a return's answers): each answer that changed, not the whole document twice.
                before, after = before or {}, after or {}
                entry.fields += [
                    FieldChange(f'{label} › {key}', _text(before.get(key)), _text(after.get(key)))
                    for key in sorted(set(before) | set(after))
                    if before.get(key) != after.get(key)
                ]
            else:
                shown = (_display(model_field, before, names), _display(model_field, after, names))
                if any(shown):  # a blank field made blank says nothing (a new record's empty fields)
                    entry.fields.append(FieldChange(label, *shown))
        entries.append(entry)
    return entries


def _label(name: str, model_field) -> str:
    return capfirst(name.replace('_', ' ')) if model_field is None else gettext(capfirst(model_field.verbose_name))


def _described_fields(change: ObjectChange) -> list[tuple]:
    """(name, model field or None, before, after) for every field the change changed."""
    model = change.content_type.model_class()
    return [(name, _field(model, name), before, after) for name, before, after in change.changed_fields()]


def _field(model, name: str):
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    # A reverse relation (an invitation's contacts) is recorded as plain values, not keys of a field.
    return None if isinstance(found, ForeignObjectRel) else found


def _linked_names(fields, user) -> dict:
    """{(related model, key): name} for every linked record the fields mention, one query per model."""
    wanted = defaultdict(set)
    for _, model_field, before, after in fields:
        if model_field is None or not model_field.is_relation:
            continue
        for value in (before, after):
            keys = value if isinstance(value, list) else [value]
            wanted[model_field.related_model].update(k for k in keys if isinstance(k, int | str))
    names = {}
    for related, keys in wanted.items():
        manager = related._default_manager
        visible = manager.for_user(user) if hasattr(manager, 'for_user') else manager.all()
        names.update({(related, pk): str(obj) for pk, obj in visible.in_bulk(list(keys)).items()})
    return names


def _display(model_field, value, names: dict) -> str | None:
    if value is None:
        return None
    if model_field is not None and model_field.is_relation:
        keys = value if isinstance(value, list) else [value]
        shown = [names.get((model_field.related_model, key), f'#{key}') for key in keys]
        return ', '.join(shown) if shown else gettext('none')
    if model_field is not None and model_field.choices:
        return translated(dict(model_field.flatchoices).get(value, value))
    moment = parse_datetime(value) if isinstance(model_field, models.DateTimeField) and isinstance(value, str) else None
    if moment is not None:
        return govuk_datetime(moment)
    return _text(value)  # booleans as yes/no there too


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return gettext('yes') if value else gettext('no')
    if isinstance(value, list):
        return '; '.join(_text(v) or '' for v in value)
    if isinstance(value, dict):
        return ', '.join(f'{k}: {_text(v)}' for k, v in value.items() if v not in ('', None, []))
    return str(value)
