"""Policy over the API: each obligation with its decision, decisions recorded through the action, national exposure."""

import datetime

from oversight.api.policy import obligation_id as _id
from oversight.core.models import ObjectChange
from oversight.policy.models import ObligationDecision

OBLIGATIONS = '/api/policy/obligations/'
EXPOSURE = '/api/policy/exposure/'


def test_a_body_lists_its_obligations_with_their_decisions_and_another_bodys_is_a_404(world, api):
    client = api(world.a.viewer)
    rows = client.get(OBLIGATIONS, {'page_size': 500}).json()['results']
    assert rows and {row['organisation'] for row in rows} == {world.a.organisation.slug}
    decided = next(row for row in rows if row['id'] == _id(world.a.obligation))
    assert decided['state'] == 'ordered' and decided['decision']['ordered_on'] == '2026-01-05'
    assert decided['rule'] == world.a.obligation.rule.key and decided['line'] == world.a.obligation.line.pk
    assert all(row['decision'] is None and row['state'] == 'open' for row in rows if row is not decided)
    ordered = client.get(OBLIGATIONS, {'state': 'ordered'}).json()['results']
    assert [row['id'] for row in ordered] == [_id(world.a.obligation)]
    assert 'state' in client.get(OBLIGATIONS, {'state': 'someday'}).json()

    assert client.get(f'{OBLIGATIONS}{_id(world.a.obligation)}/').json()['state'] == 'ordered'
    assert client.get(f'{OBLIGATIONS}{_id(world.b.obligation)}/').status_code == 404
    assert client.get(f'{OBLIGATIONS}{world.a.obligation.line.pk}.no-such.rule/').status_code == 404
    assert client.get(f'{OBLIGATIONS}nonsense/').status_code == 404
    url = f'{OBLIGATIONS}{_id(world.b.obligation)}/decision/'
    refused = api(world.a.editor).post(url, {'decision': 'not_applicable', 'reason': 'x'}, format='json')
    assert refused.status_code == 404


def test_an_editor_records_progress_and_accepts_a_risk_that_expires_back_to_open(world, api):
    client = api(world.a.editor)
    obligation = world.a.obligation
    url = f'{OBLIGATIONS}{_id(obligation)}/decision/'
    stored = ObligationDecision.objects.get(line=obligation.line, rule=obligation.rule.key)
    # A decision exists: a change states its version, and a stale one (or none) is refused.
    replaced = {'decision': 'replace', 'progress': 'replaced', 'replaced_on': '2026-03-01', 'actual_cost': '1200.50'}
    assert client.post(url, replaced, format='json').status_code == 409
    assert client.post(url, {**replaced, 'version': stored.version + 1}, format='json').status_code == 409
    undated = client.post(url, {**replaced, 'replaced_on': None, 'version': stored.version}, format='json')
    assert undated.status_code == 400 and 'replaced_on' in undated.json()
    negative = client.post(url, {**replaced, 'actual_cost': '-1', 'version': stored.version}, format='json')
    assert negative.status_code == 400 and 'actual_cost' in negative.json()
    done = client.post(url, {**replaced, 'version': stored.version}, format='json')
    assert done.status_code == 200, done.content
    assert done.json()['state'] == 'replaced' and done.json()['decision']['actual_cost'] == '1200.50'
    stored.refresh_from_db()
    assert (stored.progress, stored.replaced_on, stored.ordered_on) == ('replaced', datetime.date(2026, 3, 1), None)

    # An acceptance needs its reason, approver and expiry, each refused on its field.
    bare = client.post(url, {'decision': 'accept', 'version': stored.version}, format='json')
    assert bare.status_code == 400 and {'reason', 'approver', 'accepted_until'} <= set(bare.json())
    lapsed = {'decision': 'accept', 'reason': 'Isolated site', 'approver': 'Chief Constable',
              'accepted_until': '2025-01-31', 'version': stored.version}  # fmt: skip
    accepted = client.post(url, lapsed, format='json')
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()['state'] == 'expired' and accepted.json()['decision']['progress'] == ''
    expired = client.get(OBLIGATIONS, {'state': 'expired'}).json()['results']
    assert [row['id'] for row in expired] == [_id(obligation)]
    # The world's decision, then the two changes made here.
    assert ObjectChange.objects.for_object(stored).filter(user=world.a.editor).count() == 3
    # Regulator staff and viewers read decisions; only the body's editors record them.
    for reader in (world.regulator, world.a.viewer):
        assert api(reader).post(url, {**lapsed, 'version': stored.version + 1}, format='json').status_code == 403


def test_the_regulator_reads_national_exposure_and_bodies_cannot(world, api):
    answer = api(world.regulator).get(EXPOSURE)
    assert answer.status_code == 200
    bodies = {row['organisation']: row for row in answer.json()['bodies']}
    ordered = bodies[world.a.organisation.slug]['progress']['devices']['ordered']
    assert ordered == world.a.obligation.line.quantity
    assert answer.json()['quarters'] == []
    for person in (world.a.editor, world.a.admin, world.a.viewer):
        assert api(person).get(EXPOSURE).status_code == 403
    assert api(None).get(EXPOSURE).status_code == 401


def test_obligations_and_exposure_are_english_whatever_the_requests_language(world, api):
    """The pages write policy's text in the reader's language; the API, like the exports, always in English."""
    for user, url in ((world.a.viewer, OBLIGATIONS), (world.regulator, EXPOSURE)):
        client = api(user)
        english = client.get(url, HTTP_ACCEPT_LANGUAGE='en-GB').json()
        assert client.get(url, HTTP_ACCEPT_LANGUAGE='cy').json() == english
    rows = api(world.a.viewer).get(OBLIGATIONS, HTTP_ACCEPT_LANGUAGE='cy').json()['results']
    reasons = ' '.join(row['reason'] + row['due_basis'] for row in rows)
    assert 'headquartered in China' in reasons and 'Tsieina' not in reasons
