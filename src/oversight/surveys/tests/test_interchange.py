import io
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oversight.compliance.actions import record_governance
from oversight.core.models import ObjectChange
from oversight.organisations.models import Organisation
from oversight.register.actions import create_system
from oversight.surveys.actions.campaigns import create_campaign
from oversight.surveys.actions.corrections import record_correction
from oversight.surveys.actions.returns import accept_return
from oversight.surveys.interchange import COLUMNS
from oversight.surveys.models import Campaign, Invitation, Return

from .conftest import london

HEADER = ','.join(COLUMNS)
GOOD = f"""{HEADER}
Kent Police,external_cctv,yes,Hikvision,,DS-2CD2143G2-I,30,yes,2022-08-30T10:00:00+01:00
Kent Police,external_cctv,yes,Axis,,Q6075-E,10,yes,2022-08-30T10:00:00+01:00
Kent Police,drone,yes,DJI,,Matrice 300 RTK,4,no,2022-08-30T10:00:00+01:00
Kent Police,helicopter,no,,,,,,2022-08-30T10:00:00+01:00
Essex Police,body_worn_video,yes,Hikvision,,DS-MH2111,200,unknown,2022-11-20T09:00:00Z
"""


def write(tmp_path, text, name='returns.csv'):
    path = tmp_path / name
    path.write_text(text, encoding='utf-8')
    return str(path)


def export(reference='2022', *options):
    out = io.StringIO()
    call_command('export-returns', reference, *options, stdout=out)
    return out.getvalue()


def test_import_creates_the_campaign_with_the_policing_bodies_and_counts_non_respondents(tmp_path, concern_list):
    call_command(
        'import-returns', '2022', write(tmp_path, GOOD), '--deadline', '2022-08-31T17:00', stdout=io.StringIO()
    )
    campaign = Campaign.objects.get(slug='2022')
    assert (campaign.year, campaign.concern_list.slug) == (2022, 'obscc-2022')
    assert campaign.invitations.count() == 47
    assert campaign.returns.responded().count() == 2
    assert campaign.invitations.filter(status=Invitation.Status.NOT_STARTED).count() == 45
    kent = Return.objects.get(organisation__name='Kent Police')
    assert kent.answers == {
        'external_cctv.operates': 'yes',
        'external_cctv.aware_of_concerns': 'yes',
        'external_cctv.manufacturers': [
            {'manufacturer': 'Hikvision', 'brand': '', 'model': 'DS-2CD2143G2-I', 'quantity': 30},
            {'manufacturer': 'Axis', 'brand': '', 'model': 'Q6075-E', 'quantity': 10},
        ],
        'drone.operates': 'yes',
        'drone.aware_of_concerns': 'no',
        'drone.manufacturers': [{'manufacturer': 'DJI', 'brand': '', 'model': 'Matrice 300 RTK', 'quantity': 4}],
        'helicopter.operates': 'no',
    }
    assert kent.is_late is False
    assert Return.objects.get(organisation__name='Essex Police').is_late is True


@pytest.mark.parametrize('changed', [False, True], ids=['new returns', 'changed returns'])
def test_an_import_makes_as_many_queries_for_many_bodies_as_for_a_few(tmp_path, concern_list, changed):
    """Returns are written in bulk, each body's governance records rebuilt with the others' (5,000 bodies, one
    at a time, took 40 s): the queries do not grow with the bodies in the file, each with a system on record."""

    bodies = list(Organisation.objects.bodies().order_by('name')[:12])
    with time_machine.travel(london(2022, 7, 1, 12), tick=False):  # on record before the returns' submission
        for body in bodies:
            record_governance(
                None, create_system(None, body, name='Town', category='external_cctv'), facial_recognition='none'
            )

    def imported(reference, count):
        rows = [f'{b.name},drone,yes,DJI,,Matrice 300 RTK,4,no,2022-08-30T10:00:00+01:00' for b in bodies[:count]]
        path = write(tmp_path, '\n'.join([HEADER, *rows]) + '\n', f'{reference}-{count}.csv')
        if changed:  # first as new returns, then as changed ones
            call_command('import-returns', reference, path, stdout=io.StringIO())
            path = write(tmp_path, Path(path).read_text().replace(',4,', ',5,'), f'{reference}-{count}-changed.csv')
        with CaptureQueriesContext(connection) as queries:
            call_command('import-returns', reference, path, stdout=io.StringIO())
        assert Return.objects.filter(campaign__slug=reference, governance_basis='reconstructed').count() == count
        return len(queries)

    imported('2021', 2)  # what a process reads once (content types, the concern list) is read
    assert imported('2022', 2) == imported('2023', 12)


