"""The language cookie in production: sent only over HTTPS, unreadable by scripts, bound to the host (docs/welsh.md)."""

import json

from test_hardening import production_env, run_oversight


def test_the_production_language_cookie_is_secure(tmp_path):
    names = ['LANGUAGE_COOKIE_NAME', 'LANGUAGE_COOKIE_SECURE', 'LANGUAGE_COOKIE_HTTPONLY', 'LANGUAGE_COOKIE_AGE']
    shown = f'{{n: getattr(settings, n) for n in {names}}}'
    code = f'import json; from django.conf import settings; print(json.dumps({shown}))'
    values = json.loads(run_oversight(production_env(tmp_path), 'shell', '-c', code).stdout.splitlines()[-1])
    assert values['LANGUAGE_COOKIE_NAME'].startswith('__Host-')
    assert values['LANGUAGE_COOKIE_SECURE'] and values['LANGUAGE_COOKIE_HTTPONLY']
    assert values['LANGUAGE_COOKIE_AGE'] is None  # gone when the browser closes, as the cookies page says
