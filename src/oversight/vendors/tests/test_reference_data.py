import datetime

import pytest

from oversight.vendors.models import Brand, ConcernList, CorporateRelation, Designation, Manufacturer, ManufacturerName

REFERENCE_MODELS = [Manufacturer, ManufacturerName, Brand, CorporateRelation, ConcernList, Designation]


@pytest.mark.parametrize('model', REFERENCE_MODELS, ids=lambda m: m.__name__)
def test_every_seeded_row_cites_a_web_source_and_is_valid(db, model):
    rows = list(model.objects.all())
    assert rows, f'no {model.__name__} rows were seeded'
    for row in rows:
        assert row.source_url.startswith('https://'), f'{model.__name__} {row} has no source'
        row.full_clean()


def test_the_makers_findings_print_are_seeded_with_their_country(db):
    countries = dict(Manufacturer.objects.values_list('name', 'country'))
    for maker in ('Hikvision', 'Dahua', 'Huawei', 'DJI', 'Uniview', 'Hytera', 'ZTE', 'Autel Robotics'):
        assert countries[maker] == 'China'
    assert countries['Honeywell'] == 'United States'
    assert countries['Nuuo'] == 'Taiwan'
    for maker in ('Axis', 'Bosch', 'Hanwha Vision', 'Motorola Solutions', 'i-PRO', 'Milestone Systems', 'Genetec'):
        assert countries[maker] and countries[maker] != 'China'
    assert {'Reveal', 'Axon', 'Parrot'} <= set(countries)


def test_legal_names_are_recorded(db):
    assert Manufacturer.objects.get(name='Hikvision').legal_names == ['Hangzhou Hikvision Digital Technology Co., Ltd.']
    assert Manufacturer.objects.get(name='ZTE').legal_names == ['ZTE Corporation']


def test_relabels_carry_confidence_and_evidence(db):
    for name, made_by, confidence in [
        ('Lorex', 'Dahua', 'high'),
        ('LTS', 'Hikvision', 'high'),
        ('Amcrest', 'Dahua', 'high'),
        ('Honeywell', 'Dahua', 'medium'),
    ]:
        brand = Brand.objects.get(name=name)
        assert (brand.kind, brand.made_by.name, brand.confidence) == ('relabel', made_by, confidence)
        assert brand.evidence


def test_lorex_was_a_dahua_subsidiary_until_its_sale_in_november_2022(db):
    relation = CorporateRelation.objects.get(parent__name='Dahua', child__name='Lorex')
    assert relation.until == datetime.date(2022, 11, 23)


def designated(slug):
    return {
        d.manufacturer.name: d.date
        for d in Designation.objects.filter(concern_list__slug=slug).select_related('manufacturer')
    }


def test_the_commissioners_2022_list_is_as_published(db):
    assert designated('obscc-2022') == dict.fromkeys(
        ['Dahua', 'Hikvision', 'Honeywell', 'Huawei', 'Nuuo', 'DJI'], datetime.date(2023, 2, 15)
    )
    assert ConcernList.objects.get(slug='obscc-2022').covers_affiliates


def test_us_designations_carry_their_dates(db):
    assert set(designated('ndaa-889')) == {'Huawei', 'ZTE', 'Hytera', 'Hikvision', 'Dahua'}
    fcc = designated('fcc-covered-list')
    assert fcc['Hikvision'] == datetime.date(2021, 3, 12)
    assert fcc['DJI'] == fcc['Autel Robotics'] == datetime.date(2025, 12, 22)
    assert designated('us-entity-list') == {
        'Huawei': datetime.date(2019, 5, 16),
        'Hikvision': datetime.date(2019, 10, 9),
        'Dahua': datetime.date(2019, 10, 9),
        'DJI': datetime.date(2020, 12, 18),
    }
    assert designated('ns-cmic') == {
        'Hikvision': datetime.date(2021, 6, 3),
        'Huawei': datetime.date(2021, 6, 3),
        'DJI': datetime.date(2021, 12, 16),
    }
    assert designated('dod-1260h') == {'DJI': datetime.date(2022, 10, 5)}
    assert {'Hikvision', 'Dahua', 'Nuuo'} <= set(designated('cisa-kev'))
    assert set(Designation.objects.filter(concern_list__slug='cisa-kev').values_list('reason', flat=True)) == {'kev'}
