"""What apps declare on their AppConfig about other apps' models, gathered by model label (panels, holds).

An app names entries under an attribute of its AppConfig, keyed by model label, one or a list of them:

    panels = {'register.System': 'compliance/system_panel.html'}
"""

from django.apps import apps


def by_label(attribute: str, load) -> dict[str, list]:
    """Model label -> `load(entry)` of every entry apps declare under `attribute`, in INSTALLED_APPS order."""
    found: dict[str, list] = {}
    for config in apps.get_app_configs():
        for label, entries in getattr(config, attribute, {}).items():
            for entry in [entries] if isinstance(entries, str) else entries:
                found.setdefault(label, []).append(load(entry))
    return found
