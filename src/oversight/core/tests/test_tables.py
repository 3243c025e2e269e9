import django_tables2 as tables
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from oversight.core.tables import CountColumn


class DevicesTable(tables.Table):
    site = tables.Column()
    devices = CountColumn()


def _rendered(table) -> str:
    request = RequestFactory().get('/register/sites/')
    tables.RequestConfig(request).configure(table)
    return Template('{% load django_tables2 %}{% render_table table %}').render(
        Context({'table': table, 'request': request})
    )


def test_a_count_is_right_aligned_with_its_thousands_separated_and_exported_as_a_number():
    table = DevicesTable([{'site': 'Maidstone HQ', 'devices': 12345}, {'site': 'Dover', 'devices': 7}])

    for language in ('en', 'cy'):
        with translation.override(language):
            page = _rendered(table)
        assert '<td class="govuk-table__cell govuk-table__cell--numeric">12,345</td>' in page
        assert '<td class="govuk-table__cell govuk-table__cell--numeric">7</td>' in page
        assert 'class="govuk-table__header govuk-table__header--numeric"' in page
        assert '<td class="govuk-table__cell">Maidstone HQ</td>' in page
    assert list(table.as_values()) == [['Site', 'Devices'], ['Maidstone HQ', 12345], ['Dover', 7]]
