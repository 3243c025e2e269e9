"""An identifier over a small, fixed slice of reference data, so engine tests need no database."""

import datetime
from functools import cache

import pytest

from oversight.identification.designations import DesignationIndex
from oversight.identification.engine import Identifier
from oversight.vendors.concerns import ConcernIndex, Designated, ListFact
from oversight.vendors.resolution import BrandFact, NameIndex, normalise

MAKER_NAMES = {
    'Hikvision': ['Hikvision', 'Hangzhou Hikvision Digital Technology Co., Ltd.'],
    'Dahua': ['Dahua', 'Dahua Technology', 'Zhejiang Dahua Technology Co., Ltd.'],
    'Uniview': ['Uniview', 'Zhejiang Uniview Technologies'],
    'Honeywell': ['Honeywell', 'Honeywell International'],
    'Axis': ['Axis', 'Axis Communications AB'],
    'Hikrobot': ['Hikrobot'],
    'Bosch': ['Bosch'],
}
BRANDS = [
    BrandFact('Hikvision', 'own', 'Hikvision', 'Hikvision', 'high', 'Own brand.'),
    BrandFact('Dahua', 'own', 'Dahua', 'Dahua', 'high', 'Own brand.'),
    BrandFact('Axis', 'own', 'Axis', 'Axis', 'high', 'Own brand.'),
    BrandFact('Bosch', 'own', 'Bosch', 'Bosch', 'high', 'Own brand.'),
    BrandFact('Honeywell', 'relabel', 'Honeywell', 'Dahua', 'medium', 'Performance series are Dahua-made.'),
    BrandFact('Lorex', 'relabel', None, 'Dahua', 'high', 'Lorex products carry Dahua firmware.'),
    BrandFact('LTS', 'relabel', None, 'Hikvision', 'high', 'LTS products carry Hikvision firmware.'),
    BrandFact('EZVIZ', 'sub_brand', None, 'Hikvision', 'high', "Hikvision's consumer brand."),
    BrandFact('Imou', 'relabel', None, 'Dahua', 'high', "Dahua's consumer brand."),
]
SOURCE = 'https://example.org/source'
# The documented shape of one designation (docs/identification.md).
DESIGNATION_KEYS = {
    'concern_list',
    'list_name',
    'authority',
    'maker',
    'designated',
    'reason',
    'scope',
    'date',
    'source_url',
}


def _designated(maker: str, slug: str, name: str) -> Designated:
    return Designated(maker, slug, name, maker, datetime.date(2018, 8, 13), 'Video surveillance', 'law', SOURCE)


@cache
def pure_identifier(concern_list: str | None = None) -> Identifier:
    names = NameIndex(
        {normalise(name): maker for maker, spellings in MAKER_NAMES.items() for name in spellings},
        {normalise(fact.name): fact for fact in BRANDS},
    )
    concerns = ConcernIndex(
        {
            'ndaa-889': ListFact('ndaa-889', 'NDAA section 889', 'US Congress', True),
            'obscc-2022': ListFact('obscc-2022', "Commissioner's 2022 list", 'BSCC', False),
        },
        [
            _designated('Hikvision', 'ndaa-889', 'NDAA section 889'),
            _designated('Dahua', 'ndaa-889', 'NDAA section 889'),
            _designated('Hikvision', 'obscc-2022', "Commissioner's 2022 list"),
            _designated('Honeywell', 'obscc-2022', "Commissioner's 2022 list"),
        ],
        {'Hikvision': {'Hikrobot'}},
    )
    return Identifier(names, DesignationIndex(concerns, concern_list))


@pytest.fixture
def identifier() -> Identifier:
    return pure_identifier()
