import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from oversight.core.models import ObjectChange
from oversight.policy import actions
from oversight.policy.models import PolicySettings, UnitCost


def test_unit_costs_are_set_changed_and_cleared_with_history(editor_a, body_a):
    actions.set_unit_costs(editor_a, body_a, {'drone': Decimal('12000'), 'anpr': Decimal('9500.50')})
    assert dict(UnitCost.objects.filter(organisation=body_a).values_list('category', 'cost')) == {
        'drone': Decimal('12000.00'),
        'anpr': Decimal('9500.50'),
    }
    actions.set_unit_costs(editor_a, body_a, {'drone': Decimal('11000'), 'anpr': None})
    drone = UnitCost.objects.get(organisation=body_a)
    assert (drone.category, drone.cost, drone.version) == ('drone', Decimal('11000.00'), 2)
    history = ObjectChange.objects.filter(organisation=body_a).order_by('pk')
    assert [(c.action, c.message) for c in history] == [
        ('create', 'Unit cost for Drones set'),
        ('create', 'Unit cost for ANPR set'),
        ('update', 'Unit cost for Drones set'),
        ('delete', 'Unit cost for ANPR cleared'),
    ]
    assert all(c.user_name == 'editor_a' for c in history)


def test_an_unchanged_cost_writes_no_history(editor_a, body_a):
    actions.set_unit_costs(editor_a, body_a, {'drone': Decimal('12000')})
    actions.set_unit_costs(editor_a, body_a, {'drone': Decimal('12000.00')})
    assert ObjectChange.objects.filter(organisation=body_a).count() == 1


def test_a_negative_cost_names_its_field_and_writes_nothing(editor_a, body_a):
    with pytest.raises(ValidationError) as raised:
        actions.set_unit_costs(editor_a, body_a, {'anpr': Decimal('100'), 'drone': Decimal('-1')})
    assert 'cost_drone' in raised.value.message_dict
    assert not UnitCost.objects.exists() and not ObjectChange.objects.exists()


def test_a_stale_unit_cost_is_refused_and_nothing_is_written(editor_a, body_a):
    actions.set_unit_costs(editor_a, body_a, {'drone': Decimal('12000')})
    opened = {'drone': 1, 'anpr': None}
    actions.set_unit_costs(editor_a, body_a, {'drone': Decimal('13000')}, {'drone': 1})  # someone else saves
    with pytest.raises(ValidationError, match='Someone else saved'):
        actions.set_unit_costs(editor_a, body_a, {'anpr': Decimal('1'), 'drone': Decimal('14000')}, opened)
    assert list(UnitCost.objects.values_list('category', 'cost')) == [('drone', Decimal('13000.00'))]


def test_only_the_bodys_editors_set_its_policy(viewer_a, editor_b, regulator, body_a):
    for actor in (viewer_a, editor_b, regulator):
        with pytest.raises(PermissionDenied):
            actions.set_unit_costs(actor, body_a, {'drone': Decimal(1)})
        with pytest.raises(PermissionDenied):
            actions.set_policy_settings(actor, body_a, rule_sets=[], review_by=None)
    assert not UnitCost.objects.exists() and not PolicySettings.objects.exists()


def test_policy_settings_choose_optional_rule_sets_and_a_review_date(editor_a, body_a):
    settings = actions.set_policy_settings(
        editor_a, body_a, rule_sets=['ndaa-889'], review_by=datetime.date(2026, 9, 30), expected_version=None
    )
    assert (settings.rule_sets, settings.review_by, settings.version) == (['ndaa-889'], datetime.date(2026, 9, 30), 1)
    change = ObjectChange.objects.get(organisation=body_a)
    assert change.after['rule_sets'] == ['ndaa-889']
    with pytest.raises(ValidationError, match='Someone else saved'):
        actions.set_policy_settings(editor_a, body_a, rule_sets=[], review_by=None, expected_version=None)


@pytest.mark.parametrize(
    ('rule_sets', 'review_by', 'field'),
    [
        (['uk-wms-2022'], None, 'rule_sets'),  # mandatory, not a choice
        (['no-such-list'], None, 'rule_sets'),
        ([], datetime.date(2021, 1, 1), 'review_by'),
    ],
)
def test_bad_policy_settings_name_the_field(editor_a, body_a, rule_sets, review_by, field):
    with pytest.raises(ValidationError) as raised:
        actions.set_policy_settings(editor_a, body_a, rule_sets=rule_sets, review_by=review_by)
    assert field in raised.value.message_dict
    assert not PolicySettings.objects.exists()
