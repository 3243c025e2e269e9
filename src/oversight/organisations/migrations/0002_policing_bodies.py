"""Load the 47 policing bodies the Commissioner surveyed in 2022, and the regulator itself."""

import csv
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

DATA = Path(__file__).parent / 'initial_data' / 'policing-bodies.csv'
GROUP = 'Policing bodies, England and Wales'
REGULATOR = 'Office of the Biometrics and Surveillance Camera Commissioner'
REGULATOR_SOURCE = 'https://www.gov.uk/government/organisations/biometrics-and-surveillance-camera-commissioner'


def load(apps, schema_editor):
    Organisation = apps.get_model('organisations', 'Organisation')
    OrganisationGroup = apps.get_model('organisations', 'OrganisationGroup')
    group, _ = OrganisationGroup.objects.get_or_create(
        slug='policing-bodies-england-wales',
        defaults={
            'name': GROUP,
            'description': 'The 43 territorial police forces of England and Wales, '
            'British Transport Police, Civil Nuclear Constabulary, Ministry of Defence Police and the '
            'National Crime Agency: the recipients of the 2022 police survey.',
        },
    )
    with DATA.open(newline='') as f:
        for row in csv.DictReader(f):
            org, _ = Organisation.objects.get_or_create(
                slug=slugify(row['name']),
                defaults={'name': row['name'], 'kind': row['kind'], 'country': row['country'], 'source': row['source']},
            )
            org.groups.add(group)
    Organisation.objects.get_or_create(
        slug='obscc',
        defaults={'name': REGULATOR, 'kind': 'regulator', 'country': 'United Kingdom', 'source': REGULATOR_SOURCE},
    )


def unload(apps, schema_editor):
    apps.get_model('organisations', 'OrganisationGroup').objects.filter(slug='policing-bodies-england-wales').delete()


class Migration(migrations.Migration):
    dependencies = [('organisations', '0001_initial')]
    operations = [migrations.RunPython(load, unload)]
