from oversight.core.models import ObjectChange
from oversight.register import demo
from oversight.register.models import Category, EquipmentLine, Site, System
from oversight.vendors.models import Manufacturer


def _register():
    return sorted(
        EquipmentLine.objects.values_list(
            'organisation__name', 'site__name', 'system__name', 'manufacturer_declared', 'model', 'firmware',
            'mac_address', 'quantity', 'installed_on', 'made_by__name', 'concern',
        )
    )  # fmt: skip


def test_the_demo_register_is_deterministic_idempotent_and_audited(db, body_a, body_b):
    messages = []
    demo.load(messages.append)
    first = _register()
    assert 250 <= len(first) <= 500
    assert {row[0] for row in first} >= {'Kent Police', 'Essex Police'}
    assert ObjectChange.objects.filter(message=demo.MESSAGE).count() == (
        len(first) + Site.objects.count() + System.objects.count()
    )
    demo.load(messages.append)
    assert _register() == first
    assert sum('left as it is' in m for m in messages) == len(demo.BODIES)
    EquipmentLine.objects.all().delete()
    System.objects.all().delete()
    Site.objects.all().delete()
    demo.load(messages.append)
    assert _register() == first


def test_kents_relabelled_lines_are_made_by_dahua_or_hikvision_and_axis_is_of_no_concern(db, body_a):
    demo.load(lambda message: None)
    kent = EquipmentLine.objects.filter(organisation=body_a)
    dahua, hikvision = Manufacturer.objects.get(name='Dahua'), Manufacturer.objects.get(name='Hikvision')
    for declared in ('Honeywell', 'LTS', 'Lorex', 'EZVIZ', 'Imou'):
        lines = kent.filter(manufacturer_declared=declared)
        assert lines.exists(), declared
        for line in lines:
            assert line.made_by in (dahua, hikvision) and line.concern is True, declared
            assert line.evidence and 0 < line.confidence <= 1
    axis = kent.filter(made_by__name='Axis')
    assert axis.exists() and set(axis.values_list('concern', flat=True)) == {False}
    assert set(kent.values_list('system__category', flat=True)) == set(Category.values)
    assert kent.filter(site__sensitive=True).exists()
    assert kent.filter(made_by__isnull=True).exists()  # makers the reference data does not know stay unknown


def test_every_demo_product_but_the_deliberately_unknown_resolves(db):
    from oversight.register.identification import build_index

    names = build_index().names
    unknown = {'NDI Recognition Systems', 'NEC', 'Trakka Systems'}
    products = {product for slot in demo.CATALOGUE.values() for _, product in slot}
    products |= {product for body in demo.BODIES for _, _, product in body.fixed}
    for product in products:
        known = names.resolve(product.manufacturer, product.brand).known
        assert known is (product.manufacturer not in unknown), product
