"""The schema and the API reference page: sign-in needed, every operation described, nothing the CSP would block."""

import re

import yaml


def test_the_schema_and_docs_need_sign_in(world, client):
    assert client.get('/api/schema/').status_code in (401, 403)
    docs = client.get('/api/docs/')
    assert docs.status_code == 302 and docs['Location'].startswith('/accounts/login/')


def test_the_schema_describes_every_endpoint(world, client):
    client.force_login(world.a.viewer)
    schema = yaml.safe_load(client.get('/api/schema/').content)
    assert schema['openapi'].startswith('3.')
    paths = set(schema['paths'])
    assert {'/api/register/sites/', '/api/invitations/{id}/submit/', '/api/identify/', '/api/discovery/scans/'} <= paths
    schemes = schema['components']['securitySchemes']
    assert {'tokenAuth', 'cookieAuth', 'scanToken'} <= set(schemes)
    assert 'read-only token only reads' in schemes['tokenAuth']['description']


def test_the_reference_page_describes_every_operation_of_the_schema(world, client):
    client.force_login(world.a.viewer)
    schema = yaml.safe_load(client.get('/api/schema/').content)
    page = client.get('/api/docs/')
    html = page.content.decode()
    assert page.status_code == 200
    operations = [(method.upper(), path) for path, methods in schema['paths'].items() for method in methods]
    shown = re.findall(
        r'<strong class="govuk-tag govuk-tag--grey">(\w+)</strong> <code class="app-operation__path">([^<]+)</code>',
        html,
    )
    assert sorted(shown) == sorted(operations)
    # Its own page: no inline script or style beyond the page's own start-up script.
    assert 'style=' not in html and '<style' not in html


def test_the_api_answers_json_not_browsable_pages(world, client):
    client.force_login(world.a.viewer)
    answer = client.get('/api/register/sites/', HTTP_ACCEPT='text/html,application/xhtml+xml,*/*;q=0.8')
    assert answer.status_code == 200 and answer['Content-Type'] == 'application/json'
