"""Table columns every app shares: dates as GOV.UK writes them on the page, ISO 8601 in exports; choice labels
in the page's language on the page, in English in exports.

Registered with django-tables2, so a table's date, date-and-time and choice model fields get them by themselves:
every app's tables.py imports this module before building its tables (core's AppConfig does not, so that
commands, which draw no tables, need not import django-tables2).
"""

import django_tables2 as tables
from django.db import models
from django_tables2.columns import library

from .dates import govuk_date, govuk_datetime
from .labels import translated


@library.register
class DateTimeColumn(tables.Column):
    @classmethod
    def from_field(cls, field, **kwargs):
        return cls(**kwargs) if isinstance(field, models.DateTimeField) else None

    def render(self, value):
        return govuk_datetime(value)

    def value(self, value):
        return value.isoformat() if value else ''


@library.register
class DateColumn(tables.Column):
    @classmethod
    def from_field(cls, field, **kwargs):
        is_date = isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField)
        return cls(**kwargs) if is_date else None

    def render(self, value):
        return govuk_date(value)

    def value(self, value):
        return value.isoformat() if value else ''


@library.register
class ChoiceColumn(tables.Column):
    """A field with choices: django-tables2 gives its label (English, as the model keeps it), translated here as
    the page shows it (core/labels.py declares the labels); exports keep the English, so they re-import."""

    @classmethod
    def from_field(cls, field, **kwargs):
        return cls(**kwargs) if getattr(field, 'choices', None) else None

    def render(self, value):
        return translated(value)

    def value(self, value):
        return value


class CountColumn(tables.Column):
    """A number of things: right-aligned (core/table.html reads `numeric`) and written with its thousands
    separated, as GOV.UK writes numbers; the number itself in exports."""

    numeric = True

    def render(self, value):
        return f'{value:,}'

    def value(self, value):
        return value
