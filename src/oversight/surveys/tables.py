import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

import oversight.core.tables  # noqa: F401  (GOV.UK date columns, registered before these tables are built)
from oversight.core.dates import govuk_datetime
from oversight.core.status import status_tag

from .models import Campaign, Correction, Invitation


class CampaignTable(tables.Table):
    title = tables.Column(linkify=True)
    invited = tables.Column(verbose_name=_('Invited'), orderable=False)
    responded = tables.Column(verbose_name=_('Responded'), orderable=False)

    class Meta:
        model = Campaign
        fields = ('title', 'year', 'status', 'deadline', 'invited', 'responded')

    def render_status(self, record):
        return status_tag(record.status, record.get_status_display())

    def value_status(self, record):
        return record.get_status_display()


class InvitationTable(tables.Table):
    organisation = tables.Column(verbose_name=_('Body'), linkify=lambda record: record.get_absolute_url())
    status = tables.Column()
    submitted = tables.Column(
        verbose_name=_('Submitted'), accessor='survey_return__submitted_at', orderable=True, default=''
    )
    timeliness = tables.Column(verbose_name=_('On time'), empty_values=(), orderable=False)
    reminders = tables.Column(verbose_name=_('Reminders sent'), accessor='reminder_count', orderable=True)
    extended_until = tables.Column(verbose_name=_('Extended to'), default='')
    actions = tables.Column(verbose_name='', empty_values=(), orderable=False)

    class Meta:
        model = Invitation
        fields = ('organisation', 'status', 'submitted', 'timeliness', 'reminders', 'extended_until', 'actions')
        order_by = ('organisation',)

    def render_status(self, record):
        return status_tag(record.status, record.get_status_display())

    def value_status(self, record):
        return record.get_status_display()

    def render_actions(self, record):
        if record.status not in Invitation.OUTSTANDING or record.campaign.status != Campaign.Status.OPEN:
            return ''
        return format_html(
            '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> {}</span></a>',
            reverse('surveys:invitation_remind', args=[record.pk]),
            gettext('Send a reminder'),
            gettext('to %(organisation)s') % {'organisation': record.organisation},
        )

    def render_submitted(self, value):
        return govuk_datetime(value)

    @staticmethod
    def _timeliness(record) -> str:
        """Late by `InvitationQuerySet.late` (the `is_late` the page annotates); on time once submitted if not."""
        if record.is_late:
            return gettext_noop('Late')
        return gettext_noop('On time') if record.has_responded and record.campaign.deadline else ''

    def render_timeliness(self, record):
        text = self._timeliness(record)
        colour = {'Late': 'red', 'On time': 'green'}.get(text)
        return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, gettext(text)) if text else ''

    def value_timeliness(self, record):
        return self._timeliness(record).lower()


class CorrectionTable(tables.Table):
    body = tables.Column(accessor='survey_return__organisation__name', verbose_name=_('Body'))
    field_label = tables.Column(verbose_name=_('Field'), linkify=lambda record: record.survey_return.get_absolute_url())
    old_value = tables.Column(verbose_name=_('Originally'))
    new_value = tables.Column(verbose_name=_('Corrected to'))

    class Meta:
        model = Correction
        fields = ('body', 'field_label', 'old_value', 'new_value', 'reason', 'source', 'date', 'publish_as_update')
