"""Panels: what one app shows on another app's detail pages, without the page's app importing it.

An app declares them on its AppConfig, keyed by the label of the model whose page shows them (as NetBox
registers views for other apps' models):

    panels = {'register.System': 'oversight.compliance.panels.system_panel'}

A value is a template name (ending in .html, rendered with the page's object as `object`) or the dotted
path of a function `panel(request, obj) -> str` returning HTML (empty for no panel). Several for one model:
a list. `{% object_panels object %}` (core/object_detail.html) renders them in INSTALLED_APPS order.

A page that shows no object is keyed by its own name instead of a model label (`'home'`: the overview),
and rendered by `{% page_panels 'home' %}`; its functions are called with `obj` None.
"""

from functools import cache

from django.template.loader import render_to_string
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe

from .declared import by_label


@cache
def registry() -> dict[str, list]:
    """Model label -> its panels (template names and functions), gathered once from every app."""
    return by_label('panels', lambda entry: entry if entry.endswith('.html') else import_string(entry))


def render_panels(request, obj, key: str = '') -> str:
    """The panels registered for `obj`'s model, or for the page named `key`."""
    parts = []
    for panel in registry().get(key or obj._meta.label, []):
        if callable(panel):
            parts.append(panel(request, obj))
        else:
            parts.append(render_to_string(panel, {'object': obj}, request=request))
    return mark_safe(''.join(parts))  # each part is a rendered template, escaped as it was rendered
