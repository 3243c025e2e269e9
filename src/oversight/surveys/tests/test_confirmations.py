"""Accepting a return and closing a campaign go through one confirmation page each (core.views.ConfirmActionView)."""

from html import escape

import time_machine
from django.urls import reverse

from oversight.surveys.actions.returns import return_with_query, submit_return
from oversight.surveys.models import Campaign, Invitation

from .conftest import london
from .test_workflow import with_lines


def test_accepting_a_return_asks_first_then_accepts(client_for, editor_a, regulator, invitation_a):
    with time_machine.travel(london(2022, 7, 10, 12), tick=False):
        survey_return = submit_return(editor_a, invitation_a, with_lines())
    client = client_for(regulator)
    detail = client.get(survey_return.get_absolute_url()).content.decode()
    url = reverse('surveys:return_accept', args=[survey_return.pk])
    assert f'href="{url}"' in detail  # a link to the confirmation, not a one-click form
    page = client.get(url).content.decode()
    assert 'Accept the return of Kent Police?' in page
    assert 'cannot be sent back to the body' in page and 'Cancel' in page
    assert f'value="{survey_return.version}"' in page
    invitation_a.refresh_from_db()
    assert invitation_a.status == Invitation.Status.SUBMITTED  # looking at the page changes nothing
    response = client.post(url, {'version': survey_return.version}, follow=True)
    invitation_a.refresh_from_db()
    assert invitation_a.status == Invitation.Status.ACCEPTED
    assert 'The return of Kent Police is accepted.' in response.content.decode()


def test_an_acceptance_confirmed_on_a_stale_page_is_refused_with_the_reason(
    client_for, editor_a, regulator, invitation_a
):
    with time_machine.travel(london(2022, 7, 10, 12), tick=False):
        survey_return = submit_return(editor_a, invitation_a, with_lines())
    url = reverse('surveys:return_accept', args=[survey_return.pk])
    client = client_for(regulator)
    stale = client.post(url, {'version': survey_return.version - 1}).content.decode()
    assert '<title>Error: ' in stale and 'There is a problem' in stale and 'Someone else saved a change' in stale
    return_with_query(regulator, survey_return, 'How many?', expected_version=survey_return.version)
    queried = client.post(url, {'version': survey_return.version}).content.decode()
    assert 'Only a submitted return can be accepted; this one is Returned with a query.' in queried
    invitation_a.refresh_from_db()
    assert invitation_a.status == Invitation.Status.RETURNED


def test_closing_a_campaign_asks_first_then_closes(client_for, regulator, editor_a, campaign):
    url = reverse('surveys:campaign_close', args=[campaign.slug])
    assert client_for(editor_a).post(url, {'version': campaign.version}).status_code == 403
    client = client_for(regulator)
    assert f'href="{url}"' in client.get(campaign.get_absolute_url()).content.decode()
    page = client.get(url).content.decode()
    assert escape(f'Close {campaign}?') in page and 'cannot be opened again' in page
    assert 'Bodies that have not submitted' in page
    response = client.post(url, {'version': campaign.version})
    assert response.status_code == 302 and response['Location'] == campaign.get_absolute_url()
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    again = client.post(url, {'version': campaign.version}).content.decode()
    assert 'Only an open campaign can be closed.' in again