def test_export_then_import_round_trips_and_a_second_import_changes_nothing(tmp_path, concern_list):
    path = write(tmp_path, GOOD)
    call_command('import-returns', '2022', path, stdout=io.StringIO())
    exported = export()
    assert exported.splitlines()[0] == HEADER
    assert 'Kent Police,external_cctv,yes,Hikvision,,DS-2CD2143G2-I,30,yes,2022-08-30T10:00:00+01:00' in exported
    # Z is stored as the instant and written back in London time.
    assert 'Essex Police,body_worn_video,yes,Hikvision,,DS-MH2111,200,unknown,2022-11-20T09:00:00+00:00' in exported
    changes, versions = ObjectChange.objects.count(), list(Return.objects.values_list('version', flat=True))
    out = io.StringIO()
    call_command('import-returns', '2022', write(tmp_path, exported, 'again.csv'), stdout=out)
    assert '0 returns created, 0 updated, 2 unchanged' in out.getvalue()
    assert ObjectChange.objects.count() == changes
    assert list(Return.objects.values_list('version', flat=True)) == versions
    assert export() == exported


def test_the_same_file_imported_again_is_recognised_unread_until_anything_changes(
    tmp_path, concern_list, monkeypatch, regulator
):
    from oversight.surveys import interchange

    path = write(tmp_path, GOOD)
    call_command('import-returns', '2022', path, stdout=io.StringIO())
    read = []
    real = interchange.read_returns
    monkeypatch.setattr(interchange, 'read_returns', lambda *args: read.append(1) or real(*args))
    out = io.StringIO()
    call_command('import-returns', '2022', path, stdout=out)
    assert '0 returns created, 0 updated, 2 unchanged' in out.getvalue() and read == []
    # Once a return has changed, the file is read and compared again.
    kent = Return.objects.get(organisation__name='Kent Police')
    accept_return(regulator, kent)
    call_command('import-returns', '2022', path, stdout=out)
    assert read == [1]


def test_a_changed_file_replaces_the_bodys_return(tmp_path, concern_list):
    call_command('import-returns', '2022', write(tmp_path, GOOD), stdout=io.StringIO())
    changed = GOOD.replace('Axis,,Q6075-E,10', 'Axis,,Q6075-E,12')
    out = io.StringIO()
    call_command('import-returns', '2022', write(tmp_path, changed, 'b.csv'), stdout=out)
    assert '0 returns created, 1 updated, 1 unchanged' in out.getvalue()
    kent = Return.objects.get(organisation__name='Kent Police')
    assert [line['quantity'] for line in kent.answers['external_cctv.manufacturers']] == [30, 12]


