"""Load the reference data: makers and their names, brands, corporate relations, concern lists.

The facts live in initial_data/*.json, each row with its source (see docs/vendors.md). A later
change to the shipped reference data goes in a new data migration, so that databases which
already ran this one receive it too.
"""

import datetime
import json
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

from oversight.vendors.resolution import normalise

DATA = Path(__file__).parent / 'initial_data'


def _read(name):
    return json.loads((DATA / name).read_text(encoding='utf-8'))


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def load(apps, schema_editor):
    Manufacturer = apps.get_model('vendors', 'Manufacturer')
    ManufacturerName = apps.get_model('vendors', 'ManufacturerName')
    Brand = apps.get_model('vendors', 'Brand')
    CorporateRelation = apps.get_model('vendors', 'CorporateRelation')
    ConcernList = apps.get_model('vendors', 'ConcernList')
    Designation = apps.get_model('vendors', 'Designation')

    makers = {}
    owner_of_key = {}
    for row in _read('manufacturers.json'):
        maker, _ = Manufacturer.objects.get_or_create(
            slug=slugify(row['name']),
            defaults={k: row[k] for k in ('name', 'country', 'website', 'source_url', 'notes')},
        )
        makers[maker.name] = maker
        names = [{'name': row['name'], 'kind': 'canonical', 'source_url': row['source_url']}, *row['names']]
        for name in names:
            key = normalise(name['name'])
            # A key belongs to one maker only: resolution must never have to choose.
            if not key or owner_of_key.setdefault(key, maker.name) != maker.name:
                raise ValueError(f'Name "{name["name"]}" of {maker.name} is empty or also names {owner_of_key[key]}.')
            ManufacturerName.objects.get_or_create(
                manufacturer=maker,
                name=name['name'],
                defaults={'normalised': key, 'kind': name['kind'], 'source_url': name['source_url']},
            )

    for row in _read('brands.json'):
        key = normalise(row['name'])
        named = owner_of_key.get(key)
        if named and named not in (row['owner'], row['made_by']):
            raise ValueError(f'Brand {row["name"]} reads the same as a name of {named}.')
        Brand.objects.get_or_create(
            slug=slugify(row['name']),
            defaults={
                'name': row['name'],
                'normalised': key,
                'kind': row['kind'],
                'owner': makers[row['owner']] if row['owner'] else None,
                'made_by': makers[row['made_by']],
                'confidence': row['confidence'],
                'evidence': row['evidence'],
                'source_url': row['source_url'],
                'notes': row['notes'],
            },
        )

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
