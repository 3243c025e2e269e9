"""{{ value|translated }} in every template (a builtin in settings.TEMPLATES): a label a model keeps in English
(a choice's label, `get_kind_display`) in the page's language, where core/labels.py declares it (docs/welsh.md)."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def translated(label) -> str:
    return gettext(str(label)) if label else label
