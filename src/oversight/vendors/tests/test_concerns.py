import datetime

import pytest

from oversight.vendors.concerns import ConcernIndex, Designated, ListFact, UnknownConcernList, makers_of_concern
from oversight.vendors.models import ConcernList

OBSCC_NAMED = {'Dahua', 'Hikvision', 'Honeywell', 'Huawei', 'Nuuo', 'DJI'}
HIKVISION_GROUP = {'Ezviz', 'Hikrobot', 'Prama Hikvision India'}


def test_a_list_covering_affiliates_reaches_subsidiaries_and_joint_ventures(db):
    makers = makers_of_concern('obscc-2022')
    assert makers == OBSCC_NAMED | HIKVISION_GROUP | {'Huacheng'}
    assert 'Lorex' not in makers  # Dahua sold it in 2022
    assert 'Axis' not in makers


def test_a_concern_list_object_works_as_well_as_its_slug(db):
    assert makers_of_concern(ConcernList.objects.get(slug='ndaa-889')) == makers_of_concern('ndaa-889')


def test_a_list_not_covering_affiliates_stops_at_the_named_makers(db):
    assert makers_of_concern('ns-cmic') == {'Hikvision', 'Huawei', 'DJI'}


def test_the_lists_stand_as_on_the_chosen_day(db):
    in_2020 = ConcernIndex.from_db(on=datetime.date(2020, 1, 1))
    assert 'Lorex' in in_2020.makers_of_concern('ndaa-889')  # a Dahua subsidiary then
    assert in_2020.makers_of_concern('obscc-2022') == frozenset()
    assert 'DJI' not in ConcernIndex.from_db(on=datetime.date(2025, 12, 21)).makers_of_concern('fcc-covered-list')
    assert 'DJI' in ConcernIndex.from_db(on=datetime.date(2025, 12, 22)).makers_of_concern('fcc-covered-list')


def test_a_makers_designations_include_those_through_its_parent(db):
    index = ConcernIndex.from_db()
    ezviz = {d.concern_list: d for d in index.designations('Ezviz')}
    assert set(ezviz) == {'obscc-2022', 'ndaa-889', 'fcc-covered-list'}
    assert ezviz['ndaa-889'].through == 'Hikvision'
    assert ezviz['ndaa-889'].reason_label == 'National-security law'
    hikvision = {d.concern_list: d for d in index.designations('Hikvision')}
    assert hikvision['us-entity-list'].through is None
    assert hikvision['us-entity-list'].reason == 'human_rights'
    assert index.designations('Axis') == ()
    assert index.designations(None) == ()


def test_an_unknown_list_is_refused_by_name(db):
    with pytest.raises(UnknownConcernList, match='no concern list "nope"'):
        makers_of_concern('nope')


def test_the_index_is_built_in_three_queries_and_then_answers_from_memory(db, django_assert_num_queries):
    with django_assert_num_queries(3):
        index = ConcernIndex.from_db()
    with django_assert_num_queries(0):
        for maker in ('Hikvision', 'Ezviz', 'Axis') * 100:
            index.designations(maker)
            index.is_of_concern(maker, 'obscc-2022')


def test_ownership_cycles_end(db):
    lists = {'l': ListFact('l', 'List', 'Authority', True)}
    designation = Designated('A', 'l', 'List', 'A', datetime.date(2020, 1, 1), 'scope', 'sanctions', 'https://e.org')
    index = ConcernIndex(lists, [designation], {'A': {'B'}, 'B': {'C', 'A'}})
    assert index.makers_of_concern('l') == {'A', 'B', 'C'}
    assert [d.through for d in index.designations('C')] == ['A']
