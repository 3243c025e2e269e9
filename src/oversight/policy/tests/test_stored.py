"""A large body's policy page served from the evaluation the worker stored (policy.stored) is the page a fresh
evaluation gives, in every order, page and language; it is shown only while current, and the worker is asked
to store it again, once, when it is not."""

import io
import random
import re

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from oversight.accounts.events import AccountEvent, record_event
from oversight.core.audit import record_change
from oversight.core.models import ObjectChange
from oversight.policy import actions as policy_actions
from oversight.policy import evaluation, stored, stored_page
from oversight.policy.models import StoredEvaluation, StoredObligation, StoredVulnerability
from oversight.policy.tasks import work_out_policy
from oversight.register.models import Category

from .conftest import TODAY
from .test_patching import Register

DATABASE_BACKEND = 'django_tasks_db.DatabaseBackend'


@pytest.fixture
def kent(editor_a, makers):
    policy_actions.set_policy_settings(editor_a, editor_a.organisation, rule_sets=['ndaa-889'], review_by=None)
    register = Register(editor_a, 'Maidstone')
    rng = random.Random(7)
    for _ in range(80):
        register.add(rng)
    return register


# The obligations, plan and vulnerabilities tables in each of their orders (descending too) and pages.
QUERIES = [
    '',
    '?o-page=2',
    '?o-sort=equipment',
    '?o-sort=-equipment&o-page=2',
    '?o-sort=rule',
    '?o-sort=-rule&o-page=3',
    '?o-sort=due&o-page=2',
    '?o-sort=-due',
    '?p-sort=-cost',
    '?p-sort=site',
    '?v-sort=cve',
    '?v-sort=-status',
    '?v-sort=-equipment',
    '?o-page=999',  # past the end, and an order the table does not offer: as the table answers them
    '?o-sort=nonsense&v-sort=reason',
]


def main(response) -> str:
    return re.search(r'<main.*</main>', response.content.decode(), re.S).group(0)


def get(client, url: str, language: str = 'en-gb'):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    evaluation.forget_evaluations()  # as a web process that holds no evaluation of the body
    response = client.get(url)
    assert response.status_code == 200
    return response


@override_settings(OVERSIGHT_STORED_POLICY_LINES=1)
@pytest.mark.parametrize('language', ['en-gb', 'cy'])
def test_the_stored_page_is_the_page_a_fresh_evaluation_gives(kent, client_for, language):
    client = client_for(kent.editor)
    url = reverse('policy:body', args=[kent.body.slug])
    afresh = {}
    for query in QUERIES:
        response = get(client, url + query, language)
        assert not isinstance(response.context['evaluation'], stored_page.StoredPage)
        afresh[query] = main(response)
    assert stored.work_out(kent.body) is not None
    assert StoredObligation.objects.count() > 100 and StoredVulnerability.objects.exists()
    for query in QUERIES:
        response = get(client, url + query, language)
        assert isinstance(response.context['evaluation'], stored_page.StoredPage), query
        assert main(response) == afresh[query], query
    assert 'data-testid="timeline-chart"' in afresh['']


def asked() -> int:
    """How many times the worker was asked to store a page (tasks queued in the database backend)."""
    return DBTaskResult.objects.filter(task_path='oversight.policy.tasks.work_out_policy').count()


def work_out_what_was_asked() -> None:
    for task in DBTaskResult.objects.filter(task_path='oversight.policy.tasks.work_out_policy', status='READY'):
        work_out_policy.call(*task.args_kwargs['args'])
        task.delete()


