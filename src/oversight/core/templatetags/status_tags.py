"""{% status_tag status label %} in every template (a builtin in settings.TEMPLATES): see core/status.py."""

from django import template

from oversight.core import status

register = template.Library()
register.simple_tag(status.status_tag, name='status_tag')