@pytest.mark.parametrize(
    ('row', 'message'),
    [
        ('Kent Polise,anpr,yes,Bosch,,,3,no,2022-08-30', 'Row 3, column body: "Kent Polise" is not the exact name'),
        ('kent police,anpr,yes,Bosch,,,3,no,2022-08-30', 'Did you mean "Kent Police"?'),
        ('Kent Police,cctv,yes,Bosch,,,3,no,2022-08-30', 'Row 3, column category: "cctv" is not a category'),
        ('Kent Police,anpr,yes,Bosch,,,2.5,no,2022-08-30', 'Row 3, column quantity: "2.5" is not a whole number'),
        ('Kent Police,anpr,yes,Bosch,,,-1,no,2022-08-30', 'Row 3, column quantity: "-1" is not a whole number'),
        # Once a raw ValueError traceback from the command (Python reads at most 4,300 digits).
        ('Kent Police,anpr,yes,Bosch,,,' + '9' * 5000 + ',no,2022-08-30', 'Row 3, column quantity: "99999'),
        ('Kent Police,anpr,yes,Bosch,,,1000001,no,2022-08-30', 'a whole number from 1 to 1,000,000'),
        ('Kent Police,anpr,yes,"Bosch,,,3,no,2022-08-30', 'Line 3 of the file cannot be read'),
        ('Kent Police,anpr,maybe,Bosch,,,3,no,2022-08-30', 'Row 3, column operates: "maybe" is not yes, no or unknown'),
        ('Kent Police,anpr,yes,Bosch,,,3,perhaps,2022-08-30', 'Row 3, column aware_of_concerns: "perhaps"'),
        ('Kent Police,anpr,yes,Bosch,,,3,no,31/08/2022', 'Row 3, column submitted_at: "31/08/2022" is not an ISO 8601'),
        ('Kent Police,anpr,yes,Bosch,,,3,no,2022-08-29', 'Row 3, column submitted_at: Kent Police has another'),
        ('Kent Police,anpr,no,Bosch,,,3,no,2022-08-30', 'Row 3, column operates: Kent Police says it does not operate'),
        ('Kent Police,helicopter,yes,,,,,,2022-08-30', 'Row 3, column operates: "yes" disagrees with row 2'),
        ('Office of the Biometrics and Surveillance Camera Commissioner,anpr,yes,,,,,,2022-08-30', 'not the exact'),
    ],
)
def test_bad_rows_are_refused_naming_row_and_column_and_nothing_is_saved(tmp_path, concern_list, row, message):
    text = f'{HEADER}\nKent Police,helicopter,no,,,,,,2022-08-30\n{row}\n'
    with pytest.raises(CommandError) as caught:
        call_command('import-returns', '2022', write(tmp_path, text), stdout=io.StringIO())
    assert message in str(caught.value)
    assert 'nothing was imported' in str(caught.value)
    assert not Campaign.objects.exists()
    assert not Return.objects.exists()


def test_every_problem_is_listed_at_once(tmp_path, concern_list):
    text = f'{HEADER}\nNowhere Police,anpr,yes,,,,1.5,,2022-08-30\nKent Police,lasers,yes,,,,,,\n'
    with pytest.raises(CommandError) as caught:
        call_command('import-returns', '2022', write(tmp_path, text), stdout=io.StringIO())
    text = str(caught.value)
    for part in ('Row 2, column body', 'Row 2, column quantity', 'Row 3, column category'):
        assert part in text


def test_missing_columns_and_a_body_without_submission_time_are_refused(tmp_path, concern_list):
    with pytest.raises(CommandError, match='column\\(s\\) submitted_at are missing'):
        call_command(
            'import-returns',
            '2022',
            write(tmp_path, 'body,category,operates,manufacturer,brand,model,quantity,aware_of_concerns\n'),
            stdout=io.StringIO(),
        )
    with pytest.raises(CommandError, match='no row of Kent Police says when it submitted'):
        call_command(
            'import-returns', '2022', write(tmp_path, f'{HEADER}\nKent Police,anpr,no,,,,,,\n'), stdout=io.StringIO()
        )


def test_recipients_file_limits_the_campaign_and_refuses_others(tmp_path, concern_list):
    recipients = write(tmp_path, 'body\nKent Police\nSurrey Police\n', 'recipients.csv')
    with pytest.raises(CommandError, match='Essex Police was not invited'):
        call_command(
            'import-returns', 'trial-2023', write(tmp_path, GOOD), '--recipients', recipients, stdout=io.StringIO()
        )
    call_command(
        'import-returns',
        'trial-2023',
        write(tmp_path, GOOD.replace('Essex', 'Surrey')),
        '--recipients',
        recipients,
        stdout=io.StringIO(),
    )
    campaign = Campaign.objects.get(slug='trial-2023')
    assert sorted(campaign.invitations.values_list('organisation__name', flat=True)) == ['Kent Police', 'Surrey Police']
    assert campaign.recipients_group is None


def test_unknown_concern_list_and_campaign_without_year_are_refused(tmp_path, concern_list):
    with pytest.raises(CommandError, match='No concern list has the slug "nope"'):
        call_command('import-returns', '2022', write(tmp_path, GOOD), '--concern-list', 'nope', stdout=io.StringIO())
    with pytest.raises(CommandError, match='has no year'):
        call_command('import-returns', 'latest', write(tmp_path, GOOD), stdout=io.StringIO())


