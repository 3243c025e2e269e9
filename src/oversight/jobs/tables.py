import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

import oversight.core.tables  # noqa: F401  (GOV.UK date columns, registered before these tables are built)
from oversight.core.status import status_tag

from .models import Job


class JobTable(tables.Table):
    # Shown in the page's language; an export gives the English description, as the API does.
    description = tables.Column(
        accessor='shown_description', order_by='description', linkify=True, verbose_name=_('Task')
    )
    status = tables.Column(accessor='shown_status', order_by='status')
    user = tables.Column(verbose_name=_('Started by'))

    class Meta:
        model = Job
        fields = ['description', 'kind', 'organisation', 'user', 'created', 'status']
        orderable = True

    def render_status(self, record):
        return status_tag(record.shown_state, record.shown_status)

    def value_status(self, record):
        return record.shown_status

    def value_description(self, record):
        return record.description
