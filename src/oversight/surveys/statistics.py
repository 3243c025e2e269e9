"""A campaign's response figures, counted from its invitations and returns, never typed in.

Responded means a return was submitted (its status is submitted, returned with a query, or
accepted); late means first submitted after the campaign's deadline. The rate's denominator is
every body invited, so 39 returns from 47 bodies is 83.0%.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext

from .models import Campaign, Invitation, Reminder, Return


@dataclass(frozen=True)
class ResponseStatistics:
    campaign: Campaign
    invited: int
    responded: int
    on_time: int
    late: int
    accepted: int
    by_status: dict[str, int]
    non_respondents: list[str] = field(default_factory=list)
    reminders_sent: int = 0

    @property
    def outstanding(self) -> int:
        return self.invited - self.responded

    @property
    def response_rate(self) -> float:
        """A fraction (39 of 47 is 0.8298...); 0 when nobody was invited."""
        return self.responded / self.invited if self.invited else 0.0

    @property
    def response_rate_percent(self) -> str:
        """The rate to one decimal place, rounded half up on the exact fraction: "83.0%"."""
        if not self.invited:
            return '–'
        percent = (Decimal(self.responded) * 100 / Decimal(self.invited)).quantize(Decimal('0.1'), ROUND_HALF_UP)
        return f'{percent}%'

    @property
    def response_rate_text(self) -> str:
        values = {'responded': self.responded, 'invited': self.invited, 'rate': self.response_rate_percent}
        return gettext('%(responded)s of %(invited)s (%(rate)s)') % values


def response_statistics(campaign: Campaign) -> ResponseStatistics:
    """Five queries whatever the number of bodies."""
    invitations = campaign.invitations.all()
    by_status = dict(invitations.values_list('status').annotate(n=Count('pk')).values_list('status', 'n'))
    returns = Return.objects.filter(campaign=campaign).responded()
    counts = returns.aggregate(responded=Count('pk'), accepted=Count('pk', filter=Q(accepted_at__isnull=False)))
    counts['late'] = returns.late().count() if campaign.deadline else 0
    non_respondents = sorted(
        invitations.exclude(organisation__in=returns.values('organisation')).values_list(
            'organisation__name', flat=True
        )
    )
    return ResponseStatistics(
        campaign=campaign,
        invited=sum(by_status.values()),
        responded=counts['responded'],
        on_time=counts['responded'] - counts['late'],
        late=counts['late'],
        accepted=counts['accepted'],
        by_status={status: by_status.get(status, 0) for status in Invitation.Status.values},
        non_respondents=non_respondents,
        reminders_sent=Reminder.objects.filter(invitation__campaign=campaign).count(),
    )
