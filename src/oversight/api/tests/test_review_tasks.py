"""Review tasks over the API: a body's to-do list in scope, filtered as the page filters, resolved by its editors."""

from oversight.compliance.models import ReviewTask
from oversight.core.models import ObjectChange

TASKS = '/api/compliance/review-tasks/'


def test_each_body_lists_its_own_tasks_and_another_bodys_task_is_a_404(world, api):
    rows = api(world.a.viewer).get(TASKS).json()['results']
    assert {row['organisation'] for row in rows} == {world.a.organisation.slug}
    task = world.a.review_task
    detail = api(world.a.viewer).get(f'{TASKS}{task.pk}/').json()
    assert (detail['kind'], detail['status'], detail['system']) == ('dpia_change', 'open', task.system_id)
    assert api(world.b.editor).get(f'{TASKS}{task.pk}/').status_code == 404
    assert api(world.b.editor).post(f'{TASKS}{task.pk}/resolve/', {'resolution': 'x', 'version': 1},
                                    format='json').status_code == 404  # fmt: skip
    assert api(None).get(TASKS).status_code == 401


def test_the_regulator_filters_every_bodys_tasks_by_body_kind_and_state(world, api):
    client = api(world.regulator)
    every = client.get(TASKS).json()
    assert {row['organisation'] for row in every['results']} == {world.a.organisation.slug, world.b.organisation.slug}
    only_a = client.get(TASKS, {'organisation': world.a.organisation.pk}).json()['results']
    assert only_a and {row['organisation'] for row in only_a} == {world.a.organisation.slug}
    kind = client.get(TASKS, {'kind': 'dpia_change', 'state': 'open'}).json()['results']
    assert kind and {row['kind'] for row in kind} == {'dpia_change'}
    assert client.get(TASKS, {'state': 'done'}).json()['count'] == 0
    assert 'kind' in client.get(TASKS, {'kind': 'nothing'}).json()
    # A body's person has no body filter: it is ignored, never widening what they see.
    own = api(world.a.editor).get(TASKS, {'organisation': world.b.organisation.pk}).json()['results']
    assert {row['organisation'] for row in own} == {world.a.organisation.slug}


def test_an_editor_resolves_a_task_through_the_action_and_bad_input_is_refused(world, api):
    client = api(world.a.editor)
    task = world.a.review_task
    url = f'{TASKS}{task.pk}/resolve/'
    missing = client.post(url, {'version': task.version}, format='json')
    assert missing.status_code == 400 and 'resolution' in missing.json()
    blank = client.post(url, {'resolution': '   ', 'version': task.version}, format='json')
    assert blank.status_code == 400 and 'resolution' in blank.json()
    assert 'version' in client.post(url, {'resolution': 'Reviewed'}, format='json').json()
    assert client.post(url, {'resolution': 'Reviewed', 'version': task.version + 1}, format='json').status_code == 409
    # Only the body's editors and administrators resolve: regulator staff and viewers read.
    for reader in (world.regulator, world.a.viewer):
        assert api(reader).post(url, {'resolution': 'x', 'version': task.version}, format='json').status_code == 403

    resolved = client.post(url, {'resolution': 'DPIA reviewed after the new cameras', 'version': task.version},
                           format='json')  # fmt: skip
    assert resolved.status_code == 200, resolved.content
    body = resolved.json()
    assert body['status'] == 'done' and body['resolution'] == 'DPIA reviewed after the new cameras'
    assert body['resolved_by'] == str(world.a.editor)
    task.refresh_from_db()
    assert not task.is_open and task.resolved_by == world.a.editor
    assert ObjectChange.objects.for_object(task).filter(user=world.a.editor).exists()
    again = client.post(url, {'resolution': 'Twice', 'version': task.version}, format='json')
    assert again.status_code == 400 and 'non_field_errors' in again.json()
    assert ReviewTask.objects.get(pk=task.pk).resolution == 'DPIA reviewed after the new cameras'
