"""A line declared by a relabel brand (LTS) says so beside "Made by", not a blank "Maker —"."""

from django.urls import reverse

from oversight.register import actions


def test_a_relabel_line_says_its_maker_was_a_brand(client_for, editor_a):
    site = actions.create_site(editor_a, editor_a.organisation, name='Custody suite')
    system = actions.create_system(editor_a, editor_a.organisation, name='Custody CCTV', category='internal_cctv')
    line = actions.create_line(
        editor_a, editor_a.organisation, site=site, system=system, manufacturer_declared='LTS', quantity=4
    )
    assert line.manufacturer is None and str(line.made_by) == 'Hikvision'
    client = client_for(editor_a)
    detail = client.get(line.get_absolute_url()).content.decode()
    listing = client.get(reverse('register:equipment_list')).content.decode()
    for page in (detail, listing):
        assert 'None declared: LTS is a brand' in page
