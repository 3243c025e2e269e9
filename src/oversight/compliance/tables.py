import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from oversight.core.dates import govuk_date
from oversight.register.models import System

from .models import CERTIFICATION_STATUS, DPIA_STATUS
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
    facial_recognition = tables.Column(accessor='governance__facial_recognition', verbose_name=_('Facial recognition'))

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
