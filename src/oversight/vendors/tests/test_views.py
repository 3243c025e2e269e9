import csv
import io
from html import escape

import pytest
from django import forms
from django.urls import reverse

from oversight.core.models import ObjectChange
from oversight.vendors.models import Brand, ConcernList, CorporateRelation, Designation, Manufacturer, ManufacturerName

SOURCE = 'https://example.org/source'


def write_urls():
    name = ManufacturerName.objects.filter(manufacturer__name='Hikvision').exclude(kind='canonical').first()
    relation = CorporateRelation.objects.first()
    designation = Designation.objects.first()
    return [
        reverse('vendors:manufacturer_add'),
        reverse('vendors:manufacturer_edit', args=['hikvision']),
        reverse('vendors:name_add', args=['hikvision']),
        reverse('vendors:name_edit', args=[name.pk]),
        reverse('vendors:name_delete', args=[name.pk]),
        reverse('vendors:relation_add', args=['hikvision']),
        reverse('vendors:relation_edit', args=[relation.pk]),
        reverse('vendors:relation_delete', args=[relation.pk]),
        reverse('vendors:brand_add'),
        reverse('vendors:brand_edit', args=['lorex']),
        reverse('vendors:concernlist_add'),
        reverse('vendors:concernlist_edit', args=['obscc-2022']),
        reverse('vendors:designation_add', args=['obscc-2022']),
        reverse('vendors:designation_edit', args=[designation.pk]),
        reverse('vendors:designation_delete', args=[designation.pk]),
    ]


READ_URLS = [
    ('vendors:manufacturer_list', []),
    ('vendors:manufacturer_detail', ['ezviz']),
    ('vendors:brand_list', []),
    ('vendors:brand_detail', ['lorex']),
    ('vendors:concernlist_list', []),
    ('vendors:concernlist_detail', ['obscc-2022']),
    ('vendors:resolve', []),
]


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in [reverse(name, args=args) for name, args in READ_URLS] + write_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse('account_login') in response['Location']


@pytest.mark.parametrize('user', ['editor_a', 'viewer_a'])
def test_bodies_users_read_the_reference_data_but_cannot_write_it(db, request, client_for, user):
    client = client_for(request.getfixturevalue(user))
    for name, args in READ_URLS:
        assert client.get(reverse(name, args=args)).status_code == 200, name
    makers = Manufacturer.objects.count()
    for url in write_urls():
        assert client.get(url).status_code == 403, url
        assert client.post(url, {'name': 'Body Vision', 'source_url': SOURCE}).status_code == 403, url
    assert Manufacturer.objects.count() == makers
    assert not ObjectChange.objects.exists()


def test_the_regulator_adds_a_maker_and_the_change_is_audited(client_for, regulator):
    client = client_for(regulator)
    response = client.post(
        reverse('vendors:manufacturer_add'),
        {'name': 'Northgate Vision', 'country': 'United Kingdom', 'website': '', 'source_url': SOURCE, 'notes': ''},
    )
    maker = Manufacturer.objects.get(name='Northgate Vision')
    assert response.status_code == 302 and response['Location'] == maker.get_absolute_url()
    change = ObjectChange.objects.get(content_type__model='manufacturer', object_id=str(maker.pk))
    assert (change.action, change.user, change.after['country']) == ('create', regulator, 'United Kingdom')
    page = client.get(maker.get_absolute_url()).content.decode()
    assert 'History' in page and 'regulator' in page


def test_the_regulator_edits_a_maker_and_a_stale_form_is_refused(client_for, regulator):
    client = client_for(regulator)
    url = reverse('vendors:manufacturer_edit', args=['axis'])
    data = {'name': 'Axis', 'country': 'Sweden', 'website': 'https://www.axis.com', 'source_url': SOURCE, 'notes': ''}
    assert client.post(url, {**data, 'version': 1}).status_code == 302
    assert ObjectChange.objects.filter(
        action='update', object_id=str(Manufacturer.objects.get(name='Axis').pk)
    ).exists()
    response = client.post(url, {**data, 'notes': 'An older tab', 'version': 1})
    assert response.status_code == 200
    assert 'Someone else saved' in response.content.decode()
    assert Manufacturer.objects.get(name='Axis').notes == ''


def test_a_name_clash_is_shown_on_the_form(client_for, regulator):
    response = client_for(regulator).post(
        reverse('vendors:name_add', args=['axis']), {'name': 'Hik Vision', 'kind': 'alias', 'source_url': SOURCE}
    )
    assert response.status_code == 200
    assert 'a name of Hikvision' in response.content.decode()
    assert not ManufacturerName.objects.filter(name='Hik Vision').exists()


def test_the_regulator_adds_a_designation(client_for, regulator):
    response = client_for(regulator).post(
        reverse('vendors:designation_add', args=['dod-1260h']),
        {
            'manufacturer': Manufacturer.objects.get(name='Hikvision').pk,
            'date': '2021-01-14',
            'scope': 'Named as a Chinese military company',
            'reason': 'national_security_law',
            'source_url': SOURCE,
            'notes': '',
        },
    )
    assert response.status_code == 302
    designation = Designation.objects.get(concern_list__slug='dod-1260h', manufacturer__name='Hikvision')
    assert ObjectChange.objects.filter(content_type__model='designation', object_id=str(designation.pk)).exists()


