"""Corrections of accepted returns, each keeping the old value, the reason and the source beside it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oversight.core.audit import save_audited
from oversight.core.permissions import check, sees_everything

from .. import answers as checks
from ..corrections import apply_value, correctable_fields, corrected_value
from ..models import Correction, Return
from .common import REGULATOR_ONLY, Status
from .returns import locked_return


@transaction.atomic
def record_correction(
    actor,
    survey_return: Return,
    *,
    field: str,
    new_value,
    reason: str,
    source: str,
    date: datetime.date,
    publish_as_update: bool = False,
    now=None,
) -> Correction:
    """Change an accepted return, keeping the old value, the reason and the source beside it."""
    check(actor, sees_everything, message=REGULATOR_ONLY)
    survey_return = locked_return(survey_return, None)
    if survey_return.invitation.status != Status.ACCEPTED:
        raise ValidationError(_('Only an accepted return is corrected; until then the body changes it itself.'))
    errors = {}
    if not reason.strip():
        errors['reason'] = 'Say why the value was wrong.'
    if not source.strip():
        errors['source'] = 'Say who or what established the correct value.'
    if errors:
        raise ValidationError(errors)
    schema = checks.Schema(survey_return.campaign.questionnaire)
    old, new = corrected_value(schema, survey_return.answers, field, new_value)
    if old == new:
        raise ValidationError({'new_value': _('That is the value the return already has.')})
    label = dict(correctable_fields(survey_return, schema))[field]
    survey_return.answers = apply_value(survey_return.answers, field, new)
    save_audited(actor, survey_return, f'Corrected: {label}'[:300])
    correction = Correction(
        survey_return=survey_return,
        field=field,
        field_label=label[:300],
        old_value=old,
        new_value=new,
        reason=reason.strip(),
        source=source.strip(),
        date=date,
        publish_as_update=publish_as_update,
        recorded_by=actor,
        recorded_at=now or timezone.now(),
    )
    return save_audited(actor, correction, 'Correction recorded')
