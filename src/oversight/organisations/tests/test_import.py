import io

import pytest
from openpyxl import Workbook

from oversight.core.models import ObjectChange
from oversight.core.spreadsheets import read_upload
from oversight.organisations import actions
from oversight.organisations.imports import plan_import
from oversight.organisations.models import Organisation, OrganisationGroup

GOOD = (
    'name,kind,country,group\n'
    'Medway Council,local_authority,England,"Local authorities, South East"\n'
    'Kent County Council,Local authority,England,"Local authorities, South East; Kent partners"\n'
    'Kent Police,territorial,England,Kent partners\n'
)


def sheet(text: str):
    return read_upload('organisations.csv', text.encode())


def run_import(user, text):
    s = sheet(text)
    return actions.import_organisations(user, s.headers, s.rows, 'test upload')


def problems(text):
    s = sheet(text)
    return [(p.row, p.column) for p in plan_import(s.headers, s.rows, 'test upload').problems]


def test_an_import_adds_organisations_groups_and_memberships(regulator, body_a):
    plan = run_import(regulator, GOOD)
    assert plan.problems == []
    assert (len(plan.new_organisations), plan.new_groups, plan.memberships) == (
        2,
        ['Kent partners', 'Local authorities, South East'],
        4,
    )
    kcc = Organisation.objects.get(name='Kent County Council')
    assert (kcc.kind, kcc.country, kcc.source) == ('local_authority', 'England', 'test upload')
    assert sorted(g.name for g in kcc.groups.all()) == ['Kent partners', 'Local authorities, South East']
    # Kent Police keeps its policing group and joins the new one.
    assert body_a.groups.count() == 2
    assert ObjectChange.objects.filter(message='Imported').count() == 3


def test_importing_the_same_file_twice_changes_nothing(regulator):
    run_import(regulator, GOOD)
    changes = ObjectChange.objects.count()
    plan = run_import(regulator, GOOD)
    assert (len(plan.new_organisations), plan.new_groups, plan.memberships) == (0, [], 0)
    assert ObjectChange.objects.count() == changes


def test_every_problem_is_listed_by_row_and_column_and_nothing_is_written(regulator):
    text = (
        'name,kind,country,group,colour\n'
        'Medway Council,council,England,,blue\n'
        ',local_authority,England,,\n'
        'Kent Police,local_authority,England,,\n'
        'kent police,territorial,England,,\n'
        'Medway Council,local_authority,England,,\n'
        'Swale Borough Council,local_authority,England,"POLICING BODIES ENGLAND AND WALES",,extra\n'
    )
    assert problems(text) == [
        (1, 'colour'),
        (2, 'kind'),
        (3, 'name'),
        (4, 'kind'),
        (5, 'name'),
        (6, 'name'),
        (7, ''),
    ]
    count = Organisation.objects.count()
    plan = run_import(regulator, text)
    assert len(plan.problems) == 7
    assert Organisation.objects.count() == count
    assert not ObjectChange.objects.exists()


def test_missing_columns_are_reported_before_rows(db):
    assert problems('name,country\nMedway Council,England\n') == [(1, 'kind')]
    assert problems('name,kind\n') == [(2, 'name')]


def test_our_own_export_re_imports_unchanged(client_for, regulator):
    response = client_for(regulator).get('/organisations/?export=csv')
    s = read_upload('organisations.csv', response.content)
    assert s.headers == ['name', 'kind', 'country', 'groups']
    assert 'Policing bodies, England and Wales' in response.content.decode()
    plan = actions.import_organisations(regulator, s.headers, s.rows, 'export')
    assert plan.problems == []
    assert (len(plan.new_organisations), plan.memberships) == (0, 0)


def test_xlsx_is_read_like_csv(regulator):
    workbook = Workbook()
    workbook.active.append(['Name', 'Kind', 'Country', 'Group'])
    workbook.active.append(['Ofcom', 'other', 'United Kingdom', 'Other public bodies'])
    buffer = io.BytesIO()
    workbook.save(buffer)
    s = read_upload('orgs.xlsx', buffer.getvalue())
    actions.import_organisations(regulator, s.headers, s.rows, 'x')
    assert OrganisationGroup.objects.get(name='Other public bodies').organisations.get().name == 'Ofcom'


@pytest.mark.parametrize(
    'line',
    [
        'Thurrock Council,local_authority,England,Add',
        'Thurrock Council,local_authority,England,"Policing-Bodies-England-Wales"',
        'Thurrock Council,regulator,England,',
        'Office of the Biometrics and Surveillance Camera Commissioner,regulator,United Kingdom,Kent partners',
        'Thurrock Council,local_authority,' + 'x' * 61 + ',',
    ],
)
def test_single_bad_cells(db, line):
    assert len(problems('name,kind,country,group\n' + line + '\n')) == 1


def test_a_loosely_spelled_group_is_the_existing_group(regulator):
    plan = run_import(
        regulator, 'name,kind,group\nThurrock Council,local_authority,POLICING BODIES ENGLAND AND WALES\n'
    )
    assert plan.new_groups == []
    assert plan.rows[0].groups == ['Policing bodies, England and Wales']
    assert Organisation.objects.get(name='Thurrock Council').groups.get().slug == 'policing-bodies-england-wales'


def test_new_bodies_are_written_together_each_with_its_audit_row(regulator):
    """A national list is thousands of bodies: each written on its own cost 13 queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def imported(names) -> int:
        text = 'name,kind,country,group\n' + ''.join(
            f'{name},local_authority,England,Kent partners\n' for name in names
        )
        with CaptureQueriesContext(connection) as queries:
            assert run_import(regulator, text).problems == []
        return len(queries)

    imported(['Medway Council'])  # the group is made by the first import
    few = imported([f'Council {n}' for n in range(2)])
    assert imported([f'District {n}' for n in range(12)]) == few
    district = Organisation.objects.get(name='District 7')
    assert [g.name for g in district.groups.all()] == ['Kent partners']
    change = ObjectChange.objects.get(object_id=str(district.pk), content_type__model='organisation')
    assert (change.action, change.message, change.object_repr) == ('create', 'Imported', 'District 7')
    assert change.after['groups'] == [district.groups.get().pk] and change.after['slug'] == 'district-7'
