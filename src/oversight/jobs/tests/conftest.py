import pytest

from oversight.register import actions as register_actions
from oversight.register.models import ImportBatch
from oversight.testing.smtp import SmtpSink, _Handler

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


class _Refusing(_Handler):
    def reply(self, text: str) -> None:
        sink = self.server.sink
        if text == '250 queued' and len(sink.messages) > sink.accept:
            # One connection at a time in these tests: the message just read is the last one's.
            sink.connections[-1].messages.pop()
            text = '451 4.7.1 Too many messages, try again later'
        super().reply(text)


class RefusingSink(SmtpSink):
    """A mail server that takes `accept` messages, then answers every further one 451, as one limiting a sender."""

    def __init__(self, accept: int):
        super().__init__()
        self.accept = accept
        self.server.RequestHandlerClass = _Refusing
