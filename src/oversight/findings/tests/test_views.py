"""The report pages: the regulator's draft and checks, published versions for everyone signed in, downloads."""

import base64
import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from oversight.findings import actions
from oversight.jobs.models import Job
from oversight.surveys.models import Campaign

from .test_publication import FIRST, TEXT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures('fast_pdf')]


@pytest.fixture
def report(campaign, regulator):
    return actions.create_report(regulator, campaign, narrative_text=TEXT)


@pytest.fixture
def published(report, regulator):
    return actions.publish_report(regulator, report, now=FIRST)


def url(name, *args):
    return reverse(f'findings:{name}', args=args)


def charts_of(html: str) -> list[bytes]:
    return [base64.b64decode(src) for src in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)]


class TestDraft:
    def test_the_regulator_sees_the_draft_with_live_figures_charts_tables_and_checks(
        self, client_for, regulator, report
    ):
        response = client_for(regulator).get(url('report', 'survey-2022'))
        html = response.content.decode()
        assert response.status_code == 200
        assert 'data-testid="checks-pass"' in html
        assert '67% (2 of 3 bodies invited)' in html
        charts = charts_of(html)
        assert len(charts) == 6 and all(b'<svg' in chart for chart in charts)
        for table in ('categories', 'manufacturers', 'responses', 'trends'):
            assert f'data-testid="table-{table}"' in html

    def test_a_wrong_typed_figure_shows_why_and_publishing_is_refused(self, client_for, regulator, report):
        actions.update_report(
            regulator, report, title=report.title, narrative_text=TEXT + ' The response rate was 91%.'
        )
        client = client_for(regulator)
        html = client.get(url('report', 'survey-2022')).content.decode()
        assert 'Publication is blocked' in html and 'the text says 91% but the data give 67%' in html
        report.refresh_from_db()
        response = client.post(url('report_publish', 'survey-2022'), {'version': report.version, 'note': ''})
        assert response.status_code == 200 and 'There is a problem' in response.content.decode()
        assert 'the text says 91% but the data give 67%' in response.content.decode()
        assert not report.versions.exists()

    def test_what_the_check_cannot_match_waits_for_the_regulator_to_confirm_that_list(
        self, client_for, regulator, report, django_capture_on_commit_callbacks
    ):
        """Once published silently: a number or claim the checker could not tell was passed."""
        actions.update_report(
            regulator, report, title=report.title, narrative_text=TEXT + ' Nearly every force has a policy.'
        )
        client = client_for(regulator)
        page = client.get(url('report', 'survey-2022'))
        assert 'Nearly every in “Nearly every force has a policy.”' in page.content.decode()
        fingerprint = client.get(url('report_publish', 'survey-2022')).context['form'].initial['unchecked']
        report.refresh_from_db()
        publish = {'version': report.version, 'note': '', 'unchecked': fingerprint}
        refused = client.post(url('report_publish', 'survey-2022'), publish)
        assert refused.status_code == 200 and 'Publication waits for you' in refused.content.decode()
        assert not report.versions.exists()
        # A confirmation of another list (the text changed since the page was read) is not this one's.
        stale = client.post(
            url('report_publish', 'survey-2022'), publish | {'confirm_unchecked': 'on', 'unchecked': 'x'}
        )
        assert 'There is a problem' in stale.content.decode() and not report.versions.exists()
        with django_capture_on_commit_callbacks(execute=True):
            confirmed = client.post(url('report_publish', 'survey-2022'), publish | {'confirm_unchecked': 'on'})
        assert confirmed.status_code == 302 and report.versions.count() == 1

    def test_starting_a_report_from_the_page(self, client_for, regulator, campaign):
        response = client_for(regulator).post(url('report_create'), {'campaign': campaign.pk})
        found = campaign.report
        assert response.status_code == 302 and response.url == found.get_absolute_url()
        assert found.narrative.strip()  # it starts from a text whose figures are placeholders

    def test_publishing_from_the_page(self, client_for, regulator, report, django_capture_on_commit_callbacks):
        client = client_for(regulator)
        publish = url('report_publish', 'survey-2022')
        assert f'href="{publish}"' in client.get(url('report', 'survey-2022')).content.decode()
        confirm = client.get(publish).content.decode()
        assert 'Publish version 1 of' in confirm and 'cannot be changed' in confirm and 'Cancel' in confirm
        draft_tag = 'govuk-tag--yellow" data-testid="status">Draft only<'
        assert draft_tag in client.get(url('report_list')).content.decode()
        assert not report.versions.exists()
        # Checked in the request; the figures frozen and the PDF rendered by a worker, followed on the task's page.
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url('report_publish', 'survey-2022'), {'version': report.version, 'note': 'First.'})
        job = Job.objects.get(kind=Job.Kind.REPORT_PDF)
        assert response.status_code == 302 and response.url == job.get_absolute_url()
        assert job.status == Job.Status.DONE and job.result_url == url('version', 'survey-2022', 1)
        assert (
            report.versions.get().pdf_sha256
            and url('version', 'survey-2022', 1) in client.get(response.url).content.decode()
        )
        assert 'govuk-tag--green" data-testid="status">Version 1<' in client.get(url('report_list')).content.decode()

    def test_editing_the_text(self, client_for, regulator, report):
        client = client_for(regulator)
        page = client.get(url('report_edit', 'survey-2022')).content.decode()
        assert '<code>drone.aware</code>' in page
        response = client.post(
            url('report_edit', 'survey-2022'),
            {'title': 'Findings', 'narrative': '{{ invited }} invited.', 'version': report.version},
        )
        assert response.status_code == 302
        report.refresh_from_db()
        assert (report.title, report.narrative) == ('Findings', '{{ invited }} invited.')


