"""Status tags: one GOV.UK tag per status, the same colour on every page that shows it."""

from django.template import Context, Template

from oversight.core.status import COLOURS, status_tag
from oversight.jobs.models import Job
from oversight.register.models import ImportBatch
from oversight.surveys.models import Campaign, Invitation

GOVUK_COLOURS = {'grey', 'green', 'turquoise', 'blue', 'light-blue', 'purple', 'pink', 'red', 'orange', 'yellow'}


def test_every_status_of_every_model_has_a_design_system_colour():
    statuses = [
        *Campaign.Status.values,
        *Invitation.Status.values,
        *Job.Status.values,
        'stopped',
        *ImportBatch.Status.values,
    ]
    assert set(statuses) <= set(COLOURS)
    assert set(COLOURS.values()) <= GOVUK_COLOURS


def test_the_tag_reads_its_label_in_its_colour_and_escapes_it():
    tag = '<strong class="govuk-tag govuk-tag--red" data-testid="status">Failed</strong>'
    assert status_tag('failed', 'Failed') == tag
    assert 'govuk-tag--grey' in status_tag('something new', 'New')  # a status without a colour is grey
    assert '&lt;b&gt;' in status_tag('done', '<b>')
    assert 'data-testid' not in status_tag('done', 'Done', testid='')


def test_templates_use_the_same_tag_without_loading_anything():
    page = Template('{% status_tag invitation_status "Accepted" testid="state" %}').render(
        Context({'invitation_status': 'accepted'})
    )
    assert page == '<strong class="govuk-tag govuk-tag--green" data-testid="state">Accepted</strong>'