@override_settings(OVERSIGHT_STORED_POLICY_LINES=1, TASKS={'default': {'BACKEND': DATABASE_BACKEND}})
def test_a_stored_page_is_shown_only_while_current_and_stored_again_once(
    kent, client_for, django_capture_on_commit_callbacks
):
    client = client_for(kent.editor)
    url = reverse('policy:body', args=[kent.body.slug])
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            assert not isinstance(get(client, url).context['evaluation'], stored_page.StoredPage)
    assert asked() == 1  # once, however many requests found nothing stored before the worker started
    work_out_what_was_asked()
    held = StoredEvaluation.objects.get()
    assert isinstance(get(client, url).context['evaluation'], stored_page.StoredPage)

    # A sign-in, a failed one and a decision are audit rows too, but nothing the page reads (a decision is read
    # only by the decision filter, and the decision column is read with the page): what is stored stays current.
    with django_capture_on_commit_callbacks(execute=True):
        record_event(AccountEvent.SIGNED_IN, user=kent.editor)
        record_event(AccountEvent.SIGN_IN_FAILED, name='nobody')  # an audit row of no body, as reference data
        obligation = evaluation.evaluate_register(kent.lines(), kent.editor, TODAY).obligations[0]
        policy_actions.record_decision(kent.editor, obligation, decision='replace', progress='planned')
        response = get(client, url)
        assert isinstance(response.context['evaluation'], stored_page.StoredPage)
        assert '>Change<span class="govuk-visually-hidden">' in main(response)  # the decision, on the first row
    assert asked() == 0

    # A change to what the page reads (a unit cost) asks the worker as it commits, once while it is queued;
    # until the worker has stored the page again, the page is worked out in the request.
    with django_capture_on_commit_callbacks(execute=True):
        policy_actions.set_unit_costs(kent.editor, kent.body, {Category.DRONE: 250})
    assert asked() == 1
    with django_capture_on_commit_callbacks(execute=True):
        kent.add(random.Random(1))
        assert not isinstance(get(client, url).context['evaluation'], stored_page.StoredPage)
    assert asked() == 1
    work_out_what_was_asked()
    assert StoredEvaluation.objects.get().revision != held.revision
    response = get(client, url)
    assert isinstance(response.context['evaluation'], stored_page.StoredPage)
    shown = main(response)  # with the new unit cost and line
    StoredEvaluation.objects.all().delete()
    assert main(get(client, url)) == shown