def test_the_makers_list_filters_by_concern_list_country_and_name(client_for, viewer_a):
    client = client_for(viewer_a)

    def listed(**query):
        response = client.get(reverse('vendors:manufacturer_list'), query)
        return {row.record.name for row in response.context['table'].rows}

    obscc = listed(concern_list='obscc-2022')
    assert {'Hikvision', 'Ezviz', 'DJI', 'Nuuo'} <= obscc and 'Axis' not in obscc
    assert listed(country='Sweden') == {'Axis'}
    assert listed(q='hik vision') == {'Hikvision', 'Prama Hikvision India'}
    assert 'Hanwha Vision' in listed(q='Samsung Techwin')


def test_the_makers_list_exports_csv(client_for, viewer_a):
    response = client_for(viewer_a).get(reverse('vendors:manufacturer_list'), {'export': 'csv', 'country': 'China'})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    hikvision = next(r for r in rows if r['Name'] == 'Hikvision')
    assert 'Hangzhou Hikvision Digital Technology Co., Ltd.' in hikvision['Legal names']
    assert 'US NDAA FY2019 section 889' in hikvision['Named by']
    assert all(r['Country'] == 'China' for r in rows)


def test_resolving_a_name_returns_a_partial_for_htmx(client_for, viewer_a):
    client = client_for(viewer_a)
    url = reverse('vendors:resolve')
    response = client.get(url, {'name': 'EZVIZ'}, headers={'HX-Request': 'true'})
    page = response.content.decode()
    assert '<html' not in page
    assert 'data-testid="resolution-made-by"' in page and 'Hikvision' in page and 'sub-brand' in page
    unknown = client.get(url, {'name': 'Acme Vision'}, headers={'HX-Request': 'true'}).content.decode()
    assert 'Unknown: not in the reference data' in unknown
    full = client.get(url, {'name': 'Lorex'}).content.decode()
    assert '<html' in full and 'relabelled Dahua products' in full


def test_detail_pages_show_designations_names_and_relations(client_for, viewer_a):
    client = client_for(viewer_a)
    ezviz = client.get(reverse('vendors:manufacturer_detail', args=['ezviz'])).content.decode()
    assert 'Applies through Hikvision' in ezviz and 'Hangzhou Ezviz Software Co., Ltd.' in ezviz
    assert 'Edit maker' not in ezviz
    obscc = client.get(ConcernList.objects.get(slug='obscc-2022').get_absolute_url()).content.decode()
    assert 'Honeywell' in obscc and 'Prama Hikvision India' in obscc


def test_navigation_lists_makers_and_concern_lists(client_for, viewer_a):
    context = client_for(viewer_a).get(reverse('vendors:concernlist_list')).context
    # "Makers" is the section in the service navigation; its concern lists are a page within it.
    assert 'Makers' in [item['label'] for item in context['nav_items']]
    assert 'Concern lists' in [item['label'] for item in context['section_items']]


def test_a_resolution_shows_the_declared_makers_designations_too(client_for, viewer_a):
    page = client_for(viewer_a).get(reverse('vendors:resolve'), {'name': 'Honeywell', 'brand': 'Axis'}).content.decode()
    assert 'Honeywell is named by 1 list' in page
    assert 'Axis is named by no concern list' in page


def test_staff_edit_through_the_admin_with_audit(client, django_user_model):
    admin_user = django_user_model.objects.create_superuser('admin', password='pw-admin-12345')
    client.force_login(admin_user)
    for model in ('manufacturer', 'manufacturername', 'brand', 'corporaterelation', 'concernlist', 'designation'):
        assert client.get(reverse(f'admin:vendors_{model}_changelist')).status_code == 200, model
    response = client.post(
        reverse('admin:vendors_manufacturer_add'),
        {
            'name': 'Northgate Vision',
            'country': 'United Kingdom',
            'website': '',
            'source_url': SOURCE,
            'notes': '',
            'names-TOTAL_FORMS': 0,
            'names-INITIAL_FORMS': 0,
        },
    )
    assert response.status_code == 302
    maker = Manufacturer.objects.get(name='Northgate Vision')
    assert maker.names.get().kind == 'canonical'
    assert ObjectChange.objects.filter(user=admin_user, content_type__model='manufacturer').exists()


def test_concern_lists_and_brands_export_with_their_filters(client_for, viewer_a):
    client = client_for(viewer_a)
    lists = client.get(reverse('vendors:concernlist_list'), {'export': 'csv', 'covers_affiliates': 'true'})
    rows = {r['Short name']: r for r in csv.DictReader(io.StringIO(lists.content.decode()))}
    assert set(rows) == {'obscc-2022', 'ndaa-889', 'fcc-covered-list'}
    assert rows['obscc-2022']['Makers named'] == '6'
    brands = client.get(reverse('vendors:brand_list'), {'export': 'xlsx', 'made_by': 'dahua'})
    assert brands['Content-Type'].startswith('application/vnd.openxmlformats')
    from oversight.core.spreadsheets import read_upload

    made_by = {row['made by'] for _, row in read_upload('brands.xlsx', brands.content).rows}
    assert made_by == {'Dahua'}


