"""The emails sent to bodies about a campaign: composed here, sent by the actions that call for them.

Each is written in its body's preferred language (Organisation.preferred_language), whatever the language
of the page that sends it: the regulator's staff send a Welsh body its reminder in Welsh.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from oversight.core import exports
from oversight.core.dates import govuk_datetime

from .models import Invitation, Return


def base_url() -> str:
    return settings.OVERSIGHT_BASE_URL.rstrip('/')


def compose(invitation: Invitation, template: str, context: dict) -> EmailMessage | None:
    recipients = [c.email for c in invitation.contacts.all()]
    if not recipients:
        return None
    with translation.override(invitation.organisation.preferred_language):
        return _compose(invitation, template, context, recipients)


def _compose(invitation: Invitation, template: str, context: dict, recipients: list[str]) -> EmailMessage:
    context = {
        'invitation': invitation,
        'campaign': invitation.campaign,
        'organisation': invitation.organisation,
        'link': base_url() + reverse('surveys:invitation_token', args=[invitation.token]),
        'deadline': govuk_datetime(invitation.campaign.deadline) if invitation.campaign.deadline else '',
        **context,
    }
    subject, _newline, body = render_to_string(f'surveys/email/{template}.txt', context).partition('\n')
    return EmailMessage(subject.strip(), body.strip() + '\n', settings.DEFAULT_FROM_EMAIL, recipients)


def receipt_recipients(invitation: Invitation, submitter) -> list[str]:
    """Who gets a submission's receipt: the person who submitted it and the body's contacts, each once."""
    emails = [getattr(submitter, 'email', '')] + [c.email for c in invitation.contacts.all()]
    return list(dict.fromkeys(e for e in emails if e))


def compose_receipt(survey_return: Return, submitter_id) -> EmailMessage | None:
    """The receipt of a submission: its reference and declaration, the return as submitted, and it as a CSV."""
    from django.contrib.auth import get_user_model

    invitation = survey_return.invitation
    recipients = receipt_recipients(invitation, get_user_model().objects.filter(pk=submitter_id).first())
    if not recipients:
        return None
    with translation.override(invitation.organisation.preferred_language):
        return _compose_receipt(survey_return, recipients)


def _compose_receipt(survey_return: Return, recipients: list[str]) -> EmailMessage:
    from .answers import Schema
    from .journey import answer_table

    invitation = survey_return.invitation
    rows = answer_table(Schema(survey_return.campaign.questionnaire), survey_return.answers)
    context = {
        'survey_return': survey_return,
        'campaign': survey_return.campaign,
        'organisation': survey_return.organisation,
        'submitted': govuk_datetime(survey_return.last_submitted_at),
        'declared': govuk_datetime(survey_return.declared_at) if survey_return.declared_at else '',
        'rows': rows,
        'link': base_url() + reverse('surveys:invitation_token', args=[invitation.token]),
    }
    subject, _newline, body = render_to_string('surveys/email/receipt.txt', context).partition('\n')
    message = EmailMessage(subject.strip(), body.strip() + '\n', settings.DEFAULT_FROM_EMAIL, recipients)
    message.attach(
        f'{survey_return.reference}.csv', exports.csv_bytes((_('Number'), _('Question'), _('Answer')), rows), 'text/csv'
    )
    return message
