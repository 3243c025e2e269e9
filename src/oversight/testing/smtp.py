"""A mail server for tests: it accepts every message and records each connection and what came over it.

Django's SMTP backend talks to it as to a real server (no TLS, no login), so a test can count the
connections a batch of emails opened, which the in-memory backend cannot show.
"""

import socketserver
import threading
from dataclasses import dataclass, field


@dataclass
class Connection:
    messages: list[bytes] = field(default_factory=list)


class _Handler(socketserver.StreamRequestHandler):
    def reply(self, text: str) -> None:
        self.wfile.write(f'{text}\r\n'.encode())

    def handle(self):
        connection = Connection()
        self.server.sink.connections.append(connection)
        self.reply('220 sink ready')
        while line := self.rfile.readline():
            verb = line.decode('ascii', 'replace').strip().split(' ', 1)[0].upper()
            if verb == 'EHLO':
                self.reply('250 sink')
            elif verb == 'DATA':
                self.reply('354 end with a dot')
                lines = []
                while (data := self.rfile.readline()) not in (b'.\r\n', b''):
                    lines.append(data)
                connection.messages.append(b''.join(lines))
                self.reply('250 queued')
            elif verb == 'QUIT':
                self.reply('221 bye')
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP: all accepted
                self.reply('250 ok')


class SmtpSink:
    def __init__(self):
        self.connections: list[Connection] = []
        self.server = socketserver.ThreadingTCPServer(('127.0.0.1', 0), _Handler)
        self.server.daemon_threads = True
        self.server.sink = self
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def messages(self) -> list[bytes]:
        return [message for connection in self.connections for message in connection.messages]
