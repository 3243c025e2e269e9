"""Demo report of the 2022 police survey: version 1 as published on 15 February 2023, version 2 with the
body-worn video Update once the two returns were corrected, and the draft the regulator goes on editing.

Runs after the surveys demo (INSTALLED_APPS order). Every figure in the text is a placeholder, so it is
counted from the demo's (illustrative) returns; the demo states no number of its own. Idempotent: a
campaign that already has a report is left as it is.
"""

import datetime
import zoneinfo

from django.urls import reverse

from oversight.surveys.models import Campaign

from . import actions
from .models import Report

LONDON = zoneinfo.ZoneInfo('Europe/London')
TITLE = 'The use of overt surveillance camera systems in public places by police forces in England and Wales'
FIRST_PUBLISHED = datetime.datetime(2023, 2, 15, 9, 30, tzinfo=LONDON)
UPDATED = datetime.datetime(2023, 3, 2, 9, 30, tzinfo=LONDON)

SUMMARY = """## Summary

In June {{ year }} the Commissioner wrote to the chief officers of the {{ invited }} policing bodies of England \
and Wales, asking for details of their use and governance of overt surveillance camera systems in public places. \
{{ responded|words|capfirst }} responses were received out of a possible total of {{ invited }}: a response rate \
of {{ response_rate }}. The response rate of the previous survey, in {{ previous.year }}, had been \
{{ previous.response_rate }}. {{ late|words|capfirst }} returns arrived after the deadline, some of them more than \
three months late.

## Equipment of concern

At least {{ external_cctv.with_concern }} respondents say that their external camera systems use equipment about \
which there have been security or ethical concerns (including {{ external_cctv.makers }}).

At least {{ internal_cctv.with_concern }} respondents say that their internal camera systems use equipment about \
which there have been security or ethical concerns (including {{ internal_cctv.makers }}).

At least {{ anpr.with_concern }} respondents say that their ANPR systems use equipment about which there have \
been security or ethical concerns.
"""
BODY_WORN_AS_PUBLISHED = """
At least {{ body_worn_video.with_concern }} respondents use cameras made by {{ body_worn_video.makers }} in their \
body-worn video systems.
"""
BODY_WORN_CORRECTED = """
Respondents with body-worn video equipment from manufacturers of concern: {{ body_worn_video.with_concern }} \
(see the Update above).
"""
DRONES = """
{{ drone.aware }} of the {{ drone.operating }} respondents who said they operate cameras on drones said they were \
aware of security or ethical concerns about the manufacturer of their drones, {{ drone.makers }}.
"""


def load(log) -> None:
    campaign = Campaign.objects.select_related('concern_list').filter(slug='police-2022').first()
    if campaign is None:
        log('The 2022 police campaign is not loaded (surveys demo); no report made.')
        return
    if Report.objects.filter(campaign=campaign).exists():
        log(f'{campaign} already has a report; left as it is.')
        return
    report = actions.create_report(
        None, campaign, title=TITLE, narrative_text=SUMMARY + BODY_WORN_AS_PUBLISHED + DRONES
    )
    first = actions.publish_report(None, report, note='First published.', now=FIRST_PUBLISHED)
    report = actions.update_report(
        None,
        report,
        title=TITLE,
        narrative_text=SUMMARY + BODY_WORN_CORRECTED + DRONES,
        expected_version=report.version,
    )
    second = actions.publish_report(None, report, note='Update: the body-worn video figure corrected.', now=UPDATED)
    rate = second.data['responses']
    log(
        f'{report}: version {first.number} ({FIRST_PUBLISHED:%d %B %Y}) and version {second.number} with '
        f'{len(second.data["updates"])} Update note(s); {rate["responded"]} of {rate["invited"]} responded. Public, '
        f'without sign-in, at {reverse("publications:latest", args=[report.campaign.slug])}'
    )
