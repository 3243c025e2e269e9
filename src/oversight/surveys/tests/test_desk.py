"""The regulator's campaign desk: reminders by hand (one body, or every outstanding body through a worker),
each previewed first and refused with its reason; the late / outstanding / queried filters; status tags."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from oversight.core.models import ObjectChange
from oversight.jobs.models import Job
from oversight.surveys.actions.campaigns import close_campaign
from oversight.surveys.actions.invitations import (
    hand_reminder_refusal,
    send_due_reminders,
    send_invitations,
    send_reminder,
    set_contacts,
)
from oversight.surveys.actions.returns import accept_return, return_with_query, submit_return
from oversight.surveys.models import Invitation, Reminder

from .conftest import CUTOFF, london
from .test_workflow import with_lines

# After the deadline (31 August), before the cut-off (16 December).
SEPTEMBER = london(2022, 9, 5, 12)


@pytest.fixture
def invited(regulator, campaign, invitation_a, invitation_b):
    """Kent and Essex each have a contact and were sent their invitation when the campaign opened."""
    set_contacts(regulator, invitation_a, [('Sam Okafor', 'sam@kent.police.example', 'SRO')])
    set_contacts(regulator, invitation_b, [('Tom Barker', 'tom@essex.police.example', 'SRO')])
    send_invitations(regulator, campaign, now=london(2022, 6, 24, 10))
    mail.outbox.clear()
    invitation_a.refresh_from_db()
    invitation_b.refresh_from_db()
    return invitation_a, invitation_b


@pytest.fixture
def september():
    with time_machine.travel(SEPTEMBER, tick=False):
        yield


def remind_url(invitation):
    return reverse('surveys:invitation_remind', args=[invitation.pk])


def test_one_body_is_shown_the_email_then_sent_it_recorded_and_audited(client_for, regulator, invited, september):
    kent, _ = invited
    client = client_for(regulator)
    preview = client.get(remind_url(kent)).content.decode()
    assert 'data-testid="email-subject">Reminder 1: Police survey 2022 return for Kent Police<' in preview
    assert 'data-testid="email-to">sam@kent.police.example<' in preview
    assert 'The deadline is' in preview and 'Send reminder</button>' in preview
    assert mail.outbox == [] and not Reminder.objects.exists()  # previewing sends nothing

    response = client.post(remind_url(kent))
    assert response.status_code == 302 and response['Location'] == kent.get_absolute_url()
    (sent,) = mail.outbox
    assert sent.to == ['sam@kent.police.example']
    assert sent.subject == 'Reminder 1: Police survey 2022 return for Kent Police'
    assert sent.subject in preview and '/surveys/i/' in sent.body
    reminder = Reminder.objects.get()
    assert reminder.invitation == kent and reminder.sent_at == SEPTEMBER
    change = ObjectChange.objects.get(message='Reminder 1 sent by hand')
    assert change.user == regulator
    page = client.get(kent.get_absolute_url()).content.decode()
    assert 'Reminder sent to Kent Police (1 email address).' in page
    assert 'Reminders (1 of at most 3)' in page


def test_the_body_is_linked_from_its_row_and_its_page_only_while_it_can_be_reminded(
    client_for, regulator, editor_a, invited, september
):
    kent, essex = invited
    client = client_for(regulator)
    campaign_page = client.get(kent.campaign.get_absolute_url()).content.decode()
    assert f'href="{remind_url(kent)}">Send a reminder<span class="govuk-visually-hidden"> to Kent Police' in (
        campaign_page
    )
    assert 'Send a reminder now' in client.get(kent.get_absolute_url()).content.decode()
    submit_return(editor_a, kent, with_lines())
    assert f'href="{remind_url(kent)}"' not in client.get(kent.campaign.get_absolute_url()).content.decode()
    assert 'Send a reminder now' not in client.get(kent.get_absolute_url()).content.decode()


class TestRefusals:
    """Each reason a reminder by hand is refused: shown on the preview with no button, and the send refused."""

    def assert_refused(self, client, invitation, reason):
        assert reason in hand_reminder_refusal(invitation)
        preview = client.get(remind_url(invitation)).content.decode()
        assert reason in preview and 'Send reminder</button>' not in preview
        before = Reminder.objects.count()
        with pytest.raises(ValidationError, match=re.escape(reason)):
            send_reminder(None, invitation)
        response = client.post(remind_url(invitation), follow=True)
        assert reason in response.content.decode()
        assert Reminder.objects.count() == before and mail.outbox == []

    def test_campaign_not_open(self, client_for, regulator, invited, september):
        kent, _ = invited
        close_campaign(regulator, kent.campaign)
        kent.refresh_from_db()
        self.assert_refused(client_for(regulator), kent, 'because the campaign is not open')

    def test_already_submitted(self, client_for, regulator, editor_a, invited, september):
        kent, _ = invited
        submit_return(editor_a, kent, with_lines())
        kent.refresh_from_db()
        self.assert_refused(client_for(regulator), kent, 'because its return is already submitted')

    def test_already_accepted(self, client_for, regulator, editor_a, invited, september):
        kent, _ = invited
        accept_return(regulator, submit_return(editor_a, kent, with_lines()))
        kent.refresh_from_db()
        self.assert_refused(client_for(regulator), kent, 'because its return is already accepted')

    def test_no_contacts(self, client_for, regulator, invited, september):
        kent, _ = invited
        set_contacts(regulator, kent, [])
        self.assert_refused(client_for(regulator), kent, 'because it has no contacts. Add its contacts first.')

    def test_invitation_not_sent(self, client_for, regulator, invited, september):
        kent, _ = invited
        Invitation.objects.filter(pk=kent.pk).update(sent_at=None)
        kent.refresh_from_db()
        self.assert_refused(client_for(regulator), kent, 'because its invitation has not been sent')

    def test_past_its_cutoff(self, client_for, regulator, invited):
        kent, _ = invited
        with time_machine.travel(CUTOFF + datetime.timedelta(hours=1), tick=False):
            self.assert_refused(client_for(regulator), kent, 'because its cut-off has passed')

    def test_reminded_less_than_a_day_ago(self, client_for, regulator, invited, september):
        kent, _ = invited
        send_reminder(regulator, kent)
        mail.outbox.clear()
        self.assert_refused(client_for(regulator), kent, 'Wait a day between reminders.')
        with time_machine.travel(SEPTEMBER + datetime.timedelta(days=1), tick=False):
            assert hand_reminder_refusal(kent) == ''

    def test_a_body_cannot_send_one(self, client_for, editor_a, invited, september):
        kent, _ = invited
        assert client_for(editor_a).post(remind_url(kent)).status_code == 403
        assert mail.outbox == [] and not Reminder.objects.exists()


def test_a_returned_return_may_be_reminded(regulator, editor_a, invited, september):
    kent, _ = invited
    return_with_query(regulator, submit_return(editor_a, kent, with_lines()), 'Are all 40 cameras public?')
    kent.refresh_from_db()
    send_reminder(regulator, kent)
    reminder = mail.outbox[-1]
    assert reminder.subject.startswith('Reminder 1:')
    assert 'was returned with a query that has not been answered yet' in reminder.body


def test_reminders_by_hand_count_towards_the_cap_and_restart_the_interval(regulator, campaign, invited):
    kent, _ = invited

    def scheduled(day) -> list[str]:
        return [i.organisation.name for i in send_due_reminders(now=day, campaign=campaign)]

    with time_machine.travel(london(2022, 6, 30, 10), tick=False):
        send_reminder(regulator, kent)  # by hand, six days after the invitation
    # The schedule (every 7 days) now counts from the reminder by hand, not from the invitation.
    assert 'Kent Police' not in scheduled(london(2022, 7, 2, 10))
    assert 'Kent Police' in scheduled(london(2022, 7, 7, 11))
    with time_machine.travel(london(2022, 7, 9, 10), tick=False):
        send_reminder(regulator, kent)  # the third reminder: the cap is reached
    assert kent.reminders.count() == campaign.reminder_cap == 3
    assert 'Kent Police' not in scheduled(london(2022, 8, 1, 10))  # no more from the schedule
    with time_machine.travel(london(2022, 8, 2, 10), tick=False):
        send_reminder(regulator, kent)  # by hand past the cap: the regulator's choice, recorded
    assert kent.reminders.count() == 4
    to_kent = [m.subject.split(':')[0] for m in mail.outbox if m.to == ['sam@kent.police.example']]
    assert to_kent == [f'Reminder {n}' for n in (1, 2, 3, 4)]


def test_every_outstanding_body_is_previewed_then_reminded_by_a_task(
    client_for, regulator, editor_a, invited, django_capture_on_commit_callbacks, september
):
    kent, essex = invited
    campaign = kent.campaign
    submit_return(editor_a, kent, with_lines())
    third = campaign.invitations.exclude(pk__in=[kent.pk, essex.pk]).order_by('organisation__name').first()
    client = client_for(regulator)
    url = reverse('surveys:campaign_remind_outstanding', args=[campaign.slug])
    assert 'Remind every outstanding body' in client.get(campaign.get_absolute_url()).content.decode()
    preview = client.get(url).content.decode()
    assert 'This sends a reminder to <strong>1 body</strong>' in preview
    assert 'tom@essex.police.example' in preview and 'Reminder 1: Police survey 2022 return for Essex Police' in preview
    assert f'You cannot send a reminder to {third.organisation} because it has no contacts' in preview
    assert 'Left out (45)' in preview  # the other 45 bodies have no contacts; Kent has submitted
    assert 'Send 1 reminder</button>' in preview

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    job = Job.objects.get(kind=Job.Kind.REMINDERS)
    assert response['Location'] == job.get_absolute_url()
    assert job.arguments == {'campaign': campaign.pk, 'outstanding': True}
    assert job.status == Job.Status.DONE and job.result == {'reminded': 1}
    assert [m.to for m in mail.outbox] == [['tom@essex.police.example']]
    assert ObjectChange.objects.filter(message='Reminder 1 sent by hand', user=regulator).count() == 1

    # Again at once (a double click, a retry): nobody is reminded twice within a day.
    assert 'No outstanding body can be sent a reminder now.' in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert Job.objects.filter(kind=Job.Kind.REMINDERS).first().result == {'reminded': 0}
    assert len(mail.outbox) == 1


def test_remind_all_is_refused_when_the_campaign_is_not_open(client_for, regulator, invited, september):
    campaign = invited[0].campaign
    close_campaign(regulator, campaign)
    client = client_for(regulator)
    url = reverse('surveys:campaign_remind_outstanding', args=[campaign.slug])
    preview = client.get(url).content.decode()
    assert (
        'You cannot send reminders because the campaign is not open.' in preview
        and '</button>' not in (preview.split('<main')[1])
    )
    response = client.post(url, follow=True)
    assert 'Open the campaign before emailing its bodies.' in response.content.decode()
    assert not Job.objects.exists() and mail.outbox == []


class TestFilters:
    @pytest.fixture
    def returns(self, regulator, editor_a, invited, body_a, body_b):
        """Kent submitted late and was queried; Essex has not submitted (the deadline has passed); Avon and
        Somerset submitted on time (by a return made directly: its editor is not a fixture)."""
        from oversight.accounts.models import User

        kent, essex = invited
        with time_machine.travel(SEPTEMBER, tick=False):
            return_with_query(regulator, submit_return(editor_a, kent, with_lines()), 'Which sites?')
        avon = kent.campaign.invitations.get(organisation__name='Avon and Somerset Constabulary')
        editor = User.objects.create_user('avon', password='x', organisation=avon.organisation, role='editor')
        with time_machine.travel(london(2022, 8, 1, 12), tick=False):
            submit_return(editor, avon, with_lines())
        return kent, essex, avon

    def bodies(self, client, campaign, query) -> list[str]:
        page = client.get(campaign.get_absolute_url() + query).content.decode()
        table = page.split('<table', 1)[1]
        return re.findall(r'<a href="/surveys/invitations/\d+/">([^<]+)</a>', table)

    def test_late_outstanding_queried(self, client_for, regulator, returns, september):
        kent, essex, avon = returns
        client = client_for(regulator)
        campaign = kent.campaign
        late = self.bodies(client, campaign, '?late=on')
        assert 'Kent Police' in late and 'Essex Police' in late and 'Avon and Somerset Constabulary' not in late
        assert len(late) == 46  # every body but Avon and Somerset: 45 never submitted, and Kent submitted late
        assert self.bodies(client, campaign, '?queried=on') == ['Kent Police']
        outstanding = self.bodies(client, campaign, '?outstanding=on&organisation__name=Police')
        assert 'Kent Police' in outstanding and 'Avon and Somerset Constabulary' not in outstanding
        assert self.bodies(client, campaign, '?late=on&queried=on&status=returned') == ['Kent Police']
        assert self.bodies(client, campaign, '?status=submitted') == ['Avon and Somerset Constabulary']

    def test_late_is_one_rule_for_the_filter_the_tags_and_the_queryset(self, regulator, returns):
        kent, essex, avon = returns
        campaign = kent.campaign
        before_deadline = london(2022, 8, 2, 12)
        # Judged as of a day before the deadline, a body yet to submit is not late; Kent's late return still is.
        assert list(campaign.invitations.late(now=before_deadline)) == [kent]
        late = campaign.invitations.late(now=SEPTEMBER)
        assert kent in late and essex in late and avon not in late
        tagged = {i.pk: i.is_late for i in campaign.invitations.with_lateness(now=SEPTEMBER)}
        assert {pk for pk, is_late in tagged.items() if is_late} == set(late.values_list('pk', flat=True))
        assert kent.survey_return.is_late and not avon.survey_return.is_late

    def test_the_table_tags_status_and_lateness(self, client_for, regulator, returns, september):
        page = client_for(regulator).get(returns[0].campaign.get_absolute_url() + '?queried=on').content.decode()
        table = page.split('<table', 1)[1]
        assert 'govuk-tag govuk-tag--orange" data-testid="status">Returned with a query<' in table
        assert '<strong class="govuk-tag govuk-tag--red">Late</strong>' in table


def test_filters_are_govuk_controls_never_dashes(client_for, regulator, invited):
    client = client_for(regulator)
    campaign = invited[0].campaign
    for url in (
        reverse('surveys:campaign_list'),
        campaign.get_absolute_url(),
        reverse('surveys:campaign_corrections', args=[campaign.slug]),
    ):
        page = client.get(url).content.decode()
        form = page.split('class="app-filters"', 1)[1].split('</form>', 1)[0]
        assert '---------' not in form, url
        assert '>Any</option>' in form, url
        for control in re.findall(r'<(?:select|input)\b[^>]*>', form):
            assert 'govuk-' in control or 'type="hidden"' in control, (url, control)
        for field_id in re.findall(r'<(?:select|input)\b[^>]*\bid="([^"]+)"', form):
            assert f'for="{field_id}"' in form, (url, field_id)  # every control has its label
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert 'class="govuk-checkboxes__input" id="id_late"' in page.replace('type="checkbox" name="late" ', '')


def test_campaign_list_and_page_show_status_tags(client_for, regulator, campaign):
    client = client_for(regulator)
    listing = client.get(reverse('surveys:campaign_list')).content.decode()
    assert 'govuk-tag--turquoise" data-testid="status">Open<' in listing
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert 'data-testid="campaign-status"><strong class="govuk-tag govuk-tag--turquoise"' in page


def test_the_correction_field_picker_is_a_labelled_select_the_script_enhances(
    client_for, regulator, editor_a, invitation_a
):
    with time_machine.travel(london(2022, 7, 10, 12), tick=False):
        survey_return = submit_return(editor_a, invitation_a, with_lines())
    accept_return(regulator, survey_return)
    page = client_for(regulator).get(reverse('surveys:return_correct', args=[survey_return.pk])).content.decode()
    select = re.search(r'<select[^>]*name="field"[^>]*>', page)[0]
    assert 'data-autocomplete' in select and 'class="govuk-select"' in select and 'id="id_field"' in select
    assert '<label class="govuk-label govuk-label--s" for="id_field">Field to correct</label>' in page
    assert len(re.findall(r'<option value="[^"]+"', page.split(select)[1].split('</select>')[0])) > 50
    assert 'oversight/init.js' in page
