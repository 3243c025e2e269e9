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

from django.utils.module_loading import import_string

from .declared import by_label


@cache
def registry() -> dict[str, list]:
    """Model label -> the functions naming what holds its objects, gathered once from every app."""
    return by_label('holds', import_string)


def holds_on(obj) -> list[str]:
    """Every app's sentences on what still needs `obj`, in INSTALLED_APPS order: empty when it may go."""
    return [str(hold) for holds in registry().get(obj._meta.label, []) for hold in holds(obj)]
