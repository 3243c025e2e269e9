"""Publish is greyed out, with its reason, when nothing changed since the last version; a POST still refuses."""

import pytest
from django.urls import reverse

from oversight.findings import actions

from .test_publication import FIRST, TEXT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures('fast_pdf')]


def test_nothing_changed_greys_out_publish_and_says_why(client_for, regulator, campaign):
    report = actions.create_report(regulator, campaign, narrative_text=TEXT)
    client = client_for(regulator)
    publish = reverse('findings:report_publish', args=[campaign.slug])
    before = client.get(report.get_absolute_url()).content.decode()
    assert f'href="{publish}"' in before and 'data-testid="publish-disabled"' not in before
    actions.publish_report(regulator, report, now=FIRST)
    report.refresh_from_db()
    page = client.get(report.get_absolute_url()).content.decode()
    reason = 'Nothing has changed since version 1 was published on 15 February 2023'
    assert reason in page and f'href="{publish}"' not in page
    assert 'disabled aria-disabled="true" aria-describedby="nothing-changed"' in page
    assert '>Ready<' not in page and 'Nothing to publish' in page
    refused = client.post(publish, {'version': report.version, 'note': ''})
    assert refused.status_code == 200 and reason in refused.content.decode()
    assert report.versions.count() == 1
    actions.update_report(regulator, report, title='Changed title', narrative_text=TEXT)
    assert f'href="{publish}"' in client.get(report.get_absolute_url()).content.decode()
