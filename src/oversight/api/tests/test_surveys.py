"""Campaigns and returns over the API: scoped reads; drafts and submissions through the survey actions."""

import re

import pytest

from oversight.surveys.models import Invitation, Return

from .world import complete_answers


def _open_invitation(world, body):
    """The body's invitation, back to where it can be edited (the world's returns are already submitted)."""
    Return.objects.filter(invitation=body.invitation).delete()
    Invitation.objects.filter(pk=body.invitation.pk).update(status=Invitation.Status.NOT_STARTED)
    return f'/api/invitations/{body.invitation.pk}/'


def test_a_body_sees_open_campaigns_it_was_invited_to_and_never_a_draft(world, api):
    slugs = {c['slug'] for c in api(world.a.viewer).get('/api/campaigns/').json()['results']}
    assert slugs == {'police-survey', 'spring-survey'}
    assert api(world.a.viewer).get('/api/campaigns/draft-survey/').status_code == 404
    regulator = [c['slug'] for c in api(world.regulator).get('/api/campaigns/').json()['results']]
    assert set(regulator) == {'police-survey', 'spring-survey', 'draft-survey'}


def test_a_body_reads_only_its_own_return(world, api):
    client = api(world.a.viewer)
    rows = client.get('/api/returns/', {'campaign': 'police-survey'}).json()['results']
    assert [row['id'] for row in rows] == [world.a.survey_return.pk]
    assert rows[0]['status'] == 'accepted'
    assert rows[0]['answers']['governance.sro_name'] == 'KENTMARK Deputy'
    every = client.get('/api/returns/').json()['results']
    assert {row['organisation'] for row in every} == {'kent-police'} and len(every) == 2
    assert client.get(f'/api/returns/{world.b.survey_return.pk}/').status_code == 404
    assert client.get(f'/api/invitations/{world.b.invitation.pk}/').status_code == 404


def test_a_returns_timeliness_stays_english_whatever_the_language_asked(world, api):
    client = api(world.a.viewer)
    url = f'/api/returns/{world.a.survey_return.pk}/'
    english = client.get(url).json()['timeliness']
    assert english and client.get(url, HTTP_ACCEPT_LANGUAGE='cy').json()['timeliness'] == english


def test_returns_filter_by_campaign_and_status(world, api):
    client = api(world.regulator)
    returned = client.get('/api/returns/', {'status': 'returned'}).json()['results']
    assert [row['organisation'] for row in returned] == ['essex-police']
    assert client.get('/api/returns/', {'campaign': 'draft-survey'}).json()['count'] == 0


def test_the_questionnaire_gives_the_keys_answers_use(world, api):
    body = api(world.a.viewer).get('/api/questionnaires/police-2022/').json()
    keys = {q['key'] for section in body['sections'] for q in section['questions']}
    assert {'external_cctv.operates', 'external_cctv.manufacturers', 'governance.sro_name'} <= keys


def test_an_editor_saves_a_draft_then_submits(world, api):
    url = _open_invitation(world, world.a)
    client = api(world.a.editor)
    draft = client.post(f'{url}draft/', {'answers': {'external_cctv.operates': 'yes'}, 'version': 0}, format='json')
    assert draft.status_code == 200, draft.content
    assert draft.json()['status'] == 'draft' and draft.json()['version'] == 1
    answers = complete_answers('KENTMARK', 40, 30)
    undeclared = client.post(f'{url}submit/', {'answers': answers, 'version': 1}, format='json')
    assert undeclared.status_code == 400 and 'declaration' in undeclared.json()
    declaration = {'name': 'Sam Roe', 'role': 'Analyst', 'on_behalf_of': 'A. Chief'}
    body = {'answers': answers, 'version': 1, 'declaration': declaration}
    # Kent's register lists equipment in categories these answers say it does not operate: warnings to confirm.
    unconfirmed = client.post(f'{url}submit/', body, format='json')
    assert unconfirmed.status_code == 400 and not Invitation.objects.filter(status='submitted', pk=url.split('/')[-2])
    codes = _codes(unconfirmed)
    assert codes and all(code.endswith('.operates:register') for code in codes)
    submitted = client.post(f'{url}submit/', body | {'confirmed_warnings': codes}, format='json')
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()['status'] == 'submitted' and submitted.json()['source'] == 'api'
    stored = Return.objects.get(invitation=world.a.invitation)
    assert stored.submitted_at is not None and stored.source == Return.Source.API
    assert submitted.json()['reference'] == stored.reference and stored.reference.startswith('OVS-')
    assert (stored.declarant_name, stored.declared_for, stored.declared_by) == ('Sam Roe', 'A. Chief', world.a.editor)


def _codes(response) -> list[str]:
    """The warning codes a refused submission names."""
    text = ' '.join(message for messages in response.json().values() for message in messages)
    return sorted(set(re.findall(r'list "([^"]+)" in confirmed_warnings', text)))


