"""API tokens: made, replaced and revoked from a person's own page or by the command; audited, shown once."""

import datetime
import io
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from oversight.accounts.actions import deactivate_person, reactivate_person
from oversight.api import actions
from oversight.api.models import ApiToken
from oversight.core.dates import govuk_datetime
from oversight.core.models import ObjectChange
from oversight.core.tokens import digest


@pytest.fixture
def body_admin_a(world):
    return world.a.admin


def test_a_person_makes_their_token_on_their_page_and_sees_it_once(world, client, api):
    client.force_login(world.a.viewer)
    page = client.get('/api/token/').content.decode()
    assert 'What may programs with it do?' in page and 'How long should it work?' in page
    made = client.post('/api/token/', {'scope': 'read', 'lifetime': '30'})
    key = re.search(r'data-testid="token-key">(ova_[\w-]+)<', made.content.decode()).group(1)
    assert made['Cache-Control'] == 'no-store'
    stored = ApiToken.objects.get(user=world.a.viewer)
    assert key not in (stored.digest, stored.prefix) and stored.digest == digest(key)  # kept as a digest only
    later = client.get('/api/token/').content.decode()
    assert key not in later and f'Starts {key[:10]}' in later and 'Not yet' in later
    assert stored.scope == 'read' and abs(stored.expires - stored.created - datetime.timedelta(days=30)).seconds < 5
    assert 'Read only' in later and govuk_datetime(stored.expires) in later  # the page shows scope and expiry
    assert api(None).get('/api/register/sites/', HTTP_AUTHORIZATION=f'Token {key}').status_code == 200
    assert 'Not yet' not in client.get('/api/token/').content.decode()


def test_the_token_works_until_replaced_or_revoked(world, client, api):
    first = actions.create_api_token(world.a.viewer, world.a.viewer)[1]
    auth = {'HTTP_AUTHORIZATION': f'Token {first}'}
    assert api(None).get('/api/register/sites/', **auth).status_code == 200
    client.force_login(world.a.viewer)
    page = client.get('/api/token/').content.decode()
    assert 'href="/api/token/replace/"' in page  # replacing is confirmed first: programs using the token stop
    assert client.post('/api/token/')['Location'] == '/api/token/replace/'  # no one-click replacement either
    confirm = client.get('/api/token/replace/').content.decode()
    assert 'Replace your API token?' in confirm and 'stops working at once' in confirm and 'Cancel' in confirm
    assert api(None).get('/api/register/sites/', **auth).status_code == 200  # nothing replaced yet
    replaced = client.post('/api/token/replace/')
    second = re.search(r'data-testid="token-key">(ova_[\w-]+)<', replaced.content.decode()).group(1)
    assert replaced['Cache-Control'] == 'no-store' and second != first
    assert api(None).get('/api/register/sites/', **auth).status_code == 401
    assert api(None).get('/api/register/sites/', HTTP_AUTHORIZATION=f'Token {second}').status_code == 200
    page = client.get('/api/token/').content.decode()
    assert 'href="/api/token/revoke/"' in page  # a link to the confirmation, not a one-click form
    confirm = client.get('/api/token/revoke/').content.decode()
    assert 'Revoke your API token?' in confirm and 'cannot be used again' in confirm and 'Cancel' in confirm
    assert ApiToken.objects.filter(user=world.a.viewer).exists()
    done = client.post('/api/token/revoke/', follow=True).content.decode()
    assert 'Your API token is revoked' in done
    assert not ApiToken.objects.filter(user=world.a.viewer).exists()
    assert client.get('/api/token/revoke/').status_code == 404  # nothing left to revoke


def test_the_audit_records_the_change_but_never_the_key(world):
    _, secret = actions.create_api_token(world.a.editor, world.a.editor)
    actions.revoke_api_token(world.a.editor, world.a.editor)
    changes = ObjectChange.objects.filter(object_id=str(world.a.editor.pk), content_type__model='user')
    issued, revoked = changes.order_by('pk')[changes.count() - 2 :]
    assert (issued.message, revoked.message) == ('API token issued', 'API token revoked')
    assert (issued.after['event'], issued.after['scope'], revoked.after['event']) == (
        'token-issued',
        'read-write',
        'token-revoked',
    )
    assert all(secret not in str(c.before) + str(c.after) for c in changes)


