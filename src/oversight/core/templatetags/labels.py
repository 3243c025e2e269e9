"""{{ value|translated }} in every template (a builtin in settings.TEMPLATES): a label a model keeps in English
(a choice's label, `get_kind_display`) in the page's language, where core/labels.py declares it (docs/welsh.md)."""

from django import template

from oversight.core.labels import translated

register = template.Library()
register.filter('translated', translated)