def test_a_submission_confirms_warnings_by_code_as_the_web_does(world, api, client):
    url = _open_invitation(world, world.a)
    editor = api(world.a.editor)
    declaration = {'name': 'Sam Roe', 'role': 'Analyst', 'on_behalf_of': 'A. Chief'}
    body = {'answers': complete_answers('KENTMARK', 10, 30), 'version': 0, 'declaration': declaration}
    codes = _codes(editor.post(f'{url}submit/', body, format='json'))  # every warning is named at once
    assert 'external_cctv.cameras:below-lines' in codes
    register_codes = [code for code in codes if code.endswith(':register')]
    refused = editor.post(f'{url}submit/', body | {'confirmed_warnings': register_codes}, format='json')
    assert refused.status_code == 400
    [message] = refused.json()['external_cctv.cameras']  # a total of 10 beside lines of 30 devices
    assert 'less than the 30 devices' in message and 'list "external_cctv.cameras:below-lines"' in message
    nonsense = [*register_codes, 'external_cctv.cameras:nonsense']
    unknown = editor.post(f'{url}submit/', body | {'confirmed_warnings': nonsense}, format='json')
    assert unknown.status_code == 400 and 'external_cctv.cameras:nonsense: not a warning' in str(unknown.json())
    assert not Return.objects.filter(invitation=world.a.invitation).exists()
    every = [*register_codes, 'external_cctv.cameras:below-lines']
    submitted = editor.post(f'{url}submit/', body | {'confirmed_warnings': every}, format='json')
    assert submitted.status_code == 200, submitted.content
    stored = Return.objects.get(invitation=world.a.invitation)
    assert sorted(w['code'] for w in stored.confirmed_warnings) == sorted(every)
    assert sorted(w['code'] for w in submitted.json()['confirmed_warnings']) == sorted(every)
    # The regulator reads them on the return's page, as worded when the body confirmed them.
    client.force_login(world.regulator)
    page = client.get(stored.get_absolute_url()).content.decode()
    section = page.split('data-testid="confirmed-warnings"', 1)[1].split('</ul>', 1)[0]
    assert 'The total of 10 in 1.3 is less than the 30 devices' in section
    assert section.count('<li>') == len(every)


def test_a_save_from_a_stale_copy_is_refused(world, api):
    url = _open_invitation(world, world.a)
    client = api(world.a.editor)
    client.post(f'{url}draft/', {'answers': {'governance.sro_name': 'First'}, 'version': 0}, format='json')
    stale = client.post(f'{url}draft/', {'answers': {'governance.sro_name': 'Second'}, 'version': 0}, format='json')
    assert stale.status_code == 409
    assert Return.objects.get(invitation=world.a.invitation).answers == {'governance.sro_name': 'First'}


def test_an_incomplete_submission_lists_every_missing_answer(world, api):
    url = _open_invitation(world, world.a)
    declaration = {'name': 'Sam Roe', 'role': 'Analyst', 'on_behalf_of': 'A. Chief'}
    response = api(world.a.editor).post(
        f'{url}submit/', {'answers': {}, 'version': 0, 'declaration': declaration}, format='json'
    )
    assert response.status_code == 400
    assert len(response.json()) > 10
    assert not Return.objects.filter(invitation=world.a.invitation).exists()


@pytest.mark.parametrize(
    'answers',
    [
        {'external_cctv.manufacturers': 'Hikvision'},
        {'external_cctv.manufacturers': ['Hikvision']},
        {'external_cctv.operates': {'yes': True}},
    ],
)
def test_answers_of_the_wrong_shape_are_refused_by_key(world, api, answers):
    url = _open_invitation(world, world.a)
    response = api(world.a.editor).post(f'{url}draft/', {'answers': answers, 'version': 0}, format='json')
    assert response.status_code == 400
    assert set(response.json()['answers']) == set(answers)


def test_a_submitted_return_cannot_be_saved_again(world, api):
    url = f'/api/invitations/{world.a.invitation.pk}/'
    version = world.a.survey_return.version
    response = api(world.a.editor).post(f'{url}draft/', {'answers': {}, 'version': version}, format='json')
    assert response.status_code == 400
    assert 'it can change only if the regulator returns it' in response.json()['non_field_errors'][0]


@pytest.mark.parametrize('who', ['viewer', 'regulator', 'other body'])
def test_only_the_bodys_editors_save_its_return(world, api, who):
    url = _open_invitation(world, world.a)
    user = {'viewer': world.a.viewer, 'regulator': world.regulator, 'other body': world.b.editor}[who]
    response = api(user).post(f'{url}draft/', {'answers': {}, 'version': 0}, format='json')
    assert response.status_code == (404 if who == 'other body' else 403)
    assert not Return.objects.filter(invitation=world.a.invitation).exists()


def test_answering_a_query_is_the_pages_work_not_a_resubmission(world, api):
    # B's return was returned with a query: it is resubmitted by answering the query, never around it.
    url = f'/api/invitations/{world.b.invitation.pk}/'
    response = api(world.b.editor).post(
        f'{url}submit/',
        {
            'answers': complete_answers('ESSEXMARK', 1, 1),
            'version': world.b.survey_return.version,
            'declaration': {'name': 'Al Poe', 'role': 'Analyst', 'on_behalf_of': 'B. Chief'},
        },
        format='json',
    )
    assert response.status_code == 400
    assert 'answer the query' in response.json()['non_field_errors'][0]
    assert Invitation.objects.get(pk=world.b.invitation.pk).status == Invitation.Status.RETURNED


@pytest.mark.parametrize('quantity', [10**29, '9' * 5000, 1_000_001, 0])
def test_a_line_quantity_out_of_bounds_is_refused_naming_the_field(world, api, quantity):
    """10^29 devices was accepted in a draft, and 5,000 digits were a 500."""
    url = _open_invitation(world, world.a)
    line = {'manufacturer': 'Axis', 'brand': '', 'model': '', 'quantity': quantity}
    answers = {'external_cctv.operates': 'yes', 'external_cctv.manufacturers': [line]}
    response = api(world.a.editor).post(f'{url}draft/', {'answers': answers, 'version': 0}, format='json')
    assert response.status_code == 400, response.content
    shown = str(quantity) if len(str(quantity)) <= 20 else f'{str(quantity)[:20]}…'
    message = f'quantity: "{shown}" is not a whole number from 1 to 1,000,000.'
    assert response.json() == {'external_cctv.manufacturers.1': [f'External CCTV, manufacturer line 1, {message}']}