def test_only_regulator_staff_manage_someone_elses_token(world):
    with pytest.raises(PermissionDenied):
        actions.create_api_token(world.a.editor, world.a.viewer)
    assert actions.create_api_token(world.regulator, world.a.viewer)[0].user == world.a.viewer


def test_the_command_prints_the_key_alone_and_revokes(world):
    out, err = io.StringIO(), io.StringIO()
    call_command('api-token', 'viewer_a', stdout=out, stderr=err)
    assert digest(out.getvalue().strip()) == ApiToken.objects.get(user=world.a.viewer).digest
    call_command('api-token', 'viewer_a', '--revoke', stdout=out, stderr=err)
    assert not ApiToken.objects.filter(user=world.a.viewer).exists()
    with pytest.raises(CommandError, match='no API token'):
        call_command('api-token', 'viewer_a', '--revoke', stderr=err)
    with pytest.raises(CommandError, match='no user'):
        call_command('api-token', 'nobody')


def test_an_inactive_account_gets_no_token(world):
    world.a.viewer.is_active = False
    world.a.viewer.save()
    with pytest.raises(ValidationError, match='not an active account'):
        actions.create_api_token(None, world.a.viewer)


def test_the_token_page_refuses_a_scope_it_does_not_offer(world, client):
    client.force_login(world.a.editor)
    refused = client.post('/api/token/', {'scope': 'admin', 'lifetime': ''})
    assert refused.status_code == 200 and 'Select a valid choice' in refused.content.decode()
    assert not ApiToken.objects.filter(user=world.a.editor).exists()


def test_a_read_only_token_reads_and_is_refused_any_change(world, api):
    _, secret = actions.create_api_token(world.a.editor, world.a.editor, scope=ApiToken.Scope.READ)
    auth = {'HTTP_AUTHORIZATION': f'Token {secret}'}
    assert api(None).get('/api/register/sites/', **auth).status_code == 200
    refused = api(None).post('/api/register/sites/', {'name': 'Never made'}, format='json', **auth)
    assert refused.status_code == 403
    assert 'read-only' in refused.json()['detail']
    # Identification is a POST that writes nothing: a read-only token may use it.
    identify = api(None).post('/api/identify/', {'rows': [{'brand': 'Honeywell'}]}, format='json', **auth)
    assert identify.status_code == 200
    # The editor's read and write token can make the same change.
    _, writer = actions.create_api_token(world.a.editor, world.a.editor)
    made = api(None).post('/api/register/sites/', {'name': 'Made'}, format='json', HTTP_AUTHORIZATION=f'Token {writer}')
    assert made.status_code in (201, 400)  # accepted past authentication: the fields are the site API's business


def test_an_expired_token_is_refused_saying_so(world, api):
    expires = datetime.datetime(2030, 1, 1, 12, tzinfo=datetime.UTC)
    with time_machine.travel(expires - datetime.timedelta(days=1)):
        _, secret = actions.create_api_token(world.a.viewer, world.a.viewer, expires=expires)
        assert api(None).get('/api/register/sites/', HTTP_AUTHORIZATION=f'Token {secret}').status_code == 200
    with time_machine.travel(expires):
        refused = api(None).get('/api/register/sites/', HTTP_AUTHORIZATION=f'Token {secret}')
    assert refused.status_code == 401 and 'expired on 1 January 2030' in refused.json()['detail']
    with pytest.raises(ValidationError, match='future'):
        actions.create_api_token(
            world.a.viewer, world.a.viewer, expires=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
        )


def test_a_deactivated_persons_token_stops_at_once(world, api, body_admin_a):
    _, secret = actions.create_api_token(world.a.editor, world.a.editor)
    auth = {'HTTP_AUTHORIZATION': f'Token {secret}'}
    assert api(None).get('/api/register/sites/', **auth).status_code == 200
    deactivate_person(body_admin_a, world.a.editor)
    assert api(None).get('/api/register/sites/', **auth).status_code == 401
    reactivate_person(body_admin_a, world.a.editor)
    assert api(None).get('/api/register/sites/', **auth).status_code == 200


def test_the_command_makes_read_only_and_expiring_tokens(world):
    out, err = io.StringIO(), io.StringIO()
    call_command('api-token', 'viewer_a', '--read-only', '--days', '7', stdout=out, stderr=err)
    token = ApiToken.objects.get(user=world.a.viewer)
    assert (
        token.scope == ApiToken.Scope.READ
        and abs(token.expires - token.created - datetime.timedelta(days=7)).seconds < 5
    )
