import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

import oversight.core.tables  # noqa: F401  (GOV.UK date columns, registered before these tables are built)
from oversight.core.dates import govuk_date
from oversight.core.permissions import may_edit_body
from oversight.core.status import status_tag
from oversight.core.tables import ChoiceColumn
from oversight.register.models import System

from .models import CERTIFICATION_STATUS, DPIA_STATUS, ReviewTask
from .templatetags.compliance import certification_tag, dpia_tag


class DateColumn(tables.Column):
    def render(self, value):
        return govuk_date(value)


class GovernanceTable(tables.Table):
    """A body's systems with the state of their governance (rows are systems: those with no record show too)."""

    name = tables.Column(
        verbose_name=_('System'), linkify=lambda record: reverse('compliance:governance_detail', args=[record.pk])
    )
    dpia = tables.Column(verbose_name='DPIA')
    dpia_review_due = DateColumn(accessor='governance__dpia_review_due', verbose_name=_('DPIA review due'))
    certification = tables.Column(verbose_name=_('Certification'))
    certification_expires = DateColumn(
        accessor='governance__certification_expires', verbose_name=_('Certificate expires')
    )
    # Shown by its label: django-tables2 reads the choices of the field the accessor ends at.
    facial_recognition = ChoiceColumn(accessor='governance__facial_recognition', verbose_name=_('Facial recognition'))

    class Meta:
        model = System
        fields = ('organisation', 'name', 'category')
        sequence = ('organisation', 'name', 'category', '...')
        empty_text = _('No systems match.')

    def render_dpia(self, value):
        return dpia_tag(value)

    def value_dpia(self, value):
        return DPIA_STATUS[value][0]

    def render_certification(self, value):
        return certification_tag(value)

    def value_certification(self, value):
        return CERTIFICATION_STATUS[value][0]


class ReviewTaskTable(tables.Table):
    """A body's review tasks: what raised each, and where it stands."""

    organisation = tables.Column(verbose_name=_('Body'), order_by=('organisation__name',))
    kind = tables.Column(
        verbose_name=_('Task'), linkify=lambda record: reverse('compliance:task_detail', args=[record.pk])
    )
    system = tables.Column(
        verbose_name=_('System'),
        linkify=lambda record: reverse('compliance:governance_detail', args=[record.system_id]),
        empty_values=(None,),
    )
    reason = tables.Column(verbose_name=_('Why'), orderable=False)
    raised_at = tables.Column(verbose_name=_('Raised'))
    due = DateColumn(verbose_name=_('Due'))
    status = tables.Column(verbose_name=_('Status'), accessor='resolved_at', order_by=('resolved_at', 'due'))
    actions = tables.Column(verbose_name=_('Action'), accessor='pk', orderable=False, exclude_from_export=True)

    class Meta:
        model = ReviewTask
        fields = ('organisation', 'kind', 'system', 'reason', 'raised_at', 'due', 'status')
        sequence = ('organisation', 'kind', 'system', 'reason', 'raised_at', 'due', 'status', 'actions')
        empty_text = _('Nothing to do: no review task matches.')

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def render_system(self, value):
        return value.name

    def value_system(self, value):
        return value.name if value else ''

    def render_reason(self, record):
        """The one cause as it was given; several, each with the day it was raised for."""
        causes = record.causes
        if len(causes) <= 1:
            return record.reason
        return format_html(
            '<ul class="govuk-list">{}</ul>',
            format_html_join(
                '', '<li>{}: {}</li>', ((govuk_date(timezone.localdate(c['raised_at'])), c['reason']) for c in causes)
            ),
        )

    def value_reason(self, record):
        causes = record.causes
        if len(causes) <= 1:
            return record.reason
        return '; '.join(f'{timezone.localdate(c["raised_at"]).isoformat()}: {c["reason"]}' for c in causes)

    def render_raised_at(self, value):
        return govuk_date(timezone.localdate(value))

    def value_raised_at(self, value):
        return timezone.localdate(value).isoformat()

    def render_status(self, record):
        return status_tag(record.status, record.status_label)

    def value_status(self, record):
        return str(record.status_label)

    def render_actions(self, record):
        if record.is_open and self.user is not None and may_edit_body(self.user, record.organisation_id):
            return format_html(
                '<a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> {}</span></a>',
                reverse('compliance:task_resolve', args=[record.pk]),
                _('Resolve'),
                str(record),
            )
        if record.resolved_at:
            return record.resolution
        return ''


class TaskCountTable(tables.Table):
    """Open review tasks by body and kind, for the regulator: each count links to the body's list."""

    organisation = tables.Column(verbose_name=_('Body'), accessor='organisation__name')

    class Meta:
        empty_text = _('No open review tasks match.')

    def __init__(self, data, *args, **kwargs):
        extra = [(kind, tables.Column(verbose_name=label, attrs={'cell': {'class': 'govuk-table__cell--numeric'}}))
                 for kind, label in ReviewTask.Kind.choices]  # fmt: skip
        extra.append(('total', tables.Column(verbose_name=_('Total'))))
        super().__init__(data, *args, extra_columns=extra, **kwargs)

    def render_organisation(self, value, record):
        url = reverse('compliance:task_list') + f'?organisation={record["organisation"]}'
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, value)
