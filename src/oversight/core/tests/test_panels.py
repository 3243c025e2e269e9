import pathlib

from django.apps import apps
from django.urls import reverse


def test_the_overview_does_not_import_the_register():
    core = pathlib.Path(apps.get_app_config('core').path)
    # The clean-up command still reaches into the register's import files; the pages do not.
    for source in [core / 'views.py', core / 'panels.py', *core.glob('templatetags/*.py')]:
        assert 'oversight.register' not in source.read_text(encoding='utf-8'), source
    assert 'register' not in (core / 'templates' / 'core' / 'home.html').read_text(encoding='utf-8')


def test_the_overview_shows_the_registers_counts_through_its_panel(client_for, editor_a):
    from oversight.register import actions

    site = actions.create_site(None, editor_a.organisation, name='Maidstone HQ')
    system = actions.create_system(None, editor_a.organisation, name='Custody CCTV', category='internal_cctv')
    actions.create_line(None, editor_a.organisation, site=site, system=system, manufacturer_declared='Axis', quantity=7)
    home = client_for(editor_a).get(reverse('core:home')).content.decode()
    assert 'data-testid="site-count">1<' in home and 'data-testid="device-count">7<' in home
