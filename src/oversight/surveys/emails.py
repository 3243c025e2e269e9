"""The emails sent to bodies about a campaign: composed here, sent by the actions that call for them."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from oversight.core.dates import govuk_datetime

from .models import Invitation


def base_url() -> str:
    return settings.OVERSIGHT_BASE_URL.rstrip('/')


def compose(invitation: Invitation, template: str, context: dict) -> EmailMessage | None:
    recipients = [c.email for c in invitation.contacts.all()]
    if not recipients:
        return None
    context = {
        'invitation': invitation,
        'campaign': invitation.campaign,
        'organisation': invitation.organisation,
        'link': base_url() + reverse('surveys:invitation_token', args=[invitation.token]),
        'deadline': govuk_datetime(invitation.campaign.deadline) if invitation.campaign.deadline else '',
        **context,
    }
    subject, _, body = render_to_string(f'surveys/email/{template}.txt', context).partition('\n')
    return EmailMessage(subject.strip(), body.strip() + '\n', settings.DEFAULT_FROM_EMAIL, recipients)
