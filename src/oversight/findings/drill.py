"""What the restore drill (core.backups) checks a restored service reproduces: findings' figures and PDFs."""

import hashlib

from django.test import RequestFactory
from django.urls import resolve

from oversight.accounts.models import User
from oversight.surveys.models import Campaign

from .engine import Basis, campaign_findings
from .models import ReportVersion


def restore_digest() -> dict:
    """What a restored service must reproduce: every campaign's findings as computed now, and the bytes of
    every published report's PDF as the download page serves it."""
    findings = {
        campaign.slug: campaign_findings(campaign, Basis.CORRECTED).contract()
        for campaign in Campaign.objects.select_related('concern_list').order_by('slug')
    }
    reader = User.objects.filter(role=User.Role.REGULATOR, is_active=True).order_by('pk').first()
    served = {}
    for version in ReportVersion.objects.select_related('report__campaign').order_by('pk'):
        url = version.get_absolute_url() + 'report.pdf'
        request = RequestFactory().get(url)
        request.user = reader
        match = resolve(url)
        response = match.func(request, *match.args, **match.kwargs)
        served[url] = {'status': response.status_code, 'sha256': hashlib.sha256(response.content).hexdigest()}
    return {'findings': findings, 'published_pdfs': served}
