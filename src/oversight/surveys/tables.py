import django_tables2 as tables
from django.utils.html import format_html

from oversight.core.dates import govuk_datetime

from .models import Campaign, Correction, Invitation


class CampaignTable(tables.Table):
    title = tables.Column(linkify=True)
    invited = tables.Column(verbose_name='Invited', orderable=False)
    responded = tables.Column(verbose_name='Responded', orderable=False)

    class Meta:
        model = Campaign
        fields = ('title', 'year', 'status', 'deadline', 'invited', 'responded')


class InvitationTable(tables.Table):
    organisation = tables.Column(verbose_name='Body', linkify=lambda record: record.get_absolute_url())
    status = tables.Column()
    submitted = tables.Column(
        verbose_name='Submitted', accessor='survey_return__submitted_at', orderable=True, default=''
    )
    timeliness = tables.Column(verbose_name='On time', empty_values=(), orderable=False)
    reminders = tables.Column(verbose_name='Reminders sent', accessor='reminder_count', orderable=True)
    extended_until = tables.Column(verbose_name='Extended to', default='')

    class Meta:
        model = Invitation
        fields = ('organisation', 'status', 'submitted', 'timeliness', 'reminders', 'extended_until')
        order_by = ('organisation',)

    def render_submitted(self, value):
        return govuk_datetime(value)

    def render_timeliness(self, record):
        survey_return = getattr(record, 'survey_return', None) if record.status in Invitation.RESPONDED else None
        if survey_return is None or survey_return.is_late is None:
            return ''
        if survey_return.is_late:
            return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', 'red', 'Late')
        return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', 'green', 'On time')

    def value_timeliness(self, record):
        survey_return = getattr(record, 'survey_return', None) if record.status in Invitation.RESPONDED else None
        if survey_return is None or survey_return.is_late is None:
            return ''
        return 'late' if survey_return.is_late else 'on time'


class CorrectionTable(tables.Table):
    body = tables.Column(accessor='survey_return__organisation__name', verbose_name='Body')
    field_label = tables.Column(verbose_name='Field', linkify=lambda record: record.survey_return.get_absolute_url())
    old_value = tables.Column(verbose_name='Originally')
    new_value = tables.Column(verbose_name='Corrected to')

    class Meta:
        model = Correction
        fields = ('body', 'field_label', 'old_value', 'new_value', 'reason', 'source', 'date', 'publish_as_update')
