import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from oversight.core.models import ObjectChange
from oversight.vendors import actions
from oversight.vendors.models import Brand, Designation, Manufacturer, ManufacturerName

SOURCE = 'https://example.org/source'


def new_maker(regulator, name='Northgate Vision', **fields):
    return actions.save_manufacturer(regulator, Manufacturer(name=name, source_url=SOURCE, **fields))


def names_of(maker):
    return dict(maker.names.values_list('name', 'kind'))


def test_a_new_maker_gets_a_slug_a_canonical_name_and_audit_rows(regulator):
    maker = new_maker(regulator, country='United Kingdom')
    assert maker.slug == 'northgate-vision'
    assert names_of(maker) == {'Northgate Vision': 'canonical'}
    audited = set(ObjectChange.objects.filter(user=regulator).values_list('content_type__model', 'action'))
    assert audited == {('manufacturer', 'create'), ('manufacturername', 'create')}


def test_a_maker_cannot_take_a_url_word_as_its_slug(regulator):
    assert new_maker(regulator, name='Add').slug == 'add-2'


def test_a_renamed_maker_keeps_its_old_name_as_a_former_name(regulator):
    maker = new_maker(regulator)
    maker.name = 'Northgate Security'
    actions.save_manufacturer(regulator, maker, expected_version=1)
    assert names_of(maker) == {'Northgate Security': 'canonical', 'Northgate Vision': 'former'}


def test_a_respelt_maker_name_replaces_the_canonical_spelling(regulator):
    maker = new_maker(regulator)
    maker.name = 'NorthGate Vision'
    actions.save_manufacturer(regulator, maker)
    assert names_of(maker) == {'NorthGate Vision': 'canonical'}


def test_a_rename_onto_another_makers_name_is_refused_and_nothing_is_written(regulator):
    maker = new_maker(regulator)
    before = ObjectChange.objects.count()
    maker.name = 'Hik-Vision'
    with pytest.raises(ValidationError, match='a name of Hikvision'):
        actions.save_manufacturer(regulator, maker, expected_version=1)
    assert Manufacturer.objects.get(pk=maker.pk).name == 'Northgate Vision'
    assert ObjectChange.objects.count() == before


def test_a_stale_edit_is_refused(regulator):
    maker = new_maker(regulator)
    first, second = Manufacturer.objects.get(pk=maker.pk), Manufacturer.objects.get(pk=maker.pk)
    first.country = 'France'
    actions.save_manufacturer(regulator, first, expected_version=1)
    second.country = 'Spain'
    with pytest.raises(ValidationError, match='Someone else saved'):
        actions.save_manufacturer(regulator, second, expected_version=1)
    assert Manufacturer.objects.get(pk=maker.pk).country == 'France'


def test_an_alias_of_another_maker_is_refused_with_its_name(regulator):
    maker = new_maker(regulator)
    with pytest.raises(ValidationError, match='a name of Dahua'):
        actions.save_name(
            regulator, ManufacturerName(manufacturer=maker, name='DAHUA', kind='alias', source_url=SOURCE)
        )
    with pytest.raises(ValidationError, match='the brand HiLook'):
        actions.save_name(
            regulator, ManufacturerName(manufacturer=maker, name='Hi-Look', kind='alias', source_url=SOURCE)
        )


def test_the_canonical_name_is_changed_only_through_the_maker(regulator):
    maker = new_maker(regulator)
    canonical = maker.names.get()
    with pytest.raises(ValidationError, match='editing the maker'):
        actions.delete_name(regulator, canonical)
    canonical.kind = 'alias'
    with pytest.raises(ValidationError, match='editing the maker'):
        actions.save_name(regulator, canonical)
    with pytest.raises(ValidationError, match='editing the maker'):
        actions.save_name(
            regulator, ManufacturerName(manufacturer=maker, name='NGV', kind='canonical', source_url=SOURCE)
        )


def test_an_alias_is_added_and_resolves(regulator):
    from oversight.vendors.resolution import NameIndex

    maker = new_maker(regulator)
    actions.save_name(
        regulator, ManufacturerName(manufacturer=maker, name='N.G.V. Ltd', kind='alias', source_url=SOURCE)
    )
    assert NameIndex.from_db().resolve('NGV').made_by == 'Northgate Vision'


def test_brand_rules_are_enforced(regulator):
    maker = new_maker(regulator)
    dahua = Manufacturer.objects.get(name='Dahua')
    own_made_elsewhere = Brand(
        name='Northgate', kind='own', owner=maker, made_by=dahua, confidence='high', evidence='x', source_url=SOURCE
    )
    with pytest.raises(ValidationError, match='own brand is owned and made by the same maker'):
        actions.save_brand(regulator, own_made_elsewhere)
    with pytest.raises(ValidationError, match='a name of Hanwha Vision'):
        actions.save_brand(
            regulator,
            Brand(
                name='Samsung Techwin', kind='relabel', made_by=dahua, confidence='low', evidence='x', source_url=SOURCE
            ),
        )
    relabel = actions.save_brand(
        regulator,
        Brand(
            name='Northgate Pro',
            kind='relabel',
            owner=maker,
            made_by=dahua,
            confidence='medium',
            evidence='Dahua firmware.',
            source_url=SOURCE,
        ),
    )
    assert relabel.slug == 'northgate-pro' and relabel.normalised == 'northgatepro'


@pytest.mark.parametrize('user', ['editor_a', 'viewer_a'])
def test_bodies_users_cannot_write_reference_data(db, request, user):
    actor = request.getfixturevalue(user)
    with pytest.raises(PermissionDenied):
        actions.save_manufacturer(actor, Manufacturer(name='Body Vision', source_url=SOURCE))
    with pytest.raises(PermissionDenied):
        actions.delete_designation(actor, Designation.objects.first())
    assert not Manufacturer.objects.filter(name='Body Vision').exists()


def test_a_designation_is_removed_with_an_audit_row(regulator):
    designation = Designation.objects.get(concern_list__slug='dod-1260h', manufacturer__name='DJI')
    actions.delete_designation(regulator, designation)
    assert not Designation.objects.filter(pk=designation.pk).exists()
    change = ObjectChange.objects.get(action='delete')
    assert change.before['scope'] == designation.scope and change.user == regulator
