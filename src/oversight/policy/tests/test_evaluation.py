"""The lines an evaluation reads are what the ORM would load: built from rows for speed, they must not differ."""

import datetime
import gc

from django.contrib.auth.models import AnonymousUser
from django.db.models.signals import post_init, pre_init

from oversight.policy import evaluation
from oversight.policy.makers import MakerFacts
from oversight.register.models import EquipmentLine

from .conftest import TODAY, line


def test_the_lines_read_are_the_orms_in_every_field_relation_and_state(estate_a, estate_b, makers):
    line(
        estate_a,
        made_by=makers.dahua,
        manufacturer=makers.honeywell,
        brand='Performance',
        model='HEN28103',
        installed_on=datetime.date(2021, 4, 1),
        next_upgrade=datetime.date(2027, 1, 1),
        firmware='V2.8',
        ip_address='10.0.0.7',
        mac_address='00:11:22:33:44:55',
        quantity=12,
        evidence=['seen'],
        notes='by the gate',
    )
    line(estate_a, site=estate_a.town, system=estate_a.drones, manufacturer_declared='Nobody knows', confidence=0.5)
    line(estate_b, made_by=makers.axis, network=EquipmentLine.Network.CORE, audio=True)
    lines = EquipmentLine.objects.filter(organisation=estate_a.body)

    read = evaluation.loaded_lines(lines)

    relations = ['organisation', 'site', 'system', 'manufacturer', 'made_by']
    orm = {each.pk: each for each in lines.select_related(*relations)}
    assert sorted(each.pk for each in read) == sorted(orm)
    for each in read:
        expected = orm[each.pk]
        assert each == expected
        assert not each._state.adding and each._state.db == expected._state.db
        for field in evaluation.LISTED_FIELDS:
            assert getattr(each, field.attname) == getattr(expected, field.attname), field.name
        for name in relations:
            assert getattr(each, name) == getattr(expected, name), name
        # Not read by the evaluation, but still there when a page or export asks (deferred, one query).
        assert (each.evidence, each.notes) == (expected.evidence, expected.notes)
    assert [each.site.name for each in read] == ['Maidstone HQ', 'Maidstone town centre']
    # Built without Model.__init__: a receiver of the init signals would be skipped, so there must be none.
    assert not pre_init.has_listeners(EquipmentLine) and not post_init.has_listeners(EquipmentLine)


def test_a_lines_maker_names_are_looked_up_once_per_name(makers):
    facts = MakerFacts(name_keys={'performance': makers.honeywell.pk})
    assert facts.is_name_of('Performance', makers.honeywell)
    assert facts.is_name_of('HONEYWELL Inc.', makers.honeywell)
    assert not facts.is_name_of('Performance', makers.dahua)
    assert facts._names_of == {
        ('Performance', makers.honeywell.pk): True,
        ('HONEYWELL Inc.', makers.honeywell.pk): True,
        ('Performance', makers.dahua.pk): False,
    }


def test_an_evaluation_holds_no_reference_cycles_so_a_frozen_one_is_still_freed(estate_a, makers):
    """cached_evaluation hides a large kept evaluation from the cycle collector (gc.freeze): that is safe only
    while reference counting alone frees it when it is replaced."""
    for made_by in (makers.dahua, makers.hikvision, makers.axis, None):
        line(estate_a, made_by=made_by, installed_on=datetime.date(2023, 6, 1), firmware='V5.4.0')
    evaluated = evaluation.evaluate_register(
        EquipmentLine.objects.filter(organisation=estate_a.body), AnonymousUser(), TODAY
    )
    assert evaluated.obligations and evaluated.plan.rows
    gc.collect()  # what the queries left behind
    del evaluated
    assert gc.collect() == 0
