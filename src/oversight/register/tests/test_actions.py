import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from oversight.core import holds
from oversight.core.audit import STALE_MESSAGE
from oversight.core.models import ObjectChange
from oversight.register import actions
from oversight.register.models import EquipmentLine, Site, System


def _line(actor, body, register, **fields):
    values = {'site': register.site, 'system': register.system, 'manufacturer_declared': 'Axis', 'quantity': 2}
    return actions.create_line(actor, body, **(values | fields))


def test_creating_a_line_resolves_a_relabel_and_records_history(editor_a, body_a, register_a, reference):
    line = _line(editor_a, body_a, register_a, manufacturer_declared='Northgate Vision', model='NV-2000')
    line.refresh_from_db()
    assert line.made_by == reference.dahua
    assert line.concern is True
    assert 0 < line.confidence <= 1
    assert any('relabelled' in item for item in line.evidence)
    change = ObjectChange.objects.for_object(line).get()
    assert (change.action, change.user, change.organisation) == ('create', editor_a, body_a)
    assert change.after['made_by'] == reference.dahua.pk


def test_a_maker_of_no_concern_and_an_unknown_maker(editor_a, body_a, register_a, reference):
    axis = _line(editor_a, body_a, register_a, manufacturer_declared='AXIS')
    assert (axis.manufacturer, axis.made_by, axis.concern) == (reference.axis, reference.axis, False)
    unknown = _line(editor_a, body_a, register_a, manufacturer_declared='Acme Optics Unheard-of')
    assert (unknown.manufacturer, unknown.made_by, unknown.concern, unknown.confidence) == (None, None, None, None)
    assert unknown.evidence[-1].startswith('Who made it is unknown')
    assert unknown.evidence[-1].endswith('Read: the declared maker or brand "Acme Optics Unheard-of".')


def test_identity_change_reidentifies_and_other_edits_do_not(editor_a, body_a, register_a, reference, monkeypatch):
    line = _line(editor_a, body_a, register_a)
    calls = []
    real = actions.identify_line
    monkeypatch.setattr(actions, 'identify_line', lambda index, line: calls.append(line.pk) or real(index, line))
    line = actions.update_line(editor_a, line, 1, quantity=5)
    assert calls == [] and line.made_by == reference.axis
    line = actions.update_line(editor_a, line, 2, manufacturer_declared='Hikvision')
    assert calls == [line.pk]
    assert (line.made_by, line.concern) == (reference.hikvision, True)
    assert ObjectChange.objects.for_object(line).filter(action='update').count() == 2


def test_a_stale_version_is_refused_and_nothing_is_written(editor_a, body_a, register_a):
    line = _line(editor_a, body_a, register_a)
    first, second = EquipmentLine.objects.get(pk=line.pk), EquipmentLine.objects.get(pk=line.pk)
    actions.update_line(editor_a, first, 1, quantity=3)
    with pytest.raises(ValidationError) as refused:
        actions.update_line(editor_a, second, 1, quantity=9)
    assert refused.value.messages == [STALE_MESSAGE]
    assert EquipmentLine.objects.get(pk=line.pk).quantity == 3
    with pytest.raises(ValidationError, match='Someone else saved'):
        actions.delete_line(editor_a, EquipmentLine.objects.get(pk=line.pk), expected_version=1)
    assert EquipmentLine.objects.filter(pk=line.pk).exists()


def test_a_line_takes_its_site_and_system_from_its_own_body(editor_a, body_a, register_a, register_b):
    with pytest.raises(ValidationError) as refused:
        _line(editor_a, body_a, register_a, site=register_b.site)
    assert set(refused.value.message_dict) == {'site'}
    with pytest.raises(ValidationError) as refused:
        _line(editor_a, body_a, register_a, system=register_b.system)
    assert set(refused.value.message_dict) == {'system'}
    assert not EquipmentLine.objects.exists()


def test_only_the_bodys_editors_may_write(viewer_a, editor_b, regulator, body_a, register_a):
    for actor in (viewer_a, editor_b, regulator):
        with pytest.raises(PermissionDenied):
            _line(actor, body_a, register_a)
        with pytest.raises(PermissionDenied):
            actions.update_site(actor, register_a.site, 1, name='Renamed')
    assert not EquipmentLine.objects.exists()
    assert Site.objects.get(pk=register_a.site.pk).name == 'Maidstone HQ'


def test_names_are_unique_in_a_body_whatever_their_capitals(editor_a, editor_b, body_a, body_b, register_a):
    with pytest.raises(ValidationError) as refused:
        actions.create_site(editor_a, body_a, name='MAIDSTONE hq')
    assert 'already has a site' in refused.value.message_dict['name'][0]
    actions.create_site(editor_b, body_b, name='Maidstone HQ')  # another body may use the name


def test_a_site_or_system_in_use_is_not_deleted(editor_a, body_a, register_a):
    _line(editor_a, body_a, register_a)
    with pytest.raises(ValidationError, match='still has 1 equipment line'):
        actions.delete_site(editor_a, register_a.site, expected_version=1)
    with pytest.raises(ValidationError, match='still has 1 equipment line'):
        actions.delete_system(editor_a, register_a.system)
    EquipmentLine.objects.all().delete()
    actions.delete_system(editor_a, System.objects.get(pk=register_a.system.pk), expected_version=1)
    assert ObjectChange.objects.filter(action='delete', object_repr__startswith='Custody CCTV').exists()


def test_a_site_or_system_another_app_holds_is_not_deleted_and_the_refusal_names_every_hold(
    monkeypatch, editor_a, body_a, register_a
):
    """The register asks every app's `holds` (core.holds) before deleting, without importing those apps."""
    said = {'register.Site': [lambda site: [f'{site.name} is held by a record.'], lambda site: []]}
    monkeypatch.setattr(holds, 'registry', lambda: said)
    _line(editor_a, body_a, register_a)
    with pytest.raises(ValidationError) as refused:
        actions.delete_site(editor_a, register_a.site, expected_version=1)
    assert refused.value.code == 'protected'
    assert refused.value.messages == [
        'Maidstone HQ still has 1 equipment line: move it elsewhere or delete it first. '
        'Maidstone HQ is held by a record.'
    ]
    EquipmentLine.objects.all().delete()
    with pytest.raises(ValidationError) as refused:
        actions.delete_site(editor_a, register_a.site, expected_version=1)
    assert refused.value.messages == ['Maidstone HQ is held by a record.']
    assert Site.objects.filter(pk=register_a.site.pk).exists()
    monkeypatch.setattr(holds, 'registry', lambda: {})
    actions.delete_site(editor_a, register_a.site, expected_version=1)
    assert not Site.objects.filter(pk=register_a.site.pk).exists()
