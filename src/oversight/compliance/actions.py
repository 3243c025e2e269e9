"""Every write to a system's governance record.

As in register/actions.py: each action runs in one transaction with its audit row (core.audit), `actor`
is the signed-in user, who must be an editor of the system's body (or None for the system itself), and an
edit takes the `expected_version` the editor started from, so a stale one is refused.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from oversight.core.audit import save_audited

from .models import Governance

FIELDS = (
    'purpose',
    'lawful_basis',
    'sro_name',
    'spoc_name',
    'spoc_contact',
    'retention_days',
    'dpia_completed_on',
    'dpia_review_due',
    'dpia_trigger',
    'certification_scheme',
    'certification_body',
    'certification_step',
    'certified_on',
    'certification_expires',
    'facial_recognition',
)


@transaction.atomic
def record_governance(actor, system, expected_version: int | None = None, *, message: str = '', **fields) -> Governance:
    """Create the system's governance record, or change it: one record per system, whichever comes first."""
    if actor is not None and not actor.can_edit_for(system.organisation_id):
        raise PermissionDenied
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f'not governance fields: {", ".join(sorted(unknown))}')
    # Locked, so two first saves of the same system cannot both create a record.
    record = Governance.objects.select_for_update().filter(system=system).first() or Governance(system=system)
    for name, value in fields.items():
        setattr(record, name, value)
    return save_audited(actor, record, message, expected_version=expected_version if record.pk else None)
