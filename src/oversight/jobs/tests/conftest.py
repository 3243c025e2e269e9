import pytest

from oversight.register import actions as register_actions
from oversight.register.models import ImportBatch

HEADER = 'name,address,postcode,kind,sensitive\n'


def sites_csv(*rows: str) -> bytes:
    return (HEADER + ''.join(f'{row}\n' for row in rows)).encode()


@pytest.fixture
def upload(editor_a, body_a):
    """A sites file uploaded by A's editor, awaiting review."""

    def make(content: bytes, filename: str = 'sites.csv') -> ImportBatch:
        return register_actions.upload_import(editor_a, body_a, ImportBatch.Kind.SITES, filename, content)

    return make


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what commits queue (the test settings' immediate backend runs each task at once)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
