"""What the survey pages share: who may do what, and answers as people read them."""

from django.utils.translation import gettext

from oversight.core.querysets import sees_everything

from ..models import Invitation, Question

Status = Invitation.Status


def is_regulator(user) -> bool:
    return sees_everything(user)


def can_edit_return(user, invitation: Invitation) -> bool:
    return user.is_authenticated and user.can_edit_for(invitation.organisation_id)


def present(question: Question, value) -> str:
    """An answer as a person reads it: choice labels, not codes."""
    if value in (None, '', []):
        return gettext('Not answered')
    labels = dict(question.choice_pairs())
    if isinstance(value, list):
        return ', '.join(labels.get(v, str(v)) for v in value)
    return labels.get(value, str(value))
