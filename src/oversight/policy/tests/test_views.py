import base64
import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from oversight.core.models import ObjectChange
from oversight.policy.models import UnitCost

from .conftest import line


@pytest.fixture
def registers(estate_a, estate_b, makers):
    """Kent: a Honeywell relabel made by Dahua deployed on its sensitive HQ after the statement, and
    Axis; Essex: Hikvision at a town-centre site, due for upgrade in 2031."""
    kent = line(
        estate_a,
        manufacturer=makers.honeywell,
        made_by=makers.dahua,
        manufacturer_declared='Honeywell',
        model='HEN28103',
        installed_on=datetime.date(2023, 3, 1),
        quantity=4,
    )
    axis = line(estate_a, made_by=makers.axis, quantity=9)
    essex = line(
        estate_b,
        site=estate_b.town,
        system=estate_b.streets,
        made_by=makers.hikvision,
        model='DS-2CD2032F-I',
        firmware='V5.3.0 build 150513',
        next_upgrade=datetime.date(2031, 7, 1),
        quantity=6,
    )
    return kent, axis, essex


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def chart_svg(html: str) -> str:
    found = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    return base64.b64decode(found.group(1)).decode() if found else ''


def test_a_bodys_user_is_sent_to_its_own_page(client_for, viewer_a):
    response = client_for(viewer_a).get(reverse('policy:policy'))
    assert response.status_code == 302 and response['Location'] == reverse('policy:body', args=['kent-police'])


def test_anonymous_users_sign_in_first(client):
    response = client.get(reverse('policy:body', args=['kent-police']))
    assert response.status_code == 302 and reverse('account_login') in response['Location']


def test_the_body_page_lists_obligations_with_due_dates_and_the_plan(client_for, viewer_a, registers):
    html = page(client_for(viewer_a), reverse('policy:body', args=['kent-police']))
    assert 'No new deployment on sensitive sites' in html
    assert '1 March 2023' in html and 'Overdue' in html
    assert 'Sold as Honeywell, made by Dahua, headquartered in China' in html
    assert 'Remove now: it was deployed on a sensitive site after the statement.' in html
    assert re.search(r'data-testid="must-devices">4<', html)
    assert re.search(r'data-testid="plan-devices">4<', html)
    assert 'data-testid="timeline-table"' in html and 'Overdue' in chart_svg(html)
    assert 'Change unit costs' not in html  # a viewer reads, does not edit


def test_another_bodys_pages_are_not_found(client_for, editor_a, registers):
    client = client_for(editor_a)
    for url in (
        reverse('policy:body', args=['essex-police']),
        reverse('policy:body', args=['essex-police']) + '?export=plan&format=xlsx',
        reverse('policy:unit_costs', args=['essex-police']),
        reverse('policy:settings', args=['essex-police']),
        reverse('policy:body', args=['obscc']),
    ):
        assert client.get(url).status_code == 404, url


def test_counts_tables_and_chart_never_include_another_bodys_lines(client_for, editor_a, registers):
    html = page(client_for(editor_a), reverse('policy:body', args=['kent-police']))
    assert 'Chelmsford' not in html and 'DS-2CD2032F-I' not in html
    assert re.search(r'data-testid="consider-devices">0<', html)  # Essex's 6 consider-devices are not here
    assert '2031' not in chart_svg(html)
    assert 'CVE-2017-7921' not in html  # Essex's affected Hikvision camera


def test_a_filter_naming_another_bodys_site_shows_nothing(client_for, editor_a, estate_b, registers):
    html = page(client_for(editor_a), reverse('policy:body', args=['kent-police']), site=estate_b.town.pk)
    assert 'There is a problem with the filters' in html
    assert 'No new deployment' not in html and 'Chelmsford' not in html


def test_the_regulator_sees_every_body_and_filters_by_body(client_for, regulator, body_b, registers):
    client = client_for(regulator)
    html = page(client, reverse('policy:policy'))
    assert 'Kent Police' in html and 'Essex Police' in html
    assert re.search(r'data-testid="plan-devices">10<', html)
    assert 'CVE-2017-7921' in html  # Essex's camera is in the affected range
    assert '2031' in chart_svg(html)
    html = page(client, reverse('policy:policy'), organisation=body_b.pk)
    assert re.search(r'data-testid="plan-devices">6<', html)
    assert 'Sold as Honeywell' not in html
    html = page(client, reverse('policy:body', args=['kent-police']))
    assert 'Change unit costs' not in html


def test_severity_and_rule_set_filters_narrow_obligations_plan_and_counts(client_for, editor_a, registers):
    url = reverse('policy:body', args=['kent-police'])
    html = page(client_for(editor_a), url, severity='consider')
    assert 'Weigh the concerns the Commissioner named' in html and 'No new deployment' not in html
    assert re.search(r'data-testid="must-devices">0<', html)
    html = page(client_for(editor_a), url, rule_set='uk-wms-2022', severity='must')
    assert 'No new deployment on sensitive sites' in html and 'Weigh the concerns' not in html


def test_an_editor_sets_unit_costs_through_the_form(client_for, editor_a, body_a, registers):
    client = client_for(editor_a)
    url = reverse('policy:unit_costs', args=['kent-police'])
    assert 'Save unit costs' in page(client, url)
    response = client.post(url, {'cost_internal_cctv': '£1,250.50', 'version_internal_cctv': ''})
    assert response.status_code == 302
    assert UnitCost.objects.get(organisation=body_a).cost == 1250.50
    assert (
        ObjectChange.objects.filter(organisation=body_a, action='create', message__startswith='Unit cost').count() == 1
    )
    html = page(client, reverse('policy:body', args=['kent-police']))
    assert re.search(r'data-testid="plan-cost">£5,002<', html)  # 4 devices at £1,250.50


