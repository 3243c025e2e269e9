from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oversight.organisations.models import Organisation

IMPORT = reverse('organisations:organisation_import')
PREVIEW = reverse('organisations:organisation_import_preview')


def upload(client, text, name='orgs.csv'):
    return client.post(IMPORT, {'file': SimpleUploadedFile(name, text.encode())})


def test_upload_preview_then_commit(client_for, regulator):
    client = client_for(regulator)
    response = upload(client, 'name,kind,country,group\nMedway Council,local_authority,England,Kent partners\n')
    assert response.url == PREVIEW
    assert not Organisation.objects.filter(name='Medway Council').exists()
    preview = client.get(PREVIEW).content.decode()
    assert '1 new organisation' in preview and 'Kent partners' in preview
    done = client.post(PREVIEW, follow=True).content.decode()
    assert 'Imported orgs.csv: 1 organisations added, 1 groups created' in done
    council = Organisation.objects.get(name='Medway Council')
    assert council.source.startswith('Imported from orgs.csv by regulator on ')
    # The pending import is gone: confirming again does nothing.
    assert client.post(PREVIEW).url == IMPORT


def test_a_file_with_mistakes_lists_every_problem_and_writes_nothing(client_for, regulator):
    count = Organisation.objects.count()
    response = upload(client_for(regulator), 'name,kind\nMedway Council,council\n,other\n')
    page = response.content.decode()
    assert response.status_code == 200
    assert 'orgs.csv has 2 problems; nothing was imported' in page
    assert '&quot;council&quot; is not a kind of organisation' in page
    assert Organisation.objects.count() == count


def test_a_file_that_is_not_a_spreadsheet_is_refused(client_for, regulator):
    page = upload(client_for(regulator), 'not a workbook', name='orgs.xlsx').content.decode()
    assert 'not an Excel workbook' in page


def test_the_database_is_checked_again_at_commit(client_for, regulator):
    client = client_for(regulator)
    upload(client, 'name,kind\nMedway Council,local_authority\n')
    Organisation.objects.create(name='Medway Council', slug='medway-council', kind='other')
    page = client.post(PREVIEW).content.decode()
    assert 'an import does not change it' in page
    assert Organisation.objects.get(name='Medway Council').kind == 'other'
