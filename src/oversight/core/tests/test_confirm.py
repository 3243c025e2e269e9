"""The one confirmation step (core.views.ConfirmActionView), on a view of its own over a register site."""

from html import escape

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from oversight.core.models import ObjectChange
from oversight.core.views import ConfirmActionView
from oversight.register import actions
from oversight.register.models import Site


class RenameToClosed(ConfirmActionView):
    """An action that takes no version itself: the view's own lock refuses a stale confirmation."""

    heading = 'Mark {object} closed?'
    warning = 'A closed site cannot be reopened.'
    button_label = 'Mark closed'
    success_message = '{object} is closed.'

    def get_object(self):
        return Site.objects.get(pk=self.kwargs['pk'])

    def affects(self):
        return [('Site', str(self.object)), ('Body', str(self.object.organisation))]

    def confirmed(self, form):
        if self.object.name.endswith('(closed)'):
            raise ValidationError('This site is already closed.')
        return actions.update_site(self.request.user, self.object, None, name=f'{self.object.name} (closed)')


def call(method, user, site, data=None):
    request = getattr(RequestFactory(), method)('/confirm/', data or {})
    request.user, request.session = user, SessionStore()
    request._messages = FallbackStorage(request)
    response = RenameToClosed.as_view()(request, pk=site.pk)
    if hasattr(response, 'render'):
        response.render()
    return request, response


@pytest.fixture
def site(editor_a):
    return actions.create_site(editor_a, editor_a.organisation, name='Ashford depot')


def test_the_page_says_what_will_happen_and_changes_nothing(editor_a, site):
    _, response = call('get', editor_a, site)
    page = response.content.decode()
    assert response.status_code == 200
    assert '<title>Mark Ashford depot closed? – Oversight</title>' in page
    assert '<h1 class="govuk-heading-l">Mark Ashford depot closed?</h1>' in page
    assert 'govuk-warning-text' in page and 'A closed site cannot be reopened.' in page
    assert escape('Kent Police') in page and 'data-testid="affects"' in page
    assert 'govuk-button--warning' in page and '>Mark closed</button>' in page
    assert f'<a class="govuk-link" href="{site.get_absolute_url()}">Cancel</a>' in page
    assert f'name="version" value="{site.version}"' in page
    site.refresh_from_db()
    assert site.name == 'Ashford depot'


def test_confirming_runs_the_audited_action_and_says_so(editor_a, site):
    request, response = call('post', editor_a, site, {'version': site.version})
    assert response.status_code == 302 and response['Location'] == site.get_absolute_url()
    site.refresh_from_db()
    assert site.name == 'Ashford depot (closed)'
    assert ObjectChange.objects.filter(object_id=str(site.pk), action=ObjectChange.Action.UPDATE).exists()
    assert [str(m) for m in get_messages(request)] == ['Ashford depot (closed) is closed.']


def test_a_confirmation_of_an_older_version_is_refused_and_nothing_changes(editor_a, site):
    actions.update_site(editor_a, site, site.version, name='Ashford yard')
    _, response = call('post', editor_a, site, {'version': site.version - 1})
    page = response.content.decode()
    assert response.status_code == 200 and '<title>Error: ' in page
    assert 'govuk-error-summary' in page and 'Someone else saved a change' in page
    site.refresh_from_db()
    assert site.name == 'Ashford yard'


def test_the_actions_refusal_is_shown_on_the_page(editor_a, site):
    call('post', editor_a, site, {'version': site.version})
    site.refresh_from_db()
    _, response = call('post', editor_a, site, {'version': site.version})
    assert 'This site is already closed.' in response.content.decode()


def test_a_record_with_a_version_must_say_which_was_confirmed(editor_a, site):
    _, response = call('post', editor_a, site)
    assert response.status_code == 200 and 'This field is required' in response.content.decode()
    site.refresh_from_db()
    assert site.name == 'Ashford depot'
