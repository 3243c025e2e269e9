"""The pages: the return form, review, corrections, dashboard; and that a body sees only its own."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse

from oversight.surveys.actions.campaigns import create_campaign
from oversight.surveys.actions.returns import accept_return, submit_return
from oversight.surveys.demo import NON_RESPONDENTS_2022
from oversight.surveys.interchange import COLUMNS
from oversight.surveys.models import Campaign, Invitation, Question, Questionnaire, Return

from .conftest import CUTOFF, complete_answers, london
from .test_workflow import with_lines

Status = Invitation.Status


def form_data(answers: dict, version, action='draft') -> dict:
    """What the browser posts: one field per answer, lines as line-<category>-<row>-<field>."""
    data = {'version': version, 'action': action}
    for key, value in answers.items():
        if key.endswith('.manufacturers'):
            category = key.split('.')[0]
            for number, line in enumerate(value, 1):
                for field, text in line.items():
                    data[f'line-{category}-r{number}-{field}'] = '' if text is None else str(text)
        else:
            data[key] = value
    return data


@pytest.fixture
def kent_register(body_a, editor_a):
    from oversight.core.audit import save_audited
    from oversight.register.models import EquipmentLine, Site, System

    site = save_audited(editor_a, Site(organisation=body_a, name='Air support unit'))
    system = save_audited(editor_a, System(organisation=body_a, name='Drones', category='drone'))
    for model, quantity in (('Matrice 300 RTK', 3), ('Matrice 300 RTK', 2)):
        save_audited(
            editor_a,
            EquipmentLine(
                organisation=body_a,
                site=site,
                system=system,
                manufacturer_declared='DJI',
                model=model,
                quantity=quantity,
            ),
        )


@time_machine.travel(london(2022, 7, 10, 12), tick=False)
def test_two_tabs_on_a_section_the_stale_one_is_told_why(client_for, editor_a, invitation_a):
    client = client_for(editor_a)
    url = reverse('surveys:return_section', args=[invitation_a.pk, 'governance'])
    tab = {'completed': 'no'}
    assert client.post(url, {**tab, **form_data({'governance.sro_name': 'Tab one'}, 0)}).status_code == 302
    stale = client.post(url, {**tab, **form_data({'governance.sro_name': 'Tab two'}, 0)})
    assert stale.status_code == 400
    page = stale.content.decode()
    assert 'Someone else saved a change to this record after you opened it' in page
    assert 'Tab two' in page  # what the second tab typed is still there to copy
    assert Return.objects.get().answers == {'governance.sro_name': 'Tab one'}


def test_lines_can_be_added_and_removed_with_htmx(client_for, editor_a, invitation_a):
    client = client_for(editor_a)
    url = reverse('surveys:return_line', args=[invitation_a.pk])
    row = client.get(url, {'category': 'anpr'}, HTTP_HX_REQUEST='true').content.decode()
    assert 'name="line-anpr-n' in row and '-quantity"' in row
    assert client.get(url, {'remove': '1'}).content == b''
    assert client.get(url, {'category': 'lasers'}).status_code == 400


def test_submission_after_the_cutoff_shows_the_reason(client_for, editor_a, invitation_a):
    from .test_return_journey import complete_every_section

    client = client_for(editor_a)
    with time_machine.travel(london(2022, 7, 10, 12), tick=False):
        complete_every_section(client, invitation_a, with_lines(complete_answers()))
    declaration = {
        'declarant_name': 'Sam Roe',
        'declarant_role': 'Analyst',
        'declared_for': 'A. Chief',
        'confirm': 'on',
    }
    with time_machine.travel(CUTOFF + datetime.timedelta(days=1), tick=False):
        response = client.post(reverse('surveys:return_declare', args=[invitation_a.pk]), declaration)
    assert response.status_code == 400
    assert 'late-acceptance cut-off' in response.content.decode()
    assert Return.objects.get().submitted_at is None


def test_viewer_reads_but_cannot_edit(client_for, viewer_a, editor_a, invitation_a):
    with time_machine.travel(london(2022, 7, 10, 12), tick=False):
        survey_return = submit_return(editor_a, invitation_a, with_lines())
    client = client_for(viewer_a)
    assert client.get(invitation_a.get_absolute_url()).status_code == 200
    page = client.get(survey_return.get_absolute_url())
    assert page.status_code == 200 and 'Town-centre CCTV' in page.content.decode()
    assert client.get(reverse('surveys:return_edit', args=[invitation_a.pk])).status_code == 403
    assert client.post(reverse('surveys:return_accept', args=[survey_return.pk])).status_code == 403


def test_another_body_gets_404_on_every_url(client_for, editor_a, editor_b, regulator, invitation_a, campaign):
    with time_machine.travel(london(2022, 7, 10, 12), tick=False):
        survey_return = submit_return(editor_a, invitation_a, with_lines())
    client = client_for(editor_b)
    for name in ('invitation_detail', 'return_line', 'return_workbook'):
        assert client.get(reverse(f'surveys:{name}', args=[invitation_a.pk])).status_code == 404, name
    for name in ('return_edit', 'return_upload', 'invitation_extend', 'invitation_contacts'):
        url = reverse(f'surveys:{name}', args=[invitation_a.pk])
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url
    assert client.get(survey_return.get_absolute_url()).status_code == 404
    for name in ('return_query', 'return_accept', 'return_correct'):
        url = reverse(f'surveys:{name}', args=[survey_return.pk])
        assert client.post(url).status_code == 404, url
    assert client.get(reverse('surveys:invitation_token', args=[invitation_a.token])).status_code == 404
    # The campaign page shows Essex its own invitation only; the dashboard and exports are the regulator's.
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert 'Kent Police' not in page
    assert client.get(reverse('surveys:campaign_export', args=[campaign.slug])).status_code == 403
    corrections = client.get(reverse('surveys:campaign_corrections', args=[campaign.slug]))
    assert corrections.status_code == 200 and 'Kent Police' not in corrections.content.decode()


def test_a_draft_campaign_is_invisible_to_bodies(client_for, editor_a, regulator, concern_list, questionnaire):
    draft = create_campaign(
        regulator,
        title='Police survey 2025',
        slug='police-2025',
        year=2025,
        questionnaire=questionnaire,
        concern_list=concern_list,
        recipients=[editor_a.organisation],
    )
    client = client_for(editor_a)
    assert client.get(draft.get_absolute_url()).status_code == 404
    invitation = draft.invitations.get()
    assert client.get(invitation.get_absolute_url()).status_code == 404
    assert 'Police survey 2025' not in client.get(reverse('surveys:campaign_list')).content.decode()


def test_regulator_queries_the_body_answers_the_regulator_accepts(client_for, editor_a, regulator, invitation_a):
    with time_machine.travel(london(2022, 7, 10, 12), tick=False):
        survey_return = submit_return(editor_a, invitation_a, with_lines())
    reg = client_for(regulator)
    response = reg.post(
        reverse('surveys:return_query', args=[survey_return.pk]),
        {'text': 'Are all 40 cameras in public places?', 'version': survey_return.version},
    )
    assert response.status_code == 302
    body = client_for(editor_a)
    tasks = body.get(reverse('surveys:return_edit', args=[invitation_a.pk])).content.decode()
    assert 'Are all 40 cameras in public places?' in tasks
    query = survey_return.queries.get()
    survey_return.refresh_from_db()
    check = reverse('surveys:return_check', args=[invitation_a.pk])
    assert 'Answer the query and resubmit' in body.get(check).content.decode()
    data = {'version': survey_return.version, f'query_{query.pk}': 'Yes, all of them.'}
    assert body.post(check, data).status_code == 302
    survey_return.refresh_from_db()
    reg = client_for(regulator)
    page = reg.get(survey_return.get_absolute_url()).content.decode()
    assert 'Yes, all of them.' in page and 'Accept the return' in page
    reg.post(reverse('surveys:return_accept', args=[survey_return.pk]), {'version': survey_return.version})
    invitation_a.refresh_from_db()
    assert invitation_a.status == Status.ACCEPTED


def test_correction_page_records_and_the_original_is_still_shown(client_for, editor_a, regulator, invitation_a):
    with time_machine.travel(london(2022, 7, 10, 12), tick=False):
        survey_return = submit_return(editor_a, invitation_a, with_lines())
    accept_return(regulator, survey_return)
    client = client_for(regulator)
    url = reverse('surveys:return_correct', args=[survey_return.pk])
    assert 'external_cctv.manufacturers.1.manufacturer' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            'field': 'external_cctv.manufacturers.1.manufacturer',
            'new_value': 'Axis',
            'reason': 'The force misread its asset list.',
            'source': 'Force letter, 1 March 2023',
            'date': '2023-03-01',
            'publish_as_update': 'on',
        },
    )
    assert response.status_code == 302
    page = client.get(survey_return.get_absolute_url()).content.decode()
    assert 'Originally, manufacturer: <del>Hikvision</del>' in page
    assert 'The force misread its asset list.' in page
    listing = client.get(reverse('surveys:campaign_corrections', args=['police-2022'])).content.decode()
    assert 'Force letter, 1 March 2023' in listing
    refused = client.post(
        url, {'field': 'external_cctv.cameras', 'new_value': 'many', 'reason': 'r', 'source': 's', 'date': '2023-03-01'}
    )
    assert refused.status_code == 200 and 'is not a whole number' in refused.content.decode()


def test_dashboard_figures_are_counted_from_the_data(client_for, regulator, concern_list, tmp_path):
    from django.core.management import call_command

    from oversight.organisations.models import Organisation

    bodies = Organisation.objects.filter(groups__slug='policing-bodies-england-wales').order_by('name')
    respondents = [b for b in bodies if b.name not in NON_RESPONDENTS_2022]
    rows = [','.join(COLUMNS)]
    for number, body in enumerate(respondents):
        when = '2022-08-20T10:00:00+01:00' if number % 5 else '2022-12-01T10:00:00+00:00'
        rows.append(f'{body.name},drone,yes,DJI,,Matrice 300 RTK,2,yes,{when}')
    path = tmp_path / 'returns.csv'
    path.write_text('\n'.join(rows) + '\n')
    call_command('import-returns', '2022', str(path), '--deadline', '2022-08-31T17:00', stdout=io.StringIO())
    campaign = Campaign.objects.get(slug='2022')
    page = client_for(regulator).get(campaign.get_absolute_url()).content.decode()
    assert len(respondents) == 39
    assert '39 of 47 (83.0%)' in page
    assert 'data-testid="late">8<' in page and 'data-testid="on-time">31<' in page
    assert 'data-testid="outstanding">8<' in page
    for name in NON_RESPONDENTS_2022:
        assert f'<li>{name}</li>' in page


def test_statistics_round_half_up_and_handle_no_invitations(regulator, concern_list, questionnaire):
    from oversight.surveys.statistics import ResponseStatistics

    campaign = Campaign(title='x', slug='x', year=2022)
    assert ResponseStatistics(campaign, 47, 39, 39, 0, 0, {}).response_rate_text == '39 of 47 (83.0%)'
    assert ResponseStatistics(campaign, 8, 1, 1, 0, 0, {}).response_rate_percent == '12.5%'
    assert ResponseStatistics(campaign, 0, 0, 0, 0, 0, {}).response_rate == 0.0


def test_campaign_create_open_and_send_through_the_pages(client_for, regulator, editor_a, concern_list, questionnaire):
    client = client_for(regulator)
    fields = {
        'title': 'Trial survey',
        'year': '2025',
        'questionnaire': questionnaire.pk,
        'concern_list': concern_list.pk,
        'reminder_interval_days': '7',
        'reminder_cap': '3',
    }
    new = {**fields, 'slug': 'trial-2025', 'recipients': [editor_a.organisation_id]}
    dates = {'opens_at': '2025-04-01T09:00', 'deadline': '2025-05-01T17:00', 'late_cutoff': '2025-06-01T17:00'}
    response = client.post(reverse('surveys:campaign_create'), {**new, **dates, 'deadline': '2025-03-01T17:00'})
    assert response.status_code == 200 and 'The deadline must be after the opening date' in response.content.decode()
    assert not Campaign.objects.filter(slug='trial-2025').exists()
    assert client.post(reverse('surveys:campaign_create'), new).status_code == 302
    campaign = Campaign.objects.get(slug='trial-2025')
    client.post(reverse('surveys:campaign_command', args=[campaign.slug, 'open']), follow=True)
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT  # no dates yet: refused with a message
    client.post(
        reverse('surveys:campaign_edit', args=[campaign.slug]), {**fields, **dates, 'version': campaign.version}
    )
    campaign.refresh_from_db()
    assert campaign.deadline == datetime.datetime(2025, 5, 1, 16, 0, tzinfo=datetime.UTC)  # 17:00 BST
    client.post(reverse('surveys:campaign_command', args=[campaign.slug, 'open']))
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.OPEN
    close = reverse('surveys:campaign_close', args=[campaign.slug])
    assert client_for(editor_a).post(close).status_code == 403


def test_pages_render_for_each_role(client_for, regulator, editor_a, viewer_a, campaign, questionnaire, invitation_a):
    for user in (regulator, editor_a, viewer_a):
        client = client_for(user)
        for url in (
            reverse('surveys:campaign_list'),
            campaign.get_absolute_url(),
            questionnaire.get_absolute_url(),
            invitation_a.get_absolute_url(),
        ):
            assert client.get(url).status_code == 200, (user, url)
    assert 'Surveys' in client_for(editor_a).get(reverse('core:home')).content.decode()


def test_complete_answers_fixture_is_complete(editor_a, invitation_a):
    with time_machine.travel(london(2022, 7, 10, 12), tick=False):
        submit_return(editor_a, invitation_a, with_lines(complete_answers()))


def test_a_submitted_return_cannot_be_reopened_by_the_body(client_for, editor_a, invitation_a):
    with time_machine.travel(london(2022, 7, 10, 12), tick=False):
        submit_return(editor_a, invitation_a, with_lines())
    response = client_for(editor_a).get(reverse('surveys:return_edit', args=[invitation_a.pk]), follow=True)
    assert response.redirect_chain[-1][0] == invitation_a.get_absolute_url()
    assert 'it can change only if the regulator returns it with a query' in response.content.decode()


@pytest.mark.parametrize('fmt', ['csv', 'xlsx'])
def test_the_campaign_export_hides_what_the_page_hides_from_a_body(client_for, editor_a, regulator, campaign, fmt):
    """A body exporting the campaigns must not see how many others were invited or have responded."""
    from oversight.core.spreadsheets import read_upload

    def headers(user):
        response = client_for(user).get(reverse('surveys:campaign_list'), {'export': fmt})
        assert response.status_code == 200
        return read_upload(f'campaigns.{fmt}', response.content).headers

    assert 'invited' not in headers(editor_a) and 'responded' not in headers(editor_a)
    assert {'invited', 'responded'} <= set(headers(regulator))


class TestTheRegulatorsChangesHappen:
    """Through their pages, each change is made, not only announced (a view doing nothing once passed)."""

    def test_an_extension_lets_that_body_submit_until_the_new_cut_off(self, client_for, regulator, invitation_a):
        response = client_for(regulator).post(
            reverse('surveys:invitation_extend', args=[invitation_a.pk]),
            {'extended_until': '2023-01-13T17:00', 'extension_reason': 'Force IT outage'},
        )
        assert response.status_code == 302
        invitation_a.refresh_from_db()
        assert invitation_a.extended_until == london(2023, 1, 13, 17)
        assert invitation_a.extension_reason == 'Force IT outage'

    def test_contacts_are_replaced_by_the_ones_given(self, client_for, regulator, invitation_a):
        url = reverse('surveys:invitation_contacts', args=[invitation_a.pk])
        lines = 'Jo Bloggs, jo.bloggs@police.example, Senior Responsible Officer\nSam Roe, sam@police.example'
        assert client_for(regulator).post(url, {'contacts': lines}).status_code == 302
        contacts = sorted(invitation_a.contacts.values_list('name', 'email', 'role'))
        assert contacts == [
            ('Jo Bloggs', 'jo.bloggs@police.example', 'Senior Responsible Officer'),
            ('Sam Roe', 'sam@police.example', ''),
        ]
        assert client_for(regulator).post(url, {'contacts': 'Al Poe, al@police.example'}).status_code == 302
        assert list(invitation_a.contacts.values_list('name', flat=True)) == ['Al Poe']

    def test_a_new_version_of_a_questionnaire_has_its_questions(self, client_for, regulator, questionnaire):
        url = reverse('surveys:questionnaire_new_version', args=[questionnaire.slug])
        response = client_for(regulator).post(url, {'slug': 'police-2025', 'title': 'Police survey 2025'})
        assert response.status_code == 302
        copy = Questionnaire.objects.get(slug='police-2025')
        assert (copy.title, copy.version) == ('Police survey 2025', questionnaire.version + 1)
        assert Question.objects.filter(section__questionnaire=copy).count() == (
            Question.objects.filter(section__questionnaire=questionnaire).count()
        )
        assert Question.objects.filter(section__questionnaire=copy).count() > 0
