"""The schema and Swagger UI: sign-in needed, assets served from this site, nothing the CSP would block."""

import re

import yaml
from django.contrib.staticfiles import finders


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


def test_the_docs_page_loads_only_local_assets_and_no_inline_code(world, client):
    client.force_login(world.a.viewer)
    page = client.get('/api/docs/')
    html = page.content.decode()
    assert page.status_code == 200
    assert 'http://' not in html and 'https://' not in html
    assert '<style' not in html and 'style=' not in html
    scripts = re.findall(r'<script([^>]*)>(.*?)</script>', html, re.S)
    assert scripts and all('src=' in attrs and not body.strip() for attrs, body in scripts)
    for url in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        assert finders.find(url.removeprefix('/static/')), url
    init = client.get('/api/docs/', {'script': ''})
    assert init['Content-Type'].startswith('application/javascript')
    assert 'SwaggerUIBundle' in init.content.decode()