def test_the_unit_costs_form_refuses_bad_amounts_and_stale_versions(client_for, editor_a, body_a):
    client = client_for(editor_a)
    url = reverse('policy:unit_costs', args=['kent-police'])
    html = client.post(url, {'cost_drone': 'lots'}).content.decode()
    assert '&quot;lots&quot; is not an amount in pounds' in html
    client.post(url, {'cost_drone': '100'})
    html = client.post(url, {'cost_drone': '200', 'version_drone': ''}).content.decode()
    assert 'Someone else saved a change' in html
    assert UnitCost.objects.get(organisation=body_a).cost == 100


def test_viewers_and_the_regulator_cannot_open_the_settings_forms(client_for, viewer_a, regulator):
    for user in (viewer_a, regulator):
        for name in ('policy:unit_costs', 'policy:settings'):
            assert client_for(user).get(reverse(name, args=['kent-police'])).status_code == 403


def test_choosing_an_optional_rule_set_adds_its_obligations(client_for, editor_a, registers):
    client = client_for(editor_a)
    url = reverse('policy:body', args=['kent-police'])
    assert 'Covered equipment procured after the ban' not in page(client, url)
    response = client.post(reverse('policy:settings', args=['kent-police']), {'rule_sets': ['ndaa-889'], 'version': ''})
    assert response.status_code == 302
    html = page(client, url)
    assert 'Covered equipment procured after the ban' in html


@pytest.mark.parametrize('export', ['obligations', 'plan', 'vulnerabilities'])
def test_exports_are_formula_safe_and_keep_numbers(client_for, editor_a, estate_a, makers, export):
    estate_a.hq.name = '=HYPERLINK("http://example.invalid","x")'
    estate_a.hq.save()
    line(
        estate_a,
        made_by=makers.hikvision,
        model='DS-2CD2032F-I',
        firmware='V5.3.0 build 150513',
        installed_on=datetime.date(2023, 3, 1),
        quantity=3,
    )
    url = reverse('policy:body', args=['kent-police'])
    response = client_for(editor_a).get(url, {'export': export, 'format': 'xlsx'})
    assert response.status_code == 200
    assert response['Content-Disposition'] == f'attachment; filename="{export}-kent-police.xlsx"'
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    headers, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert 'Site' in headers
    assert first['Site'] == '\'=HYPERLINK("http://example.invalid","x")'
    assert first['Devices'] == 3


def test_csv_export_follows_the_filters(client_for, editor_a, registers):
    url = reverse('policy:body', args=['kent-police'])
    response = client_for(editor_a).get(url, {'export': 'obligations', 'format': 'csv', 'severity': 'must'})
    lines = response.content.decode().splitlines()
    assert lines[0].startswith('Body,Site,Sensitive site')
    assert len(lines) == 2 and 'No new deployment on sensitive sites' in lines[1]


def test_across_bodies_a_selection_too_large_asks_for_a_body_first(client_for, regulator, registers, monkeypatch):
    from oversight.policy import views

    monkeypatch.setattr(views, 'ACROSS_BODIES_MAX_LINES', 1)
    client = client_for(regulator)
    html = page(client, reverse('policy:policy'))
    assert 'data-testid="too-many"' in html
    assert re.search(r'data-testid="must-devices">0<', html)
    # One body's page evaluates its whole register whatever its size.
    html = page(client, reverse('policy:body', args=['kent-police']))
    assert 'data-testid="too-many"' not in html
    assert re.search(r'data-testid="must-devices">4<', html)


def test_a_kept_evaluation_is_patched_after_a_line_and_reworked_after_the_settings_change(
    client_for, editor_a, registers, estate_a, makers, monkeypatch
):
    from oversight.policy import actions as policy_actions
    from oversight.policy import evaluation
    from oversight.register import actions as register_actions

    evaluated = []
    real = evaluation.evaluate_register
    monkeypatch.setattr(evaluation, 'evaluate_register', lambda *a, **k: evaluated.append(1) or real(*a, **k))
    client = client_for(editor_a)
    url = reverse('policy:body', args=['kent-police'])
    assert re.search(r'data-testid="must-devices">4<', page(client, url))
    assert re.search(r'data-testid="must-devices">4<', page(client, url))
    assert 'Maidstone HQ' in page(client, url, export='obligations', format='csv')
    assert len(evaluated) == 1  # kept, for the page and its exports alike
    register_actions.create_line(
        editor_a,
        estate_a.body,
        site=estate_a.hq,
        system=estate_a.custody,
        manufacturer_declared='Hikvision',
        quantity=3,
        installed_on=datetime.date(2023, 3, 1),
    )
    assert re.search(r'data-testid="must-devices">7<', page(client, url))
    assert len(evaluated) == 1  # the written line alone was evaluated, into the kept evaluation
    policy_actions.set_policy_settings(
        editor_a, estate_a.body, rule_sets=['ndaa-889'], review_by=None, expected_version=None
    )
    assert 'Covered equipment procured after the ban' in page(client, url)
    assert len(evaluated) == 1  # the rules applied again to the lines kept, not read again
