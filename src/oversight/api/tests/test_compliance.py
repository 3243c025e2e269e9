"""Compliance over the API: governance records, self-assessments, evidence uploads and publishing."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from oversight.compliance.models import Assessment, Evidence, Governance, Principle, Transparency
from oversight.core.models import ObjectChange

GOVERNANCE = '/api/compliance/governance/'
ASSESSMENTS = '/api/compliance/assessments/'
EVIDENCE = '/api/compliance/evidence/'
TRANSPARENCY = '/api/compliance/transparency/'
PUBLISH, UNPUBLISH = '/api/compliance/transparency/publish/', '/api/compliance/transparency/unpublish/'


def test_governance_records_are_listed_in_scope_with_their_status(world, api):
    rows = api(world.a.viewer).get(GOVERNANCE).json()['results']
    assert [row['system'] for row in rows] == [world.a.systems[0].pk]
    assert rows[0]['dpia_status'] == 'in_date' and rows[0]['certification_status'] == 'valid'
    assert rows[0]['organisation'] == world.a.organisation.slug
    record_b = Governance.objects.get(system=world.b.systems[0])
    assert api(world.a.viewer).get(f'{GOVERNANCE}{record_b.pk}/').status_code == 404


def test_an_editor_records_and_changes_governance_through_the_api_and_bad_input_names_the_field(world, api):
    client = api(world.a.editor)
    anpr = world.a.systems[1]
    created = client.post(GOVERNANCE, {'system': anpr.pk, 'purpose': 'Road crime', 'retention_days': 31}, format='json')
    assert created.status_code == 201, created.content
    record = Governance.objects.get(system=anpr)
    assert record.purpose == 'Road crime' and created.json()['dpia_status'] == 'missing'
    again = client.post(GOVERNANCE, {'system': anpr.pk}, format='json')
    assert again.status_code == 400 and 'system' in again.json()

    url = f'{GOVERNANCE}{record.pk}/'
    bad = client.patch(url, {'version': record.version, 'dpia_review_due': '2026-01-01'}, format='json')
    assert bad.status_code == 400 and 'dpia_completed_on' in bad.json()
    assert client.patch(url, {'retention_days': 7}, format='json').json() == {
        'version': ['Send the version you read: it is required for an edit.']
    }
    changed = client.patch(url, {'version': record.version, 'retention_days': 7}, format='json')
    assert changed.status_code == 200 and changed.json()['retention_days'] == 7
    stale = client.patch(url, {'version': record.version, 'retention_days': 9}, format='json')
    assert stale.status_code == 409
    replaced = client.put(url, {'system': anpr.pk, 'version': record.version + 1, 'purpose': 'Road safety'},
                          format='json')  # fmt: skip
    assert replaced.status_code == 200, replaced.content
    record.refresh_from_db()
    assert (record.retention_days, record.purpose) == (7, 'Road safety')
    assert ObjectChange.objects.for_object(record).filter(user=world.a.editor).count() == 3
    # The regulator and viewers read but do not write; another body's system is not theirs to record.
    assert api(world.regulator).patch(url, {'version': record.version}, format='json').status_code == 403
    assert api(world.a.viewer).patch(url, {'version': record.version}, format='json').status_code == 403
    other = api(world.b.editor).post(GOVERNANCE, {'system': world.a.systems[1].pk}, format='json')
    assert other.status_code == 400 and 'system' in other.json()


def test_an_editor_answers_plans_freezes_and_publishes_an_assessment_through_the_api(world, api):
    client = api(world.a.editor)
    assessment = world.a.assessment
    url = f'{ASSESSMENTS}{assessment.pk}/'
    for number in (1, 2, *range(4, 13)):
        answered = client.post(f'{url}answer/', {'principle': number, 'response': 'met'}, format='json')
        assert answered.status_code == 200, answered.content
    # The world answered principle 3: a change states the version read, and a stale one is refused.
    changed = client.post(f'{url}answer/', {'principle': 3, 'response': 'met', 'version': 1}, format='json')
    assert changed.status_code == 200
    stale = client.post(f'{url}answer/', {'principle': 3, 'response': 'not_met', 'version': 1}, format='json')
    assert stale.status_code == 409
    bad = client.post(f'{url}answer/', {'principle': 13, 'response': 'perhaps'}, format='json')
    assert bad.status_code == 400 and {'principle', 'response'} <= set(bad.json())
    planned = client.post(f'{url}plan/', {'principle': 3, 'action': 'Publish a contact point', 'owner': 'Info unit'},
                          format='json')  # fmt: skip
    assert planned.status_code == 201 and planned.json()['plan'][0]['action'] == 'Publish a contact point'
    assert client.post(f'{url}publish/', {'version': assessment.version}, format='json').status_code == 400

    anpr = world.a.systems[1]
    other = client.post(f'{url}cover/', {'also_covers': [world.b.systems[0].pk], 'version': 1}, format='json')
    assert other.status_code == 400 and 'also_covers' in other.json()
    covered = client.post(f'{url}cover/', {'also_covers': [anpr.pk], 'version': assessment.version}, format='json')
    assert covered.status_code == 200 and covered.json()['also_covers'] == [anpr.pk]
    assessment.refresh_from_db()
    frozen = client.post(f'{url}freeze/', {'version': assessment.version}, format='json')
    assert frozen.status_code == 200 and frozen.json()['frozen_on']
    refused = client.post(f'{url}answer/', {'principle': 1, 'response': 'not_met', 'version': 2}, format='json')
    assert refused.status_code == 409 and 'frozen' in refused.json()['detail']
    assert client.post(f'{url}plan/', {'principle': 1, 'action': 'x', 'owner': 'y'}, format='json').status_code == 409
    assessment.refresh_from_db()
    assert assessment.answers.get(principle__number=1).response == 'met'

    published = client.post(f'{url}publish/', {'version': assessment.version}, format='json')
    assert published.status_code == 200 and published.json()['published_on']
    assessment.refresh_from_db()
    withdrawn = client.post(f'{url}unpublish/', {'version': assessment.version}, format='json')
    assert withdrawn.status_code == 200 and withdrawn.json()['published_on'] is None

    second = client.post(ASSESSMENTS, {'system': world.a.systems[0].pk}, format='json')
    assert second.status_code == 201 and second.json()['number'] == 2
    assert {a['principle'] for a in second.json()['answers']} == set(range(1, 13))  # copied from version 1
    assert client.post(ASSESSMENTS, {'system': world.a.systems[0].pk}, format='json').status_code == 400


def test_another_body_gets_404_and_viewers_403_on_assessments(world, api):
    url = f'{ASSESSMENTS}{world.a.assessment.pk}/'
    assert api(world.b.editor).get(url).status_code == 404
    assert (
        api(world.b.editor).post(f'{url}answer/', {'principle': 1, 'response': 'met'}, format='json').status_code == 404
    )
    assert (
        api(world.a.viewer).post(f'{url}answer/', {'principle': 1, 'response': 'met'}, format='json').status_code == 403
    )
    assert not world.a.assessment.answers.filter(principle__number=1).exists()


def _docx(main: str = 'wordprocessingml.document.main+xml') -> bytes:
    """The same bytes on every call: a part named by a string would carry the time of the call, and a download
    compared with a second call's bytes failed when the two straddled a two-second step of the zip's clock."""

    def part(name: str) -> zipfile.ZipInfo:
        return zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w') as archive:
        archive.writestr(
            part('[Content_Types].xml'),
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override '
            f'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.{main}"/>'
            '</Types>',
        )
        archive.writestr(part('word/document.xml'), '<w:document/>')
    return buffer.getvalue()


def test_an_editor_uploads_downloads_and_deletes_evidence_through_the_api(world, api):
    client = api(world.a.editor)
    system = world.a.systems[1]
    upload = SimpleUploadedFile('policy.docx', _docx())
    created = client.post(EVIDENCE, {'system': system.pk, 'title': 'Retention policy', 'principle': 6, 'file': upload},
                          format='multipart')  # fmt: skip
    assert created.status_code == 201, created.content
    body = created.json()
    assert body['content_type'].endswith('wordprocessingml.document') and body['principle'] == 6
    evidence = Evidence.objects.get(pk=body['id'])
    download = api(world.a.viewer).get(body['download'])
    assert download.status_code == 200 and b''.join(download.streaming_content) == _docx()
    assert download['Content-Disposition'].startswith('attachment') and download['X-Content-Type-Options'] == 'nosniff'
    assert api(world.b.editor).get(body['download']).status_code == 404
    assert api(world.a.viewer).delete(f'{EVIDENCE}{evidence.pk}/').status_code == 403
    assert client.delete(f'{EVIDENCE}{evidence.pk}/').status_code == 204
    assert not Evidence.objects.filter(pk=evidence.pk).exists()


def test_an_evidence_file_that_is_not_what_it_says_or_too_large_is_refused_on_its_field(world, api):
    client = api(world.a.editor)
    system = world.a.systems[1]
    before = Evidence.objects.count()

    def post(name, content):
        upload = SimpleUploadedFile(name, content)
        return client.post(EVIDENCE, {'system': system.pk, 'title': 'T', 'file': upload}, format='multipart')

    for name, content in (
        ('report.pdf', b'<html><script>alert(1)</script></html>'),
        ('policy.docx', _docx('spreadsheetml.sheet.main+xml')),
        ('archive.zip', _docx()),
        ('image.pdf', b'\x89PNG\r\n\x1a\n' + b'0' * 20),
    ):
        refused = post(name, content)
        assert refused.status_code == 400 and list(refused.json()) == ['file'], (name, refused.content)
    with override_settings(OVERSIGHT_MAX_EVIDENCE_BYTES=100):
        refused = post('big.pdf', b'%PDF-' + b'0' * 200)
        assert refused.status_code == 400 and 'limit is 100 bytes' in refused.json()['file'][0]
    missing = client.post(EVIDENCE, {'system': system.pk, 'title': 'T'}, format='multipart')
    assert missing.status_code == 400 and 'file' in missing.json()
    assert Evidence.objects.count() == before


def test_a_body_publishes_and_withdraws_its_transparency_page_through_the_api(world, api):
    client = api(world.a.editor)
    listed = client.get(TRANSPARENCY).json()['results']
    assert [row['organisation'] for row in listed] == [world.a.organisation.slug] and not listed[0]['published']
    page = Transparency.objects.get(organisation=world.a.organisation)
    published = client.post(PUBLISH, {'version': page.version}, format='json')
    assert published.status_code == 200 and published.json()['public_url'].endswith('/transparency/kent-police/')
    assert client.post(PUBLISH, {}, format='json').status_code == 400  # already published
    assert api(world.regulator).post(UNPUBLISH, {}, format='json').status_code == 403
    assert api(world.a.viewer).post(UNPUBLISH, {}, format='json').status_code == 403
    page.refresh_from_db()
    withdrawn = client.post(UNPUBLISH, {'version': page.version}, format='json')
    assert withdrawn.status_code == 200 and withdrawn.json()['published'] is False
    assert len(api(world.regulator).get(TRANSPARENCY).json()['results']) == 2
    assert Assessment.objects.filter(published_on__isnull=False).count() == 0
    assert Principle.objects.count() == 12
