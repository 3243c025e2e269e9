import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from oversight.compliance.actions import record_governance
from oversight.compliance.models import Governance
from oversight.compliance.querysets import certification_status, certification_status_of, dpia_status, dpia_status_of
from oversight.core.audit import STALE_MESSAGE
from oversight.core.models import ObjectChange

D = datetime.date


def test_the_first_save_creates_the_record_and_later_ones_change_it_with_history(editor_a, system_a):
    record = record_governance(editor_a, system_a, purpose='Safety of detained persons', retention_days=31)
    assert record.version == 1
    again = record_governance(editor_a, system_a, 1, sro_name='Ch Supt A. Example')
    assert again.pk == record.pk and again.version == 2
    assert again.purpose == 'Safety of detained persons' and again.sro_name == 'Ch Supt A. Example'
    changes = ObjectChange.objects.for_object(record).order_by('pk')
    assert [c.action for c in changes] == ['create', 'update']
    assert changes[1].after['sro_name'] == 'Ch Supt A. Example' and changes[1].before['sro_name'] == ''
    # History is scoped by the system's body, so the body's own users see it.
    assert {c.organisation_id for c in changes} == {system_a.organisation_id}


def test_a_stale_edit_is_refused_and_changes_nothing(editor_a, system_a):
    record_governance(editor_a, system_a, purpose='first')
    record_governance(editor_a, system_a, 1, purpose='second')
    with pytest.raises(ValidationError) as caught:
        record_governance(editor_a, system_a, 1, purpose='third')
    assert STALE_MESSAGE in caught.value.messages
    assert Governance.objects.get(system=system_a).purpose == 'second'


@pytest.mark.parametrize('who', ['viewer_a', 'editor_b', 'regulator'])
def test_only_the_bodys_editors_may_record_governance(request, who, system_a):
    with pytest.raises(PermissionDenied):
        record_governance(request.getfixturevalue(who), system_a, purpose='x')
    assert not Governance.objects.exists()


@pytest.mark.parametrize(
    ('fields', 'field'),
    [
        ({'dpia_completed_on': D(2025, 5, 1), 'dpia_review_due': D(2025, 5, 1)}, 'dpia_review_due'),
        ({'dpia_review_due': D(2026, 5, 1)}, 'dpia_completed_on'),
        ({'dpia_trigger': 'upgrade'}, 'dpia_completed_on'),
        (
            {
                'certified_on': D(2025, 1, 1),
                'certification_expires': D(2024, 1, 1),
                'certification_body': 'nsi',
                'certification_step': 'step_2',
            },
            'certification_expires',
        ),  # fmt: skip
        (
            {'certified_on': D(2025, 1, 1), 'certification_body': 'nsi', 'certification_step': 'step_1'},
            'certification_expires',
        ),  # fmt: skip
        (
            {'certified_on': D(2025, 1, 1), 'certification_expires': D(2026, 1, 1), 'certification_step': 'step_1'},
            'certification_body',
        ),  # fmt: skip
        (
            {'certified_on': D(2025, 1, 1), 'certification_expires': D(2026, 1, 1), 'certification_body': 'ssaib'},
            'certification_step',
        ),  # fmt: skip
        ({'certification_expires': D(2026, 1, 1)}, 'certified_on'),
        ({'retention_days': 0}, 'retention_days'),
    ],
)
def test_a_broken_rule_is_refused_naming_the_field(editor_a, system_a, fields, field):
    with pytest.raises(ValidationError) as caught:
        record_governance(editor_a, system_a, **fields)
    assert field in caught.value.message_dict
    assert not Governance.objects.exists()


@pytest.mark.parametrize(
    'fields',
    [
        {'dpia_completed_on': D(2025, 5, 1), 'dpia_review_due': D(2025, 4, 1)},
        {'dpia_review_due': D(2025, 4, 1)},
        {'dpia_trigger': 'upgrade'},
        {
            'certified_on': D(2025, 1, 1),
            'certification_expires': D(2025, 1, 1),
            'certification_body': 'nsi',
            'certification_step': 'step_2',
        },  # fmt: skip
        {'certified_on': D(2025, 1, 1), 'certification_expires': D(2026, 1, 1)},
        {'certification_expires': D(2026, 1, 1)},
        {'retention_days': 0},
    ],
)
def test_the_database_refuses_what_the_form_refuses(system_a, fields):
    """Written past the action (as the admin, a shell or a bug could), the CHECK constraints still hold."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Governance.objects.create(system=system_a, **fields)


def test_a_complete_record_is_accepted(editor_a, system_a):
    record = record_governance(
        editor_a,
        system_a,
        purpose='Safety of detained persons',
        lawful_basis='Part 3 of the Data Protection Act 2018',
        sro_name='Ch Supt A. Example',
        spoc_name='Information rights unit',
        spoc_contact='cctv@example.police.uk',
        retention_days=31,
        dpia_completed_on=D(2025, 3, 1),
        dpia_review_due=D(2026, 3, 1),
        dpia_trigger='cameras_changed',
        certification_scheme='Third-party certification against the Surveillance Camera Code',
        certification_body='nsi',
        certification_step='step_2',
        certified_on=D(2024, 6, 1),
        certification_expires=D(2029, 6, 1),
        facial_recognition='none',
    )
    record.refresh_from_db()
    assert record.certification_step == Governance.CertificationStep.FULL


def test_for_user_scopes_records_through_the_systems_body(editor_a, editor_b, regulator, system_a, system_b):
    mine = record_governance(editor_a, system_a, purpose='a')
    theirs = record_governance(editor_b, system_b, purpose='b')
    assert list(Governance.objects.for_user(editor_a)) == [mine]
    assert list(Governance.objects.for_user(editor_b)) == [theirs]
    assert set(Governance.objects.for_user(regulator)) == {mine, theirs}


def test_the_status_rule_for_a_rebuilt_record_is_the_databases(system_a):
    """A snapshot reads statuses in Python (querysets.*_status_of); the lists read them from the database."""
    on = datetime.date(2024, 6, 1)
    day = datetime.timedelta(days=1)
    for done, due, expires in (
        (None, None, None),
        (on - 10 * day, None, on - day),
        (on - 10 * day, on, on),
        (on - 10 * day, on + day, on + 90 * day),
        (on - 10 * day, on + 30 * day, on + 91 * day),
    ):
        Governance.objects.update_or_create(
            system=system_a,
            defaults={
                'dpia_completed_on': done, 'dpia_review_due': due, 'certified_on': expires and on - 400 * day,
                'certification_expires': expires, 'certification_body': 'nsi' if expires else '',
                'certification_step': 'step_1' if expires else '',
            },
        )  # fmt: skip
        stored = Governance.objects.annotate(dpia=dpia_status(on=on), certification=certification_status(on=on)).get()
        assert (stored.dpia, stored.certification) == (
            dpia_status_of(done, due, on),
            certification_status_of(expires, on),
        ), (done, due, expires)