def test_an_accepted_return_is_not_overwritten_by_import(tmp_path, concern_list, regulator):
    from oversight.surveys.actions.returns import accept_return

    call_command('import-returns', '2022', write(tmp_path, GOOD), stdout=io.StringIO())
    accept_return(regulator, Return.objects.get(organisation__name='Kent Police'))
    call_command('import-returns', '2022', write(tmp_path, GOOD), stdout=io.StringIO())  # unchanged: fine
    with pytest.raises(CommandError, match='Kent Police was accepted: record a correction'):
        call_command('import-returns', '2022', write(tmp_path, GOOD.replace(',30,', ',31,')), stdout=io.StringIO())


def test_formula_like_text_survives_the_round_trip(tmp_path, concern_list):
    text = f'{HEADER}\nKent Police,other,yes,Acme,,=1+2,,,2022-08-30\n'
    call_command('import-returns', '2022', write(tmp_path, text), stdout=io.StringIO())
    exported = export()
    assert "'=1+2" in exported
    call_command('import-returns', '2022', write(tmp_path, exported, 'x.csv'), stdout=io.StringIO())
    assert Return.objects.get().answers['other.manufacturers'][0]['model'] == '=1+2'


def test_export_as_published_undoes_corrections(tmp_path, concern_list, regulator):
    import datetime

    from oversight.surveys.actions.returns import accept_return

    call_command('import-returns', '2022', write(tmp_path, GOOD), stdout=io.StringIO())
    essex = Return.objects.get(organisation__name='Essex Police')
    accept_return(regulator, essex)
    record_correction(
        regulator,
        essex,
        field='body_worn_video.manufacturers.1.manufacturer',
        new_value='Reveal',
        reason='Subsequent enquiries',
        source='Update of February 2023',
        date=datetime.date(2023, 3, 1),
        publish_as_update=True,
    )
    assert 'Essex Police,body_worn_video,yes,Reveal,' in export()
    assert 'Essex Police,body_worn_video,yes,Hikvision,' in export('2022', '--as-published')
    # The campaign page's export gives the same two files (its ?as=published was once ignored unnoticed).
    client = Client()
    client.force_login(regulator)
    url = reverse('surveys:campaign_export', args=[essex.invitation.campaign.slug])
    as_corrected, as_published = client.get(url).content.decode(), client.get(url, {'as': 'published'})
    assert 'Essex Police,body_worn_video,yes,Reveal,' in as_corrected
    assert 'Essex Police,body_worn_video,yes,Hikvision,' in as_published.content.decode()
    assert 'Reveal' not in as_published.content.decode()
    assert as_published['Content-Disposition'].endswith('-returns-as-published.csv"')


def test_quoted_cells_a_byte_order_mark_and_capitals_are_read(tmp_path, concern_list):
    text = f'\ufeff{HEADER.upper()}\n"Kent Police",other,YES,"Acme, Ltd",,"Model ""X""",3,Unknown,2022-08-30\n'
    call_command('import-returns', '2022', write(tmp_path, text), stdout=io.StringIO())
    kent = Return.objects.get()
    assert kent.answers['other.manufacturers'] == [
        {'manufacturer': 'Acme, Ltd', 'brand': '', 'model': 'Model "X"', 'quantity': 3}
    ]
    assert kent.answers['other.operates'] == 'yes' and kent.answers['other.aware_of_concerns'] == 'unknown'


def test_a_draft_campaign_takes_no_imported_returns(tmp_path, concern_list, questionnaire, regulator):

    create_campaign(
        regulator,
        title='Draft',
        slug='draft-2025',
        year=2025,
        questionnaire=questionnaire,
        concern_list=concern_list,
        recipients=[Organisation.objects.get(name='Kent Police')],
    )
    with pytest.raises(CommandError, match='draft-2025 is a draft'):
        call_command('import-returns', 'draft-2025', write(tmp_path, GOOD), stdout=io.StringIO())


def test_several_campaigns_in_a_year_must_be_named_by_slug(tmp_path, concern_list):
    call_command('import-returns', 'police-2022', write(tmp_path, GOOD), stdout=io.StringIO())
    call_command('import-returns', 'trial-2022', write(tmp_path, GOOD), stdout=io.StringIO())
    with pytest.raises(CommandError, match=r'2 campaigns are from 2022 \(police-2022, trial-2022\)'):
        export('2022')
    assert Campaign.objects.lookup('police-2022').slug == 'police-2022'
