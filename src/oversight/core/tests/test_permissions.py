"""The predicates of core.permissions: who may do what, for every role, and nothing for a deactivated person."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template import engines
from django.test import RequestFactory

from oversight.accounts.models import User
from oversight.core import permissions
from oversight.core.context_processors import permissions as permissions_context
from oversight.core.views import get_editable
from oversight.findings import actions as findings_actions
from oversight.jobs.models import Job
from oversight.register import actions as register_actions
from oversight.register.models import Site
from oversight.surveys.actions import campaigns as campaign_actions
from oversight.vendors import actions as vendor_actions
from oversight.vendors.models import Manufacturer

ROLES = ('regulator', 'admin_a', 'editor_a', 'viewer_a', 'editor_b')


@pytest.fixture
def people(regulator, admin_a, editor_a, viewer_a, editor_b):
    return dict(zip(ROLES, (regulator, admin_a, editor_a, viewer_a, editor_b), strict=True))


def answers(people, body_a, body_b) -> dict[str, tuple]:
    return {
        role: (
            permissions.sees_everything(user),
            permissions.may_edit_body(user, body_a.pk),
            permissions.may_edit_body(user, body_b.pk),
            permissions.may_administer_body(user, body_a.pk),
            permissions.may_edit_reference_data(user),
        )
        for role, user in people.items()
    }


def test_each_role_may_do_what_its_role_says(people, body_a, body_b):
    # (sees everything, edits A, edits B, administers A, edits reference data)
    assert answers(people, body_a, body_b) == {
        'regulator': (True, False, False, False, True),
        'admin_a': (False, True, False, True, False),
        'editor_a': (False, True, False, False, False),
        'viewer_a': (False, False, False, False, False),
        'editor_b': (False, False, True, False, False),
    }


def test_a_deactivated_person_may_do_nothing(people, body_a, body_b):
    for user in people.values():
        user.is_active = False
    assert set(answers(people, body_a, body_b).values()) == {(False,) * 5}
    regulator, admin = people['regulator'], people['admin_a']
    assert not permissions.may_administer_person(admin, people['editor_a'])
    assert not permissions.may_administer_person(regulator, admin)
    assert not permissions.may_manage_api_token(admin, admin)
    assert not permissions.may_retry_job(admin, Job(user=admin, organisation_id=body_a.pk))


def test_the_anonymous_and_nobody_may_do_nothing(body_a):
    for nobody in (AnonymousUser(), None):
        assert not permissions.is_active(nobody)
        assert not permissions.sees_everything(nobody)
        assert not permissions.may_edit_body(nobody, body_a.pk)
        assert not permissions.may_edit_reference_data(nobody)


def test_a_superuser_sees_everything_but_edits_no_body(db, body_a):
    root = User.objects.create_superuser('root', password='pw-root')
    assert permissions.sees_everything(root) and permissions.may_edit_reference_data(root)
    assert not permissions.may_edit_body(root, body_a.pk)


def test_who_administers_whom(people):
    regulator, admin, editor, viewer = (people[r] for r in ('regulator', 'admin_a', 'editor_a', 'viewer_a'))
    assert permissions.may_administer_person(admin, editor) and permissions.may_administer_person(admin, viewer)
    assert not permissions.may_administer_person(admin, people['editor_b'])  # another body's
    assert not permissions.may_administer_person(admin, admin)  # themselves: through their account page
    assert not permissions.may_administer_person(editor, viewer)
    assert permissions.may_administer_person(regulator, admin)
    assert not permissions.may_administer_person(regulator, editor)  # a body's administrator runs its people


@pytest.mark.parametrize(
    'act',
    [
        pytest.param(lambda actor, body: findings_actions.create_report(actor, None), id='findings: start a report'),
        pytest.param(lambda actor, body: findings_actions.withdraw_version(actor, None, reason='x'), id='withdraw'),
        pytest.param(
            lambda actor, body: campaign_actions.create_campaign(
                actor, title='x', slug='x', year=2026, questionnaire=None, concern_list=None
            ),
            id='surveys: create a campaign',
        ),
        pytest.param(lambda actor, body: vendor_actions.save_manufacturer(actor, Manufacturer(name='X')), id='maker'),
    ],
)
def test_a_deactivated_regulator_is_refused_by_the_actions(regulator, body_a, act):
    """findings/actions.py once skipped the check surveys made: one predicate now refuses both."""
    regulator.is_active = False
    with pytest.raises(PermissionDenied):
        act(regulator, body_a)


@pytest.mark.parametrize('role', ['editor_a', 'admin_a'])
def test_a_deactivated_editor_or_administrator_is_refused_by_the_actions(people, body_a, role):
    assert register_actions.create_site(people[role], body_a, name=f'{role} site').pk
    people[role].is_active = False
    with pytest.raises(PermissionDenied):
        register_actions.create_site(people[role], body_a, name='Refused')


def test_editable_by_is_the_own_body_s_rows_for_its_editors_and_administrators(people, body_a, body_b):
    mine = register_actions.create_site(people['editor_a'], body_a, name='Kent depot')
    theirs = register_actions.create_site(people['editor_b'], body_b, name='Essex depot')
    editable = {role: set(Site.objects.editable_by(user)) for role, user in people.items()}
    assert editable == {
        'regulator': set(),
        'admin_a': {mine},
        'editor_a': {mine},
        'viewer_a': set(),
        'editor_b': {theirs},
    }


def test_reference_data_is_editable_by_regulator_staff_only(people):
    assert Manufacturer.objects.editable_by(people['regulator']).count() == Manufacturer.objects.count() > 0
    assert not any(Manufacturer.objects.editable_by(people[role]).exists() for role in ROLES[1:])


def test_get_editable_answers_404_to_another_body_and_403_to_who_only_reads(people, body_a):
    site = register_actions.create_site(people['editor_a'], body_a, name='Kent depot')
    assert get_editable(Site, people['admin_a'], pk=site.pk) == site
    with pytest.raises(Http404):
        get_editable(Site, people['editor_b'], pk=site.pk)
    for role in ('viewer_a', 'regulator'):
        with pytest.raises(PermissionDenied):
            get_editable(Site, people[role], pk=site.pk)


def test_administrators_see_their_colleagues_as_editors_do(people):
    for role in ('admin_a', 'editor_a'):
        assert set(User.objects.for_user(people[role])) == {people['admin_a'], people['editor_a'], people['viewer_a']}
    assert set(User.objects.for_user(people['viewer_a'])) == {people['viewer_a']}


def test_templates_ask_the_context_processor_and_the_filter(people, body_a, body_b):
    template = engines['django'].from_string(
        '{% if may.see_everything %}all{% endif %}{% if may.edit_reference_data %} reference{% endif %}'
        '{% if may.edit_own_body %} own{% endif %}{% if may.administer_own_body %} people{% endif %}'
        '{% if user|may_edit_body:a %} A{% endif %}{% if user|may_edit_body:b %} B{% endif %}'
    )
    seen = {}
    for role, user in [*people.items(), ('anonymous', AnonymousUser())]:
        request = RequestFactory().get('/')
        request.user = user
        seen[role] = template.render({'a': body_a.pk, 'b': body_b.pk}, request).strip()
        assert permissions_context(request)['may'].user is user
    assert seen == {
        'regulator': 'all reference',
        'admin_a': 'own people A',
        'editor_a': 'own A',
        'viewer_a': '',
        'editor_b': 'own B',
        'anonymous': '',
    }
