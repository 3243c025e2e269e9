import pytest
from django.db import connection


@pytest.mark.postgres
def test_the_postgres_run_uses_a_throwaway_postgresql_server(db):
    assert connection.vendor == 'postgresql'
    # The server listens on a unix socket in its own temporary directory, never on a network port.
    assert '/oversight-pg-' in connection.get_connection_params()['host']
    with connection.cursor() as cursor:
        cursor.execute('SHOW server_version_num')
        assert int(cursor.fetchone()[0]) >= 140000
