"""Every write to a system's governance record and its evidence.

As in register/actions.py: each action runs in one transaction with its audit row (core.audit), `actor`
is the signed-in user, who must be an editor of the system's body (or None for the system itself), and an
edit takes the `expected_version` the editor started from, so a stale one is refused.
"""

import hashlib

from django.core.exceptions import PermissionDenied
from django.db import transaction

from oversight.core.audit import delete_audited, save_audited

from .evidence import check_evidence
from .models import RECORDED_FIELDS, Evidence, Governance


def _require_editor(actor, system) -> None:
    if actor is not None and not actor.can_edit_for(system.organisation_id):
        raise PermissionDenied


@transaction.atomic
def record_governance(actor, system, expected_version: int | None = None, *, message: str = '', **fields) -> Governance:
    """Create the system's governance record, or change it: one record per system, whichever comes first."""
    _require_editor(actor, system)
    unknown = set(fields) - set(RECORDED_FIELDS)
    if unknown:
        raise TypeError(f'not governance fields: {", ".join(sorted(unknown))}')
    # Locked, so two first saves of the same system cannot both create a record.
    record = Governance.objects.select_for_update().filter(system=system).first() or Governance(system=system)
    for name, value in fields.items():
        setattr(record, name, value)
    return save_audited(actor, record, message, expected_version=expected_version if record.pk else None)


@transaction.atomic
def add_evidence(actor, system, upload, *, title: str, principle=None, message: str = '') -> Evidence:
    """Keep an uploaded file as evidence for the system, once its content shows it is an accepted kind."""
    _require_editor(actor, system)
    kind = check_evidence(upload)
    evidence = Evidence(
        system=system,
        principle=principle,
        title=title,
        filename=upload.name.replace('\\', '/').rpartition('/')[2][:200],
        content_type=kind.content_type,
        size=upload.size,
        uploaded_by=actor if getattr(actor, 'pk', None) else None,
    )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    evidence.file.save(evidence.filename, upload, save=False)
    # A file stored for a row that is then refused would be orphaned: it goes with the refusal.
    try:
        return save_audited(actor, evidence, message or f'Uploaded {evidence.filename} (sha256 {digest.hexdigest()})')
    except Exception:
        evidence.file.delete(save=False)
        raise


@transaction.atomic
def delete_evidence(actor, evidence: Evidence) -> None:
    """Remove the evidence and, once that is committed, its file."""
    _require_editor(actor, evidence.system)
    stored = evidence.file.name
    storage = evidence.file.storage
    delete_audited(actor, evidence)
    transaction.on_commit(lambda: storage.delete(stored))
