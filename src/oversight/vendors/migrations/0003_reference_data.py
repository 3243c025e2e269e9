"""Load the reference data: makers and their names, brands, corporate relations, concern lists.

The facts live in initial_data/*.json, each row with its source (see docs/vendors.md). A later
change to the shipped reference data goes in a new data migration, so that databases which
already ran this one receive it too.
"""

import datetime
import json
from pathlib import Path

from django.db import migrations

from oversight.vendors.reference_data import load_brands, load_makers

DATA = Path(__file__).parent / 'initial_data'


def _read(name):
    return json.loads((DATA / name).read_text(encoding='utf-8'))


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def load(apps, schema_editor):
    CorporateRelation = apps.get_model('vendors', 'CorporateRelation')
    ConcernList = apps.get_model('vendors', 'ConcernList')
    Designation = apps.get_model('vendors', 'Designation')

    owner_of_key = {}
    makers = load_makers(apps, _read('manufacturers.json'), owner_of_key)
    load_brands(apps, _read('brands.json'), makers, owner_of_key)

    for row in _read('corporate-relations.json'):
        CorporateRelation.objects.get_or_create(
            parent=makers[row['parent']],
            child=makers[row['child']],
            kind=row['kind'],
            defaults={
                'since': _date(row['since']),
                'until': _date(row['until']),
                'source_url': row['source_url'],
                'notes': row['notes'],
            },
        )

    for row in _read('concern-lists.json'):
        fields = ('name', 'authority', 'instrument', 'jurisdiction', 'covers_affiliates', 'description', 'source_url')
        concern_list, _ = ConcernList.objects.get_or_create(
            slug=row['slug'], defaults={**{k: row[k] for k in fields}, 'date': _date(row['date'])}
        )
        for item in row['designations']:
            Designation.objects.get_or_create(
                concern_list=concern_list,
                manufacturer=makers[item['manufacturer']],
                defaults={
                    'date': _date(item['date']),
                    'scope': item['scope'],
                    'reason': item['reason'],
                    'source_url': item['source_url'],
                    'notes': item['notes'],
                },
            )


def unload(apps, schema_editor):
    for model in ('Designation', 'ConcernList', 'CorporateRelation', 'Brand', 'ManufacturerName', 'Manufacturer'):
        apps.get_model('vendors', model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [('vendors', '0002_name_keys_versions_and_sources')]
    operations = [migrations.RunPython(load, unload)]
