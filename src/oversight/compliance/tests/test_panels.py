import pathlib

from django.apps import apps
from django.test import RequestFactory

from oversight.core import panels


def test_the_register_does_not_import_the_apps_whose_panels_it_shows():
    register = pathlib.Path(apps.get_app_config('register').path)
    for source in register.rglob('*.py'):
        text = source.read_text(encoding='utf-8')
        assert 'compliance' not in text and 'oversight.policy' not in text, source
    for template in register.rglob('*.html'):
        text = template.read_text(encoding='utf-8')
        assert 'compliance' not in text and "'policy:" not in text, template


def test_panels_are_gathered_from_app_configs_as_templates_or_functions(monkeypatch, editor_a, system_a, settings):
    config = apps.get_app_config('register')
    # A template panel declared by another app, beside the function panel compliance declares.
    monkeypatch.setattr(config, 'panels', {'register.System': ['core/history.html']}, raising=False)
    panels.registry.cache_clear()
    try:
        found = panels.registry()['register.System']
        assert 'core/history.html' in found
        assert any(getattr(p, '__name__', '') == 'system_panel' for p in found)
        request = RequestFactory().get('/')
        request.user = editor_a
        html = panels.render_panels(request, system_a)
        assert 'id="governance"' in html and 'No recorded changes.' in html
        assert panels.render_panels(request, editor_a) == ''  # no panels for a user's page
    finally:
        panels.registry.cache_clear()
