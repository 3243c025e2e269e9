"""A bad throttle, cache or retention setting stops start-up with a message naming it."""

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ('name', 'value'),
    [
        ('OVERSIGHT_CACHE_URL', 'memcached://cache:11211'),
        ('OVERSIGHT_THROTTLE_TOKEN_FAILURES', '20 an hour'),
        ('OVERSIGHT_THROTTLE_SCAN_UPLOADS', '0/hour'),
        ('OVERSIGHT_RETAIN_SCANS_DAYS', 'a year'),
        ('OVERSIGHT_RETAIN_LOGIN_LOG_DAYS', '0'),
    ],
)
def test_a_bad_setting_stops_start_up_naming_it(name, value):
    env = {**os.environ, 'DJANGO_SETTINGS_MODULE': 'oversight.settings.test', name: value}
    started = subprocess.run(
        [sys.executable, '-c', 'import django; django.setup()'], env=env, capture_output=True, text=True, timeout=60
    )
    assert started.returncode != 0
    assert f'ImproperlyConfigured: {name} must be' in started.stderr


def test_redis_is_chosen_by_its_address():
    from oversight.settings.base import _cache

    assert _cache('redis://cache:6379/0') == {
        'BACKEND': 'django.core.cache.backends.redis.RedisCache',
        'LOCATION': 'redis://cache:6379/0',
    }
    assert _cache('')['BACKEND'] == 'django.core.cache.backends.db.DatabaseCache'
