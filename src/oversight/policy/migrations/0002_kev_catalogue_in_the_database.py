"""The KEV catalogue moves from a data file inside the installed package into the database, so that
`oversight refresh-kev` reaches every node at once and never writes into the package. The shipped
catalogue (initial_data/kev.json, version 2025.08.25) is loaded here; each entry carries its source.
"""

import json
from pathlib import Path

from django.db import migrations, models
from django.utils import timezone

DATA = Path(__file__).parent / 'initial_data' / 'kev.json'


def load_shipped_catalogue(apps, schema_editor):
    KevCatalogue = apps.get_model('policy', 'KevCatalogue')
    KevEntry = apps.get_model('policy', 'KevEntry')
    document = json.loads(DATA.read_text(encoding='utf-8'))
    KevCatalogue.objects.create(
        title=document['title'],
        catalogue_version=document['catalogVersion'],
        date_released=document['dateReleased'],
        source=document['source'],
        refreshed=timezone.now(),
    )
    in_catalogue = f'{document["source"]}; catalogue version {document["catalogVersion"]}'
    entries = [
        KevEntry(cve=e['cveID'], position=n, entry=e, source=in_catalogue)
        for n, e in enumerate(document['vulnerabilities'])
    ]
    entries += [
        KevEntry(
            cve=e['cveID'],
            secondary=True,
            position=n,
            entry=e,
            source="Secondary sources, not yet confirmed in CISA's catalogue: " + '; '.join(e['sources']),
        )
        for n, e in enumerate(document['additions'])
    ]
    KevEntry.objects.bulk_create(entries)


class Migration(migrations.Migration):
    dependencies = [
        ('policy', '0001_unit_costs_and_settings'),
    ]

    operations = [
        migrations.CreateModel(
            name='KevCatalogue',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200)),
                ('catalogue_version', models.CharField(help_text="CISA's catalogVersion.", max_length=50)),
                (
                    'date_released',
                    models.CharField(help_text="CISA's dateReleased, as the catalogue gives it.", max_length=50),
                ),
                (
                    'source',
                    models.TextField(help_text='Where the catalogue came from, and how its entries were selected.'),
                ),
                ('refreshed', models.DateTimeField()),
                ('revision', models.PositiveIntegerField(default=1)),
            ],
            options={
                'verbose_name': 'KEV catalogue',
            },
        ),
        migrations.CreateModel(
            name='KevEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('cve', models.CharField(max_length=30, unique=True, verbose_name='CVE')),
                ('secondary', models.BooleanField(default=False)),
                (
                    'position',
                    models.PositiveIntegerField(help_text='Its place in the catalogue, so the order is kept.'),
                ),
                ('entry', models.JSONField()),
                ('source', models.TextField()),
            ],
            options={
                'verbose_name': 'KEV entry',
                'verbose_name_plural': 'KEV entries',
                'ordering': ['secondary', 'position'],
            },
        ),
        migrations.RunPython(load_shipped_catalogue, migrations.RunPython.noop),
    ]
