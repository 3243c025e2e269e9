"""The worker's side: each attempt runs once, all or nothing, and only the attempt claimed is recorded."""

from oversight.jobs import actions, runner
from oversight.jobs.models import Job
from oversight.register import actions as register_actions
from oversight.register.models import Site


def _job(editor, organisation) -> Job:
    return actions.start_job(editor, Job.Kind.REGISTER_IMPORT, 'Work', organisation=organisation)


def test_a_task_delivered_twice_runs_once(editor_a, body_a):
    job = _job(editor_a, body_a)
    runs = []

    def handler(job, progress):
        runs.append(job.attempt)
        progress(1, 2, 'Halfway')
        return runner.Outcome({'sites': 1})

    handlers = {Job.Kind.REGISTER_IMPORT: handler}
    assert runner.run(job.pk, 1, handlers) == 'done'
    assert runner.run(job.pk, 1, handlers) == 'skipped'
    job.refresh_from_db()
    assert runs == [1] and job.status == Job.Status.DONE and job.result == {'sites': 1}


def test_work_of_an_attempt_queued_again_meanwhile_is_not_kept(editor_a, body_a):
    """A worker taken for dead that was only slow: its attempt was queued again, so what it wrote is rolled back."""
    job = _job(editor_a, body_a)

    def handler(job, progress):
        register_actions.create_site(editor_a, body_a, name='Written by the slow worker')
        Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, attempt=2)  # a retry meanwhile
        return runner.Outcome({})

    assert runner.run(job.pk, 1, {Job.Kind.REGISTER_IMPORT: handler}) == 'superseded'
    assert not Site.objects.filter(name='Written by the slow worker').exists()


def test_a_refusal_is_recorded_with_every_problem_and_nothing_written(editor_a, body_a):
    job = _job(editor_a, body_a)

    def handler(job, progress):
        register_actions.create_site(editor_a, body_a, name='Half-written')
        raise runner.JobFailed([runner.problem('Bad kind', 3, 'kind'), runner.problem('Bad sensitive', 4, 'sensitive')])

    assert runner.run(job.pk, 1, {Job.Kind.REGISTER_IMPORT: handler}) == 'failed'
    job.refresh_from_db()
    assert [(e['row'], e['column']) for e in job.errors] == [(3, 'kind'), (4, 'sensitive')]
    assert job.can_retry and not Site.objects.filter(name='Half-written').exists()


def test_a_person_who_lost_their_role_meanwhile_is_refused(editor_a, body_a):
    job = _job(editor_a, body_a)
    editor_a.role = 'viewer'
    editor_a.save()

    def handler(job, progress):
        register_actions.create_site(job.user, body_a, name='Not theirs to add')
        return runner.Outcome({})

    assert runner.run(job.pk, 1, {Job.Kind.REGISTER_IMPORT: handler}) == 'failed'
    job.refresh_from_db()
    assert 'may no longer do' in job.errors[0]['message']
