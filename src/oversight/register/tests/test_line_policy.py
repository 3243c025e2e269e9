"""The equipment line page says why the line matters: its policy obligations and KEV matches."""

import datetime

from django.urls import reverse

from oversight.register import actions


def test_a_line_page_shows_its_obligations_and_vulnerabilities(client_for, editor_a, body_a, register_a):
    line = actions.create_line(
        editor_a,
        body_a,
        site=register_a.site,
        system=register_a.system,
        manufacturer_declared='Hikvision',
        model='DS-2CD2132F-I',
        firmware='V5.3.0 build 150513',
        installed_on=datetime.date(2023, 3, 1),
        quantity=4,
    )
    page = client_for(editor_a).get(reverse('register:equipment_detail', args=[line.pk])).content.decode()
    obligations = page.split('data-testid="obligations"')[1].split('</ul>')[0]
    assert 'Must' in obligations
    assert 'sensitive' in obligations
    vulnerabilities = page.split('data-testid="vulnerabilities"')[1].split('</ul>')[0]
    assert 'CVE-2017-7921' in vulnerabilities
    assert 'CVE-2021-36260' in vulnerabilities


def test_a_line_of_no_concern_has_nothing_to_do(client_for, editor_a, body_a, register_a):
    line = actions.create_line(
        editor_a,
        body_a,
        site=register_a.site,
        system=register_a.system,
        manufacturer_declared='Axis',
        quantity=1,
        installed_on=datetime.date(2021, 1, 1),
        network='isolated',
    )
    page = client_for(editor_a).get(reverse('register:equipment_detail', args=[line.pk])).content.decode()
    assert 'No policy rule applies to this line.' in page
    assert 'No entry of the Known Exploited Vulnerabilities catalogue matches this line.' in page
