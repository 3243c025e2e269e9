"""gunicorn's access log as JSON lines, each with the request id (core/logs.py).

Apart from logs.py because gunicorn is imported only by the web node that uses it: every command loads
logs.py through the LOGGING setting, and a person waits for its start-up.
"""

import socket

from gunicorn.glogging import Logger as GunicornLogger

from .logs import HEADER, JsonFormatter


class AccessLogger(GunicornLogger):
    """gunicorn's access log as JSON lines (gunicorn.conf.py names it `logger_class`)."""

    def setup(self, cfg):
        super().setup(cfg)
        formatter = JsonFormatter()
        for handler in self.access_log.handlers + self.error_log.handlers:
            handler.setFormatter(formatter)

    def access(self, resp, req, environ, request_time):
        if not (self.cfg.accesslog or self.cfg.logconfig or self.cfg.logconfig_dict or self.cfg.syslog):
            return
        response_headers = {name.lower(): value for name, value in resp.headers}
        self.access_log.info(
            'request',
            extra={
                'request_id': response_headers.get(HEADER.lower(), ''),
                'method': environ.get('REQUEST_METHOD'),
                'path': environ.get('PATH_INFO'),
                'status': int(str(resp.status).split()[0]),
                'bytes': getattr(resp, 'sent', None),
                'duration_ms': round(request_time.total_seconds() * 1000, 1),
                'remote_addr': environ.get('REMOTE_ADDR'),
                'forwarded_for': environ.get('HTTP_X_FORWARDED_FOR', ''),
                'user_agent': environ.get('HTTP_USER_AGENT', ''),
                'node': socket.gethostname(),
            },
        )
