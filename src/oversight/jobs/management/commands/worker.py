"""`oversight worker`: run background tasks (register imports, returns imports, scans, emails, PDFs).

This is the database backend's own worker (django-tasks-db's `db_worker`) under the project's name,
with its options: run as many as wanted, on any machines that reach the database. A site that moved
to another backend of Django's tasks API runs that backend's worker instead, and this command says so
(docs/tasks.md).
"""

from django_tasks_db.management.commands import db_worker


class Command(db_worker.Command):
    help = 'Run a background worker: it takes queued tasks from the database and runs them, one at a time.'