class TestScope:
    def test_a_body_never_reaches_a_draft(self, client_for, viewer_a, report):
        client = client_for(viewer_a)
        for name in ('report', 'report_edit', 'draft_pdf'):
            assert client.get(url(name, 'survey-2022')).status_code == 404
        assert client.get(url('draft_table', 'survey-2022', 'categories', 'csv')).status_code == 404
        assert client.post(url('report_publish', 'survey-2022'), {'version': 1}).status_code == 404
        assert 'survey-2022' not in client.get(url('report_list')).content.decode()

    def test_a_body_reads_the_published_version_which_is_aggregate_only(self, client_for, viewer_a, published):
        client = client_for(viewer_a)
        assert client.get(url('report', 'survey-2022')).url == url('version', 'survey-2022', 1)
        html = client.get(url('version', 'survey-2022', 1)).content.decode()
        assert 'Surrey Police' in html  # non-respondents are named, as the Commissioner's reports do
        # Nothing of another body's return: not its name, nor what it declared.
        assert 'Essex Police' not in html and 'C3N' not in html and 'Acme' not in html
        for name in ('categories', 'manufacturers', 'responses', 'trends', 'non-respondents', 'designations'):
            response = client.get(url('version_table', 'survey-2022', 1, name, 'csv'))
            assert response.status_code == 200 and b'Essex Police' not in response.content
        pdf = client.get(url('version_pdf', 'survey-2022', 1))
        assert pdf['Content-Type'] == 'application/pdf' and pdf.content == bytes(published.pdf)
        assert pdf.content.startswith(b'stub PDF of ') and b'Version 1' in pdf.content

    def test_anonymous_visitors_are_sent_to_sign_in(self, client, published):
        for target in (url('version', 'survey-2022', 1), url('version_pdf', 'survey-2022', 1), url('report_list')):
            response = client.get(target)
            assert response.status_code == 302 and response.url.startswith(reverse('account_login'))

    def test_findings_is_in_the_navigation(self, client_for, viewer_a):
        assert f'href="{url("report_list")}"' in client_for(viewer_a).get('/').content.decode()


class TestDownloads:
    def test_tables_download_as_csv_and_xlsx_formula_safe(self, client_for, regulator, campaign, report):
        Campaign.objects.filter(pk=campaign.pk).update(title='=HYPERLINK("http://example.invalid")')
        client = client_for(regulator)
        response = client.get(url('draft_table', 'survey-2022', 'responses', 'csv'))
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0][:4] == ['Campaign', 'Year', 'Invited', 'Responded']
        assert rows[1][:4] == ['\'=HYPERLINK("http://example.invalid")', '2022', '3', '2']
        response = client.get(url('draft_table', 'survey-2022', 'responses', 'xlsx'))
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet['A2'].value == '\'=HYPERLINK("http://example.invalid")' and sheet['C2'].value == 3

    def test_a_version_downloads_its_frozen_figures(self, client_for, regulator, campaign, published):
        from .conftest import correct_body_worn_video

        correct_body_worn_video(regulator, campaign)
        client = client_for(regulator)
        frozen = client.get(url('version_table', 'survey-2022', 1, 'categories', 'csv')).content.decode()
        live = client.get(url('draft_table', 'survey-2022', 'categories', 'csv')).content.decode()
        bwv_frozen = next(r for r in csv.reader(io.StringIO(frozen)) if r[0] == 'Body-worn video')
        bwv_live = next(r for r in csv.reader(io.StringIO(live)) if r[0] == 'Body-worn video')
        assert (bwv_frozen[4], bwv_live[4]) == ('1', '0')

    def test_an_unknown_table_is_not_found(self, client_for, regulator, published):
        assert client_for(regulator).get(url('version_table', 'survey-2022', 1, 'secrets', 'csv')).status_code == 404
