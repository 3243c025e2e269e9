"""Retention: what each app removes once it has outlived its setting (`oversight clean-up`).

An app declares its kinds of record on its AppConfig, so core's command imports none of them:

    retention = [Retention('register import files', 'oversight.register.actions.clear_import_files',
                           'OVERSIGHT_RETAIN_IMPORT_FILES_DAYS', 'uploaded more than {days} days ago')]

`remove(before, *, dry_run)` returns how many went (or would); without a setting, the records carry their
own expiry and `remove(*, dry_run)` is called alone. Kinds are removed in INSTALLED_APPS order.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Retention:
    what: str  # in the plural, as the command reports it: 'register import files'
    remove: str  # dotted path of the function
    setting: str = ''  # OVERSIGHT_RETAIN_*_DAYS; empty when each record says when it expires
    why: str = 'expired'  # '{days}' is replaced by the setting's value

    def run(self, now: datetime.datetime, *, dry_run: bool) -> tuple[str, int, str]:
        remove = import_string(self.remove)
        if not self.setting:
            return self.what, remove(dry_run=dry_run), self.why
        days = getattr(settings, self.setting)
        return self.what, remove(now - datetime.timedelta(days=days), dry_run=dry_run), self.why.format(days=days)


def kinds() -> list[Retention]:
    return [kind for config in apps.get_app_configs() for kind in getattr(config, 'retention', [])]
