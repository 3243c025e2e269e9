"""No query per row: each list page makes as many queries with a larger register (or more returns) as
with a small one, and the campaign page stays within 15 queries whatever the number of bodies."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oversight.accounts.models import User
from oversight.compliance.models import Governance, ReviewTask
from oversight.policy.evaluation import forget_evaluations
from oversight.register.models import Category, EquipmentLine, Site, System
from oversight.surveys.actions.returns import submit_return
from oversight.surveys.tests.conftest import DEADLINE, campaign, concern_list, questionnaire  # noqa: F401 (fixtures)
from oversight.surveys.tests.test_workflow import with_lines

MAKERS = ['Hikvision', 'Axis', 'Dahua', 'Bosch', 'Unknown Vendor']
counter = itertools.count()


def grow(organisation, sites: int, lines_per_site: int) -> None:
    """More sites, systems and lines for a body, of several makers, dates and networks."""
    for _ in range(sites):
        n = next(counter)
        site = Site.objects.create(organisation=organisation, name=f'Site {n}', sensitive=n % 2 == 0)
        system = System.objects.create(organisation=organisation, name=f'System {n}', category=Category.values[n % 8])
        # Governance and a review task for each system: the compliance lists' rows.
        Governance.objects.create(system=system, dpia_completed_on=datetime.date(2025, 3, 1), dpia_review_due=None)
        ReviewTask.objects.create(
            organisation=organisation, system=system, kind=ReviewTask.Kind.DPIA_CHANGE, reason='Cameras moved.',
            occurrences=[{'raised_at': '2026-01-01T12:00:00+00:00', 'reason': 'Cameras moved.'}],
        )  # fmt: skip
        EquipmentLine.objects.bulk_create(
            EquipmentLine(
                organisation=organisation,
                site=site,
                system=system,
                manufacturer_declared=MAKERS[k % len(MAKERS)],
                model=f'M{k}',
                quantity=1 + k,
                installed_on=datetime.date(2019 + k % 5, 1, 1),
                network=['core', 'isolated', 'unknown'][k % 3],
            )
            for k in range(lines_per_site)
        )


def queries(client, url: str) -> int:
    forget_evaluations()  # the policy page's first visit, not a kept evaluation
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


PAGES = [
    ('regulator', '/register/'),
    ('regulator', '/register/?sort=-quantity'),
    ('regulator', '/register/sites/'),
    ('regulator', '/register/systems/'),
    ('regulator', '/api/register/equipment/'),
    ('regulator', '/api/register/sites/'),
    ('regulator', '/api/register/systems/'),
    ('regulator', '/policy/'),
    ('regulator', '/policy/kent-police/'),
    ('regulator', '/organisations/'),
    ('regulator', '/compliance/'),
    ('regulator', '/compliance/to-do/'),
    ('regulator', '/compliance/to-do/all-bodies/'),
    ('editor_a', '/register/'),
    ('editor_a', '/register/sites/'),
    ('editor_a', '/register/systems/'),
    ('editor_a', '/policy/kent-police/'),
    ('editor_a', '/policy/kent-police/?p-page=2&o-page=2'),
    ('editor_a', '/policy/kent-police/?severity=must&sensitive=true'),
    ('editor_a', '/compliance/'),
    ('editor_a', '/compliance/to-do/'),
]


@pytest.mark.parametrize(('who', 'url'), PAGES)
def test_list_pages_make_no_query_per_row(client_for, request, body_a, body_b, who, url):
    client = client_for(request.getfixturevalue(who))
    grow(body_a, 2, 2)
    grow(body_b, 2, 2)
    # Once before counting: the KEV catalogue is read once per process and kept (two queries), so the first
    # visit's count depended on which test the process happened to run before.
    queries(client, url)
    small = queries(client, url)
    grow(body_a, 40, 6)
    grow(body_b, 30, 6)
    assert queries(client, url) == small


def test_the_campaign_page_stays_within_15_queries_whatever_the_number_of_bodies(
    client_for,
    regulator,
    campaign,  # noqa: F811 (the surveys fixture imported above)
):
    invitations = list(campaign.invitations.select_related('organisation').order_by('pk'))
    client = client_for(regulator)

    def submit(some):
        for n, invitation in enumerate(some):
            editor = User.objects.create_user(
                username=f'editor-{invitation.organisation.slug}',
                organisation=invitation.organisation,
                role=User.Role.EDITOR,
            )
            # Some on time, some late: whether each is late is shown on the page.
            when = DEADLINE + datetime.timedelta(days=1 if n % 2 else -1)
            submit_return(editor, invitation, with_lines(), now=when)

    url = f'/surveys/{campaign.slug}/'
    submit(invitations[:2])
    small = queries(client, url)
    submit(invitations[2:20])
    large = queries(client, url)
    assert large == small
    assert large <= 15
