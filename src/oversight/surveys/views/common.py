"""What the survey pages share: answers as people read them."""

from django.utils.translation import gettext

from ..models import Invitation, Question

Status = Invitation.Status


def present(question: Question, value) -> str:
    """An answer as a person reads it: choice labels, not codes."""
    if value in (None, '', []):
        return gettext('Not answered')
    labels = dict(question.choice_pairs())
    if isinstance(value, list):
        return ', '.join(labels.get(v, str(v)) for v in value)
    return labels.get(value, str(value))
