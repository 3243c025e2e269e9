import datetime

import pytest
import time_machine
from django.urls import reverse

from oversight.compliance.actions import record_governance
from oversight.compliance.models import Governance
from oversight.core.audit import STALE_MESSAGE

D = datetime.date
TODAY = datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC)


def _detail(system):
    return reverse('compliance:governance_detail', args=[system.pk])


def _edit(system):
    return reverse('compliance:governance_edit', args=[system.pk])


FORM = {
    'purpose': 'Safety of detained persons',
    'lawful_basis': 'Part 3 of the Data Protection Act 2018',
    'sro_name': 'Ch Supt A. Example',
    'spoc_name': 'Information rights unit',
    'spoc_contact': 'cctv@example.police.uk',
    'retention_days': '31',
    'dpia_completed_on': '2025-03-01',
    'dpia_review_due': '2026-03-01',
    'dpia_trigger': 'cameras_changed',
    'certification_scheme': 'Surveillance Camera Code third-party certification',
    'certification_body': 'nsi',
    'certification_step': 'step_1',
    'certified_on': '2025-09-01',
    'certification_expires': '2026-08-01',
    'facial_recognition': 'retrospective',
}


def test_an_editor_records_then_changes_governance_through_the_pages(client_for, editor_a, system_a):
    client = client_for(editor_a)
    page = client.get(_detail(system_a)).content.decode()
    assert 'No governance record yet' in page and _edit(system_a) in page
    response = client.post(_edit(system_a), FORM)
    assert response.status_code == 302 and response['Location'] == _detail(system_a)
    record = Governance.objects.get(system=system_a)
    assert record.sro_name == 'Ch Supt A. Example' and record.certified_on == D(2025, 9, 1)
    response = client.post(_edit(system_a), {**FORM, 'sro_name': 'Supt B. Example', 'version': 1})
    assert response.status_code == 302
    with time_machine.travel(TODAY):
        page = client.get(_detail(system_a)).content.decode()
    assert 'Supt B. Example' in page and '1 September 2025' in page
    # The review date (1 March 2026) has passed; the certificate expires within 90 days.
    assert 'Review due' in page and 'Expires within 90 days' in page
    assert 'Ch Supt A. Example' in page  # the history shows what it was


def test_a_stale_form_and_a_broken_rule_are_shown_on_the_form(client_for, editor_a, system_a):
    client = client_for(editor_a)
    record_governance(editor_a, system_a, purpose='first')
    record_governance(editor_a, system_a, 1, purpose='second')
    stale = client.post(_edit(system_a), {**FORM, 'version': 1})
    assert stale.status_code == 200 and STALE_MESSAGE in stale.content.decode()
    broken = client.post(_edit(system_a), {**FORM, 'version': 2, 'certification_expires': '2025-01-01'})
    assert broken.status_code == 200
    assert broken.context['form'].errors['certification_expires']
    assert Governance.objects.get(system=system_a).purpose == 'second'


@pytest.mark.parametrize('who', ['viewer_a', 'regulator'])
def test_viewers_and_the_regulator_see_the_record_but_cannot_change_it(client_for, request, who, editor_a, system_a):
    record_governance(editor_a, system_a, purpose='Safety of detained persons')
    client = client_for(request.getfixturevalue(who))
    page = client.get(_detail(system_a)).content.decode()
    assert 'Safety of detained persons' in page and _edit(system_a) not in page
    assert client.get(_edit(system_a)).status_code == 403
    assert client.post(_edit(system_a), {**FORM, 'version': 1}).status_code == 403
    assert Governance.objects.get(system=system_a).version == 1


def test_another_bodys_system_is_not_found(client_for, editor_b, editor_a, system_a):
    record_governance(editor_a, system_a, purpose='Safety of detained persons')
    client = client_for(editor_b)
    assert client.get(_detail(system_a)).status_code == 404
    assert client.get(_edit(system_a)).status_code == 404
    assert client.post(_edit(system_a), FORM).status_code == 404
    listing = client.get(reverse('compliance:governance_list')).content.decode()
    assert 'Custody CCTV' not in listing


@time_machine.travel(TODAY)
def test_the_list_shows_each_systems_status_and_filters_by_it(client_for, editor_a, regulator, body_a, system_a):
    from oversight.register import actions as register_actions

    record_governance(
        editor_a, system_a, dpia_completed_on=D(2026, 1, 1), dpia_review_due=D(2027, 1, 1), certified_on=D(2025, 7, 1),
        certification_expires=D(2026, 8, 15), certification_body='ssaib', certification_step='step_2',
    )  # fmt: skip
    drones = register_actions.create_system(None, body_a, name='Drone unit', category='drone')
    expired = register_actions.create_system(None, body_a, name='ANPR cameras', category='anpr')
    record_governance(
        editor_a, expired, dpia_completed_on=D(2024, 1, 1), dpia_review_due=D(2025, 1, 1), certified_on=D(2020, 1, 1),
        certification_expires=D(2025, 1, 1), certification_body='nsi', certification_step='step_2',
        facial_recognition='live',
    )  # fmt: skip
    client = client_for(editor_a)
    url = reverse('compliance:governance_list')

    def names(query=''):
        table = client.get(url + query).context['table']
        return {row.record.name: (row.record.dpia, row.record.certification) for row in table.rows}

    assert names() == {
        'Custody CCTV': ('in_date', 'expiring'),
        'Drone unit': ('missing', 'none'),
        'ANPR cameras': ('due', 'expired'),
    }
    assert set(names('?dpia=due')) == {'ANPR cameras'}
    assert set(names('?certification=expiring')) == {'Custody CCTV'}
    assert set(names('?dpia=missing&category=drone')) == {drones.name}
    page = client.get(url).content.decode()
    assert '15 August 2026' in page and 'Expires within 90 days' in page and 'Live facial recognition' in page
    assert set(names('?facial_recognition=live')) == {'ANPR cameras'}
    csv = client.get(url + '?export=csv').content.decode()
    assert 'Custody CCTV' in csv and 'Expires within 90 days' in csv and 'No DPIA' in csv
    # The regulator sees every body's systems, and may narrow them by body.
    assert 'Custody CCTV' in client_for(regulator).get(url + f'?organisation={body_a.pk}').content.decode()


def test_the_registers_system_page_shows_the_governance_panel(client_for, editor_a, viewer_a, system_a):
    record_governance(editor_a, system_a, purpose='Safety of detained persons', sro_name='Ch Supt A. Example')
    page = client_for(editor_a).get(system_a.get_absolute_url()).content.decode()
    assert 'id="governance"' in page and 'Ch Supt A. Example' in page and _edit(system_a) in page
    page = client_for(viewer_a).get(system_a.get_absolute_url()).content.decode()
    assert 'Ch Supt A. Example' in page and _edit(system_a) not in page
