"""The date filters every template has (a builtin in settings.TEMPLATES): see core/dates.py."""

from django import template

from oversight.core import dates

register = template.Library()
register.filter('govuk_date', dates.govuk_date)
register.filter('govuk_datetime', dates.govuk_datetime)
register.filter('govuk_time', dates.govuk_time)
