import pytest
from django.utils.text import slugify

from oversight.vendors.models import Manufacturer, ManufacturerName
from oversight.vendors.resolution import UNKNOWN, NameIndex, normalise


@pytest.fixture
def index(db):
    return NameIndex.from_db()


@pytest.mark.parametrize(
    'name, expected',
    [
        ('HIKVISION', 'hikvision'),
        ('Hik-Vision', 'hikvision'),
        ('Zhejiang Dahua Technology Co., Ltd.', 'zhejiangdahuatechnology'),
        ('SZ DJI Technology Co.,Ltd.', 'szdjitechnology'),
        ('Milestone Systems A/S', 'milestonesystems'),
        ('Parrot S.A.', 'parrot'),
        ('Société Générale S.p.A.', 'societegenerale'),
        ('AT&T', 'atandt'),
        ('Co., Ltd.', ''),
        ('', ''),
    ],
)
def test_normalise_drops_case_spacing_punctuation_and_legal_forms(name, expected):
    assert normalise(name) == expected


@pytest.mark.parametrize(
    'typed, maker',
    [
        ('HIKVISION', 'Hikvision'),
        ('Hik Vision', 'Hikvision'),
        ('Hik-Vision', 'Hikvision'),
        ('Hangzhou Hikvision Digital Technology Co., Ltd.', 'Hikvision'),
        ('Zhejiang Dahua Technology Co., Ltd.', 'Dahua'),
        ('Dahua Technology', 'Dahua'),
        ('SZ DJI Technology', 'DJI'),
        ('Axis Communications AB', 'Axis'),
        ('Samsung Techwin', 'Hanwha Vision'),
        ('Nuuo Inc', 'Nuuo'),
    ],
)
def test_any_registered_spelling_resolves_to_the_canonical_maker(index, typed, maker):
    resolution = index.resolve(typed)
    assert (resolution.manufacturer, resolution.made_by) == (maker, maker)
    said = f'Declared maker: {maker}.' if normalise(typed) == normalise(maker) else f'"{typed}" is a name of {maker}.'
    assert said in resolution.evidence


def test_a_maker_declared_by_its_own_name_reads_as_declared(index):
    """It once read '"Honeywell" is a name of Honeywell.'"""
    evidence = index.resolve('Honeywell').evidence
    assert evidence[0] == 'Declared maker: Honeywell.'
    assert not any('is a name of Honeywell' in sentence for sentence in evidence)


def test_ezviz_is_a_hikvision_sub_brand(index):
    resolution = index.resolve('EZVIZ')
    assert resolution.manufacturer == 'Ezviz'
    assert resolution.made_by == 'Hikvision'
    assert any('sub-brand of Hikvision' in line for line in resolution.evidence)


def test_the_legal_name_of_a_brand_owner_leads_to_its_brand(index):
    resolution = index.resolve('Hangzhou Ezviz Software Co., Ltd.')
    assert (resolution.manufacturer, resolution.made_by) == ('Ezviz', 'Hikvision')


@pytest.mark.parametrize(
    'brand, made_by, confidence',
    [('Lorex', 'Dahua', 'high'), ('LTS', 'Hikvision', 'high'), ('Honeywell', 'Dahua', 'medium')],
)
def test_relabels_resolve_to_who_really_made_them_with_evidence(index, brand, made_by, confidence):
    for resolution in (index.resolve(brand), index.resolve('', brand)):
        assert resolution.made_by == made_by
        relabel = [line for line in resolution.evidence if 'relabelled' in line]
        assert relabel and f'({confidence} confidence)' in relabel[0]


def test_honeywell_is_flagged_as_mixed_odm(index):
    resolution = index.resolve('Honeywell International Inc.')
    assert resolution.manufacturer == 'Honeywell'
    assert resolution.made_by == 'Dahua'
    assert resolution.confidence < index.resolve('Lorex').confidence
    assert any('check per model' in line for line in resolution.evidence)


def test_a_relabel_owned_by_no_known_maker_has_no_declared_maker(index):
    resolution = index.resolve('LTS')
    assert resolution.manufacturer is None
    assert resolution.known


@pytest.mark.parametrize('typed', ['Acme Vision', 'Hik', 'Hikvisio', '', '   ', 'Co., Ltd.'])
def test_unknown_names_stay_unknown(index, typed):
    assert index.resolve(typed) == UNKNOWN
    assert index.resolve(typed, typed) == UNKNOWN


def test_a_known_brand_beside_an_unknown_maker_says_so(index):
    resolution = index.resolve('Acme', 'HiLook')
    assert resolution.made_by == 'Hikvision'
    assert 'The declared maker "Acme" is not in the reference data.' in resolution.evidence


def test_the_brand_decides_when_the_declared_maker_disagrees(index):
    resolution = index.resolve('Hikvision', 'Lorex')
    assert (resolution.manufacturer, resolution.made_by) == ('Hikvision', 'Dahua')
    assert any('disagree' in line for line in resolution.evidence)


def test_a_maker_named_in_the_brand_column_is_found(index):
    resolution = index.resolve('', 'Hangzhou Hikrobot Technology Co., Ltd.')
    assert resolution.made_by == 'Hikrobot'


def test_a_key_registered_for_two_makers_is_unknown_rather_than_chosen(db):
    # Bypasses ManufacturerName.clean(), which would refuse the second name, to prove resolution never chooses.
    for maker_name in ('Northgate', 'Southgate'):
        maker = Manufacturer.objects.create(name=maker_name, slug=slugify(maker_name), source_url='https://example.org')
        for name, kind in ((maker_name, 'canonical'), ('Gate Vision', 'alias')):
            ManufacturerName.objects.create(
                manufacturer=maker, name=name, normalised=normalise(name), kind=kind, source_url='https://example.org'
            )
    index = NameIndex.from_db()
    assert index.resolve('Gate Vision') == UNKNOWN
    assert index.resolve('Northgate').made_by == 'Northgate'
