"""Holds: records of one app that still need another app's object, so that the object is not deleted under them.

The app that deletes an object does not know which apps keep records about it (the register does not import
compliance). An app whose records need another app's objects says so on its AppConfig, keyed by the model's
label (as `panels` are, core/panels.py):

    holds = {'register.System': 'oversight.compliance.models.holds_on_system'}

A value is the dotted path of a function `holds(obj) -> list[str]` (or a list of them): each thing of that
app's that still needs `obj`, as a whole sentence in the reader's words that says what to do, or nothing. The
deleting action asks `holds_on(obj)` with the object locked and refuses while any app answers.
"""

from functools import cache

from django.apps import apps
from django.utils.module_loading import import_string


@cache
def registry() -> dict[str, list]:
    """Model label -> the functions naming what holds its objects, gathered once from every app."""
    found: dict[str, list] = {}
    for config in apps.get_app_configs():
        for label, paths in getattr(config, 'holds', {}).items():
            for path in [paths] if isinstance(paths, str) else paths:
                found.setdefault(label, []).append(import_string(path))
    return found


def holds_on(obj) -> list[str]:
    """Every app's sentences on what still needs `obj`, in INSTALLED_APPS order: empty when it may go."""
    return [str(hold) for holds in registry().get(obj._meta.label, []) for hold in holds(obj)]
