"""The table of the cache every node shares (settings.CACHES: the API's throttle counts), when the
cache is the database's. `migrate` makes it, so `make demo`, the tests and a deployment's release step
need nothing else; with Redis configured there is nothing to make."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command('createcachetable', database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [('core', '0002_indexes_for_sorts_and_filters')]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
