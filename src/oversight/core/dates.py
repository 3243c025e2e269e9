"""Dates and times as GOV.UK writes them, on every page and in every email: `31 December 2026` and
`31 December 2026, 8:50pm` (`9am` on the hour, `midday`, `midnight`), in London time.

PDFs' figures and CSV/XLSX exports keep ISO 8601, which programs read. Django's formats cannot write
`8:50pm` (its am/pm is `p.m.`), so pages use the `govuk_date` and `govuk_datetime` filters
and `govuk_time` (core/templatetags/govuk_dates.py, loaded in every template) and Python code these functions.

In Welsh (the active language is cy) they write `31 Rhagfyr 2026` and `31 Rhagfyr 2026, 8:50yh` (`9yb`,
`canol dydd`, `canol nos`), as GOV.UK's Welsh pages do.
"""

import datetime

from django.utils import timezone
from django.utils.functional import lazy

from .languages import in_welsh

MONTHS = {
    'en': (
        [
            'January',
            'February',
            'March',
            'April',
            'May',
            'June',
            'July',
            'August',
            'September',
            'October',
            'November',
            'December',
        ],
        ('am', 'pm', 'midday', 'midnight'),
    ),
    'cy': (
        [
            'Ionawr',
            'Chwefror',
            'Mawrth',
            'Ebrill',
            'Mai',
            'Mehefin',
            'Gorffennaf',
            'Awst',
            'Medi',
            'Hydref',
            'Tachwedd',
            'Rhagfyr',
        ],
        ('yb', 'yh', 'canol dydd', 'canol nos'),
    ),
}


def _words() -> tuple[list[str], tuple[str, str, str, str]]:
    """The month names and the words for times in the active language: Welsh for cy, else English."""
    return MONTHS['cy' if in_welsh() else 'en']


def govuk_date(value) -> str:
    if not value:
        return ''
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f'{value.day} {_words()[0][value.month - 1]} {value.year}'


# A date written when the text holding it is read, in the language active then (core.languages.interpolate_lazy).
govuk_date_lazy = lazy(govuk_date, str)


def govuk_time(value: datetime.datetime | datetime.time) -> str:
    if not value:
        return ''
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    am, pm, midday, midnight = _words()[1]
    if value.hour == 12 and value.minute == 0:
        return midday
    if value.hour == 0 and value.minute == 0:
        return midnight
    hour = value.hour % 12 or 12
    minutes = f':{value.minute:02d}' if value.minute else ''
    return f'{hour}{minutes}{am if value.hour < 12 else pm}'


def govuk_datetime(value) -> str:
    if not value:
        return ''
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f'{govuk_date(value)}, {govuk_time(value)}'
