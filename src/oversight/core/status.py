"""Statuses as GOV.UK tags, one colour per status wherever it is shown (core/status_tag.html).

Keyed by the status's stored value; models that share a value share its meaning, so they share its colour.
The colours follow the Design System's use of them: green done, red failed or at risk, yellow waiting on
someone, blue under way, grey not begun or no longer in use.
"""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

COLOURS = {
    # Campaigns and invitations (surveys); a report not yet published is a draft too.
    'draft': 'yellow',
    'open': 'turquoise',
    'closed': 'grey',
    'not_started': 'grey',
    'submitted': 'blue',
    'returned': 'orange',
    'accepted': 'green',
    'published': 'green',
    # Background tasks (jobs); 'stopped' is a task whose worker died (Job.shown_state).
    'queued': 'grey',
    'running': 'blue',
    'done': 'green',
    'failed': 'red',
    'stopped': 'red',
    # Register imports.
    'pending': 'yellow',
    'committed': 'green',
    'discarded': 'grey',
    # Tokens (scan tokens, API tokens).
    'active': 'green',
    'revoked': 'grey',
    # An expired token no longer works; an expired risk acceptance (policy) is an open obligation again.
    'expired': 'red',
    # People's accounts: 'active' as tokens above; invited until the invitation is taken up.
    'invited': 'yellow',
    'deactivated': 'grey',
    # Known exploited vulnerabilities against a line (policy).
    'affected': 'red',
    'possibly_affected': 'yellow',
    'not_affected': 'green',
    # Review tasks (compliance): open, past their due date, or done.
    'overdue': 'red',
    # Decisions on policy obligations ('expired' above): replacement under way.
    'not_applicable': 'grey',
    'replace': 'yellow',
    'planned': 'blue',
    'ordered': 'blue',
    'replaced': 'green',
}


def tag_colour(status: str) -> str:
    return COLOURS.get(str(status), 'grey')


def status_tag(status: str, label: str, testid: str = 'status') -> str:
    """The tag for `status`, reading `label` (the status as people read it, e.g. get_status_display())."""
    context = {'colour': tag_colour(status), 'label': label, 'testid': testid}
    return mark_safe(render_to_string('core/status_tag.html', context).strip())  # the template escaped it
