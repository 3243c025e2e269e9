"""Makers and brands that the identification signatures name (issue 11): ANPR, drone, body-worn and CCTV
makers of no concern, other China-based makers, and the sub-brands of makers already here.

Without them a device identified as, say, a Milesight camera could not be linked to its maker in the
register. Also more names of makers already here, as registers write them. The facts, each with its
source, are in initial_data/makers-named-by-signatures.json.
"""

import json
from pathlib import Path

from django.db import migrations

from oversight.vendors.reference_data import load_brands, load_makers, load_names, name_owners

DATA = Path(__file__).parent / 'initial_data' / 'makers-named-by-signatures.json'


def load(apps, schema_editor):
    data = json.loads(DATA.read_text(encoding='utf-8'))
    owner_of_key = name_owners(apps)
    makers = load_makers(apps, data['manufacturers'], owner_of_key)
    load_names(apps, data['names'], owner_of_key)
    load_brands(apps, data['brands'], makers, owner_of_key)


def unload(apps, schema_editor):
    data = json.loads(DATA.read_text(encoding='utf-8'))
    ManufacturerName = apps.get_model('vendors', 'ManufacturerName')
    ManufacturerName.objects.filter(name__in=[row['name'] for row in data['names']]).delete()
    apps.get_model('vendors', 'Brand').objects.filter(name__in=[row['name'] for row in data['brands']]).delete()
    names = [row['name'] for row in data['manufacturers']]
    apps.get_model('vendors', 'Manufacturer').objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [('vendors', '0005_brand_and_relation_constraints')]
    operations = [migrations.RunPython(load, unload)]
