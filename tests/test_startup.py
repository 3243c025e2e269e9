"""What every command loads before it starts: nothing only pages use (CONTRIBUTING.md, "Commands start fast")."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps

# Libraries only pages, reports or the web server use: a person waits for every command's start-up.
PAGE_ONLY = ('django_tables2', 'gunicorn', 'weasyprint', 'matplotlib')
# The date columns django-tables2 gives a model's date fields of a table built in a fresh process, where
# only the app's tables.py can have registered core.tables' own.
DATE_COLUMNS = """import sys, django; django.setup()
import importlib, django_tables2
module = importlib.import_module(sys.argv[1])
own = (django_tables2.DateColumn, django_tables2.DateTimeColumn)
for table in vars(module).values():
    if isinstance(table, type) and issubclass(table, django_tables2.Table) and table.__module__ == module.__name__:
        print(*(f'{table.__name__}.{n}' for n, column in table.base_columns.items() if isinstance(column, own)))
"""


def _python(*args: str) -> str:
    """The output of a fresh Python process on the suite's settings."""
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, check=True).stdout


def test_a_command_imports_no_page_only_library():
    loaded = _python('-c', 'import sys, django; django.setup(); print(*sys.modules)').split()
    roots = {name.split('.')[0] for name in loaded}
    assert roots.isdisjoint(PAGE_ONLY), sorted(roots.intersection(PAGE_ONLY))


@pytest.mark.parametrize(
    'module',
    [
        f'{config.name}.tables'
        for config in apps.get_app_configs()
        if config.name.startswith('oversight.') and config.name != 'oversight.core'
        if (Path(config.path) / 'tables.py').exists()
    ],
)
def test_a_table_draws_dates_as_govuk_writes_them(module):
    """Each tables.py imports core.tables, whose columns write dates as GOV.UK does, before building its
    tables: core's AppConfig no longer does, so commands need not import django-tables2."""
    assert _python('-c', DATE_COLUMNS, module).split() == []
