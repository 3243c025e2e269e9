import datetime

from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from oversight.core.querysets import OrganisationScopedQuerySet

# A certificate expiring within this many days is flagged, so renewal can start in time.
EXPIRY_WARNING_DAYS = 90


class GovernanceQuerySet(OrganisationScopedQuerySet):
    # A governance record belongs to the body that owns its system.
    organisation_lookup = 'system__organisation'

    def with_status(self):
        """Each record's DPIA and certification status (see the functions below), as `dpia` and `certification`."""
        return self.annotate(dpia=dpia_status(), certification=certification_status())


class TransparencyQuerySet(OrganisationScopedQuerySet):
    def published(self):
        return self.filter(published_on__isnull=False)


def dpia_status(prefix: str = '', on: datetime.date | None = None) -> Case:
    """'missing' (no DPIA), 'due' (review date reached or never set) or 'in_date', as a database expression.

    `prefix` is the path from the queried model to the governance record ('governance__' from a system);
    `on` is the day the status is taken on (today unless given).
    """
    today = on or timezone.localdate()
    done, due = f'{prefix}dpia_completed_on', f'{prefix}dpia_review_due'
    return Case(
        When(Q(**{f'{done}__isnull': True}), then=Value('missing')),
        When(Q(**{f'{due}__isnull': True}) | Q(**{f'{due}__lte': today}), then=Value('due')),
        default=Value('in_date'),
        output_field=models.CharField(),
    )


def certification_status(prefix: str = '', on: datetime.date | None = None) -> Case:
    """'none', 'expired', 'expiring' (within EXPIRY_WARNING_DAYS) or 'valid', as a database expression."""
    today = on or timezone.localdate()
    expires = f'{prefix}certification_expires'
    return Case(
        When(Q(**{f'{expires}__isnull': True}), then=Value('none')),
        When(Q(**{f'{expires}__lt': today}), then=Value('expired')),
        When(Q(**{f'{expires}__lte': today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)}), then=Value('expiring')),
        default=Value('valid'),
        output_field=models.CharField(),
    )


def dpia_status_of(completed: datetime.date | None, review_due: datetime.date | None, on: datetime.date) -> str:
    """dpia_status for one record's dates (a record rebuilt from history has no row to query); the same rule."""
    if completed is None:
        return 'missing'
    return 'due' if review_due is None or review_due <= on else 'in_date'


def certification_status_of(expires: datetime.date | None, on: datetime.date) -> str:
    """certification_status for one record's expiry date; the same rule."""
    if expires is None:
        return 'none'
    if expires < on:
        return 'expired'
    return 'expiring' if expires <= on + datetime.timedelta(days=EXPIRY_WARNING_DAYS) else 'valid'