@override_settings(OVERSIGHT_STORED_POLICY_LINES=1, TASKS={'default': {'BACKEND': DATABASE_BACKEND}})
def test_a_change_to_the_reference_data_asks_for_every_stored_page(
    kent, editor_b, makers, django_capture_on_commit_callbacks
):
    essex = Register(editor_b, 'Chelmsford')
    essex.add(random.Random(2))
    stored.work_out(kent.body)
    stored.work_out(editor_b.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        essex.add(random.Random(3))  # one body's register
    assert asked() == 1
    with django_capture_on_commit_callbacks(execute=True):
        record_change(None, makers.axis, ObjectChange.Action.UPDATE, {}, {}, 'Renamed')  # a maker: no body
    assert asked() == 2  # the other body's page: the first is asked already


@override_settings(OVERSIGHT_STORED_POLICY_LINES=1)
def test_filtered_pages_and_exports_are_worked_out_from_the_register(kent, client_for):
    client = client_for(kent.editor)
    url = reverse('policy:body', args=[kent.body.slug])
    stored.work_out(kent.body)
    for query in ['?severity=must', '?sensitive=true', '?sensitive=false', '?export=obligations&format=csv']:
        evaluation.forget_evaluations()
        response = client.get(url + query)
        assert response.status_code == 200
        if response.context is not None:
            assert not isinstance(response.context['evaluation'], stored_page.StoredPage)


def test_a_small_register_is_not_stored(kent, client_for, django_capture_on_commit_callbacks):
    client = client_for(kent.editor)
    with django_capture_on_commit_callbacks(execute=True) as asked:
        get(client, reverse('policy:body', args=[kent.body.slug]))
    assert not asked and stored.work_out(kent.body) is None
    assert not StoredEvaluation.objects.exists()


@override_settings(OVERSIGHT_STORED_POLICY_LINES=1)
def test_another_body_never_sees_the_stored_page(kent, client_for, editor_b):
    stored.work_out(kent.body)
    response = client_for(editor_b).get(reverse('policy:body', args=[kent.body.slug]))
    assert response.status_code == 404


@override_settings(OVERSIGHT_STORED_POLICY_LINES=1)
def test_what_another_release_stored_is_worked_out_again(kent, client_for):
    client = client_for(kent.editor)
    url = reverse('policy:body', args=[kent.body.slug])
    stored.work_out(kent.body)
    StoredEvaluation.objects.update(engine='rules or code of another release')
    assert not isinstance(get(client, url).context['evaluation'], stored_page.StoredPage)
    assert stored.work_out(kent.body) is not None
    assert isinstance(get(client, url).context['evaluation'], stored_page.StoredPage)


@override_settings(OVERSIGHT_STORED_POLICY_LINES=50)
def test_the_command_stores_each_large_bodys_page_once(kent, editor_b):
    out = io.StringIO()
    call_command('store-policy-pages', stdout=out)
    assert f'{kent.body}: 80 lines worked out and stored' in out.getvalue()
    assert 'Across bodies: 80 lines worked out and stored' in out.getvalue()
    assert 'Pages stored: 2. Already current: 0.' in out.getvalue()  # the other body has no lines
    call_command('store-policy-pages', '--body', kent.body.slug, stdout=(out := io.StringIO()))
    assert 'Pages stored: 0. Already current: 1.' in out.getvalue()
    with CaptureQueriesContext(connection) as queries:
        call_command('store-policy-pages', stdout=(out := io.StringIO()))
    assert 'Pages stored: 0. Already current: 2.' in out.getvalue()
    # The 46 bodies too small to store are left out together, not asked one by one (6 queries each).
    assert len(queries) < 30
    with pytest.raises(CommandError, match="No body with the slug 'nowhere'"):
        call_command('store-policy-pages', '--body', 'nowhere')


@override_settings(OVERSIGHT_STORED_POLICY_LINES=1)
def test_a_store_switches_to_its_rows_at_once_and_an_older_run_never_wins(kent, monkeypatch):
    def generations():
        return {
            model: set(model.objects.values_list('generation', flat=True))
            for model in (StoredObligation, StoredVulnerability)
        }

    def each(*shown):
        return {model: set(shown) for model in (StoredObligation, StoredVulnerability)}

    first = stored.work_out(kent.body).generation
    kent.add(random.Random(5))
    second = stored.work_out(kent.body).generation
    assert second > first
    assert generations() == each(first, second)  # the one shown before is kept for a page reading it
    kent.add(random.Random(6))
    third = stored.work_out(kent.body).generation
    assert generations() == each(second, third)

    # A run overtaken by one that started after it and switched first changes nothing when it finishes.
    real = stored._next_generation

    def overtaken(organisation, today):
        ours = real(organisation, today)
        monkeypatch.setattr(stored, '_next_generation', real)
        kent.add(random.Random(7))
        assert stored.work_out(organisation) is not None
        return ours

    monkeypatch.setattr(stored, '_next_generation', overtaken)
    kent.add(random.Random(8))
    assert stored.work_out(kent.body) is None
    shown = StoredEvaluation.objects.get()
    assert shown.generation == third + 2 and shown.revision == list(evaluation.revision(kent.body))


# The regulator's page across bodies: the same tables with the body column, and the summary per body.
ACROSS_BODIES = [
    *QUERIES,
    '?o-sort=organisation&o-page=2',
    '?o-sort=-organisation',
    '?v-sort=-organisation',
    '?p-sort=-organisation',
    '?b-sort=-must',
]


@pytest.fixture
def essex(editor_b, makers):
    register = Register(editor_b, 'Chelmsford')
    rng = random.Random(11)
    for _ in range(40):
        register.add(rng)
    return register


@override_settings(OVERSIGHT_STORED_POLICY_LINES=1)
@pytest.mark.parametrize('language', ['en-gb', 'cy'])
def test_the_regulators_stored_page_across_bodies_is_the_page_a_fresh_evaluation_gives(
    kent, essex, regulator, client_for, language
):
    client = client_for(regulator)
    url = reverse('policy:policy')
    afresh = {}
    for query in ACROSS_BODIES:
        response = get(client, url + query, language)
        assert not isinstance(response.context['evaluation'], stored_page.StoredPage)
        afresh[query] = main(response)
    assert stored.work_out(None) is not None
    assert set(StoredObligation.objects.values_list('body_rank', flat=True)) == {0, 1}
    for query in ACROSS_BODIES:
        response = get(client, url + query, language)
        assert isinstance(response.context['evaluation'], stored_page.StoredPage), query
        assert main(response) == afresh[query], query
    assert kent.body.name in afresh[''] and essex.body.name in afresh['']


@override_settings(OVERSIGHT_STORED_POLICY_LINES=1, TASKS={'default': {'BACKEND': DATABASE_BACKEND}})
def test_a_change_in_any_body_asks_for_the_page_across_bodies(
    kent, essex, regulator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(regulator)
    url = reverse('policy:policy')
    with django_capture_on_commit_callbacks(execute=True):
        assert not isinstance(get(client, url).context['evaluation'], stored_page.StoredPage)
    assert asked() == 1
    # Stored a minute later: a minute of writes in any body is one store of every register.
    task = DBTaskResult.objects.get()
    assert 55 <= (task.run_after - task.enqueued_at).total_seconds() <= 65
    work_out_what_was_asked()
    assert StoredEvaluation.objects.get().organisation is None
    assert isinstance(get(client, url).context['evaluation'], stored_page.StoredPage)
    with django_capture_on_commit_callbacks(execute=True):
        essex.add(random.Random(12))  # the other body's register: the page across bodies is out of date
        assert not isinstance(get(client, url).context['evaluation'], stored_page.StoredPage)
    assert asked() == 1
    work_out_what_was_asked()
    assert isinstance(get(client, url).context['evaluation'], stored_page.StoredPage)
    # Filtered, the regulator's page is worked out; a body's own user is sent to the body's own page.
    filtered = get(client, url + f'?organisation={essex.body.pk}')
    assert not isinstance(filtered.context['evaluation'], stored_page.StoredPage)
    assert client_for(kent.editor).get(url)['Location'] == reverse('policy:body', args=[kent.body.slug])


@override_settings(OVERSIGHT_STORED_POLICY_LINES=1)
def test_past_the_lines_the_page_evaluates_across_bodies_nothing_is_stored(kent, essex, monkeypatch):
    assert stored.work_out(None) is not None
    monkeypatch.setattr(stored, 'ACROSS_BODIES_MAX_LINES', 100)  # 120 lines
    assert stored.work_out(None) is None
    assert not StoredEvaluation.objects.exists() and not StoredObligation.objects.exists()  # it asks for a body
    assert stored.work_out(kent.body) is not None  # a body's own page has no such limit
    call_command('store-policy-pages', stdout=(out := io.StringIO()))
    assert 'Across bodies: not stored (the page is stored from 1 lines to 100, past which it asks for a body).' in (
        out.getvalue()
    )


@override_settings(OVERSIGHT_STORED_POLICY_LINES=1)
def test_a_store_across_bodies_removed_while_it_writes_leaves_nothing(kent, essex, monkeypatch):
    assert stored.work_out(None) is not None
    essex.add(random.Random(13))
    real = stored._write_rows

    def removed_midway(table, evaluation, generation, items):
        # Another worker finds the register past what the page evaluates, between this run's two tables.
        monkeypatch.setattr(stored, '_write_rows', real)
        real(table, evaluation, generation, items)
        with monkeypatch.context() as limit:
            limit.setattr(stored, 'ACROSS_BODIES_MAX_LINES', 100)  # 121 lines
            assert stored.work_out(None) is None
        return real(table, evaluation, generation, items)

    monkeypatch.setattr(stored, '_write_rows', removed_midway)
    assert stored.work_out(None) is None
    assert not StoredEvaluation.objects.exists()
    assert not StoredObligation.objects.exists() and not StoredVulnerability.objects.exists()
    connection.check_constraints()  # no row points at the removed evaluation


@override_settings(OVERSIGHT_STORED_POLICY_LINES=1)
def test_stored_pages_stay_current_through_more_sign_ins_than_a_patch_takes(
    kent, essex, regulator, client_for, monkeypatch
):
    monkeypatch.setattr(evaluation, 'PATCH_MAX_LINES', 3)
    kept = {body: stored.work_out(body).generation for body in (kent.body, None)}
    for editor in (kent.editor, essex.editor):
        for _ in range(5):
            record_event(AccountEvent.SIGNED_IN, user=editor)
    for user, url in (
        (kent.editor, reverse('policy:body', args=[kent.body.slug])),
        (regulator, reverse('policy:policy')),
    ):
        assert isinstance(get(client_for(user), url).context['evaluation'], stored_page.StoredPage)
    assert stored.work_out(kent.body) is None and stored.work_out(None) is None  # current: not worked out again
    assert {s.organisation: s.generation for s in StoredEvaluation.objects.all()} == kept


@override_settings(OVERSIGHT_STORED_POLICY_LINES=1)
def test_there_is_one_stored_page_across_bodies(kent):
    across = stored.work_out(None)
    duplicate = {f: getattr(across, f) for f in ('revision', 'today', 'engine', 'worked_out_at', 'lines', 'figures')}
    with pytest.raises(IntegrityError), transaction.atomic():
        StoredEvaluation.objects.create(organisation=None, plan={}, **duplicate)
    assert StoredEvaluation.objects.filter(organisation=None).count() == 1


@override_settings(OVERSIGHT_STORED_POLICY_LINES=1)
def test_the_worker_patches_the_evaluation_it_keeps_when_a_few_lines_were_written(kent, client_for, monkeypatch):
    client = client_for(kent.editor)
    url = reverse('policy:body', args=[kent.body.slug])
    stored.work_out(kent.body)
    kent.add(random.Random(21))
    kent.add(random.Random(22))
    evaluated, real = [], evaluation.evaluate
    with monkeypatch.context() as patch:
        patch.setattr(evaluation, 'evaluate', lambda lines, *args: evaluated.append(len(lines)) or real(lines, *args))
        assert stored.work_out(kent.body) is not None
    assert evaluated == [2]  # the two lines written, not the register's 82
    shown = {query: main(get(client, url + query)) for query in QUERIES[:8]}
    StoredEvaluation.objects.all().delete()
    assert {query: main(get(client, url + query)) for query in QUERIES[:8]} == shown