def test_a_source_typed_without_its_scheme_is_taken_as_https(db):
    from oversight.vendors.forms import ManufacturerForm

    form = ManufacturerForm(data={'name': 'Example Cameras', 'country': 'GB', 'source_url': 'example.org/about'})
    assert form.is_valid(), form.errors
    assert form.cleaned_data['source_url'] == 'https://example.org/about'


def _as_posted(form, changes: dict) -> dict:
    """The form's current values as a browser would post them, with `changes`."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.BooleanField):
            value = 'on' if value else None
        elif hasattr(value, 'isoformat'):
            value = value.isoformat()
        if value not in (None, ''):
            data[name] = value
    return data | changes


@pytest.mark.parametrize(
    ('name', 'target', 'model'),
    [
        (
            'name_edit',
            lambda: ManufacturerName.objects.exclude(kind='canonical').order_by('pk').first(),
            ManufacturerName,
        ),
        ('relation_edit', lambda: CorporateRelation.objects.order_by('pk').first(), CorporateRelation),
        ('brand_edit', lambda: Brand.objects.get(slug='lorex'), Brand),
        ('concernlist_edit', lambda: ConcernList.objects.get(slug='obscc-2022'), ConcernList),
        ('designation_edit', lambda: Designation.objects.order_by('pk').first(), Designation),
    ],
)
def test_the_regulator_edits_reference_data_through_its_pages(client_for, regulator, name, target, model):
    """Each edit is made, not only announced: the stored record has the new source."""
    obj = target()
    url = reverse(f'vendors:{name}', args=[getattr(obj, 'slug', None) or obj.pk])
    client = client_for(regulator)
    form = client.get(url).context['form']
    response = client.post(url, _as_posted(form, {'source_url': 'https://example.org/corrected'}))
    assert response.status_code == 302, form.errors
    assert model.objects.get(pk=obj.pk).source_url == 'https://example.org/corrected'


@pytest.mark.parametrize(
    ('name', 'target', 'model'),
    [
        (
            'name_delete',
            lambda: ManufacturerName.objects.exclude(kind='canonical').order_by('pk').first(),
            ManufacturerName,
        ),
        ('relation_delete', lambda: CorporateRelation.objects.order_by('pk').first(), CorporateRelation),
        ('designation_delete', lambda: Designation.objects.order_by('pk').first(), Designation),
    ],
)
def test_the_regulator_deletes_reference_data_through_its_pages(client_for, regulator, name, target, model):
    obj = target()
    client = client_for(regulator)
    url = reverse(f'vendors:{name}', args=[obj.pk])
    page = client.get(url)
    assert escape(f'Remove {obj}?') in page.content.decode() and 'Cancel' in page.content.decode()
    stale = client.post(url, {'version': obj.version + 1})
    assert 'Someone else saved a change' in stale.content.decode() and model.objects.filter(pk=obj.pk).exists()
    response = client.post(url, {'version': obj.version})
    assert response.status_code == 302
    assert not model.objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize(
    ('name', 'args', 'data', 'made'),
    [
        (
            'name_add',
            ['axis'],
            {'name': 'Axis Comms', 'kind': 'alias'},
            lambda: ManufacturerName.objects.filter(name='Axis Comms'),
        ),
        (
            'relation_add',
            ['hikvision'],
            {'child': 'axis', 'kind': 'affiliate', 'since': '2020-01-01'},
            lambda: CorporateRelation.objects.filter(parent__slug='hikvision', child__slug='axis'),
        ),
        (
            'brand_add',
            [],
            {
                'name': 'Testvision',
                'kind': 'relabel',
                'made_by': 'hikvision',
                'confidence': 'high',
                'evidence': 'Teardown',
            },
            lambda: Brand.objects.filter(name='Testvision', made_by__slug='hikvision'),
        ),
        (
            'concernlist_add',
            [],
            {
                'slug': 'test-list',
                'name': 'Test list',
                'authority': 'A regulator',
                'instrument': 'A notice',
                'jurisdiction': 'England and Wales',
                'date': '2024-01-01',
            },
            lambda: ConcernList.objects.filter(slug='test-list'),
        ),
    ],
)
def test_the_regulator_adds_reference_data_through_its_pages(client_for, regulator, name, args, data, made):
    client = client_for(regulator)
    url = reverse(f'vendors:{name}', args=args)
    form = client.get(url).context['form']
    posted = data | {'source_url': SOURCE}
    for field in ('child', 'made_by'):
        if field in posted:  # chosen by slug here, posted by key as the dropdown does
            posted[field] = Manufacturer.objects.get(slug=posted[field]).pk
    response = client.post(url, _as_posted(form, posted))
    assert response.status_code == 302, response.context['form'].errors if response.context else response
    assert made().exists()
