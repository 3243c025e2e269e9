"""Loading shipped reference data (initial_data/*.json) into the vendors tables, for data migrations.

Each data migration passes its historical `apps`, so the code works on the tables as they were when the
migration was written. A name's resolution key belongs to one maker only: resolution must never choose.
"""

from django.utils.text import slugify

from .resolution import normalise


def name_owners(apps) -> dict[str, str]:
    """Resolution key -> the canonical maker it already names."""
    ManufacturerName = apps.get_model('vendors', 'ManufacturerName')
    return dict(ManufacturerName.objects.values_list('normalised', 'manufacturer__name'))


def load_makers(apps, rows, owner_of_key: dict[str, str]) -> dict:
    """Makers and their names; returns every maker in the database by canonical name."""
    Manufacturer = apps.get_model('vendors', 'Manufacturer')
    ManufacturerName = apps.get_model('vendors', 'ManufacturerName')
    for row in rows:
        maker, _ = Manufacturer.objects.get_or_create(
            slug=slugify(row['name']),
            defaults={k: row[k] for k in ('name', 'country', 'website', 'source_url', 'notes')},
        )
        names = [{'name': row['name'], 'kind': 'canonical', 'source_url': row['source_url']}, *row['names']]
        for name in names:
            _add_name(ManufacturerName, maker, name, owner_of_key)
    return {maker.name: maker for maker in Manufacturer.objects.all()}


def load_names(apps, rows, owner_of_key: dict[str, str]) -> None:
    """More names of makers already in the database (a spelling registers use, a legal name)."""
    Manufacturer = apps.get_model('vendors', 'Manufacturer')
    ManufacturerName = apps.get_model('vendors', 'ManufacturerName')
    for row in rows:
        _add_name(ManufacturerName, Manufacturer.objects.get(name=row['maker']), row, owner_of_key)


def _add_name(ManufacturerName, maker, name: dict, owner_of_key: dict[str, str]) -> None:
    key = normalise(name['name'])
    if not key or owner_of_key.setdefault(key, maker.name) != maker.name:
        raise ValueError(f'Name "{name["name"]}" of {maker.name} is empty or also names {owner_of_key[key]}.')
    ManufacturerName.objects.get_or_create(
        manufacturer=maker,
        name=name['name'],
        defaults={'normalised': key, 'kind': name['kind'], 'source_url': name['source_url']},
    )


def load_brands(apps, rows, makers: dict, owner_of_key: dict[str, str]) -> None:
    Brand = apps.get_model('vendors', 'Brand')
    for row in rows:
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
