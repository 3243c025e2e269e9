from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from oversight.core.permissions import sees_everything
from oversight.core.querysets import OrganisationScopedQuerySet
from oversight.core.text import whole_number


def _is_body_user(user) -> bool:
    return bool(user.is_authenticated and user.organisation_id)


class CampaignQuerySet(models.QuerySet):
    def for_user(self, user):
        """The regulator sees every campaign; a body sees the campaigns it was invited to, once they open."""
        if sees_everything(user):
            return self
        if not _is_body_user(user):
            return self.none()
        return self.filter(invitations__organisation=user.organisation_id).exclude(status=self.model.Status.DRAFT)

    def lookup(self, reference: str):
        """The campaign a command names, by slug ("police-2022") or, when that is unique, by year ("2022").

        Raises DoesNotExist, or MultipleObjectsReturned when several campaigns share the year.
        """
        reference = (reference or '').strip()
        found = self.filter(slug=reference).first()
        if found is not None:
            return found
        if (year := whole_number(reference)) is not None:
            by_year = list(self.filter(year=year).order_by('slug'))
            if len(by_year) == 1:
                return by_year[0]
            if len(by_year) > 1:
                slugs = ', '.join(c.slug for c in by_year)
                raise self.model.MultipleObjectsReturned(
                    f'{len(by_year)} campaigns are from {reference} ({slugs}): name one by its slug.'
                )
        raise self.model.DoesNotExist(f'No campaign has the slug or year "{reference}".')


class QuestionnaireQuerySet(models.QuerySet):
    def for_user(self, user):
        if sees_everything(user):
            return self
        if not _is_body_user(user):
            return self.none()
        from .models import Campaign

        return self.filter(campaigns__in=Campaign.objects.for_user(user)).distinct()


class OpenCampaignScopedQuerySet(OrganisationScopedQuerySet):
    """A body's own rows, and only once their campaign has opened (a draft campaign is the regulator's)."""

    def for_user(self, user):
        scoped = super().for_user(user)
        if sees_everything(user):
            return scoped
        return scoped.exclude(campaign__status='draft')


def late_q(now=None, prefix: str = '') -> Q:
    """Late, defined once: the campaign has a deadline, and the return was first submitted after it, or was
    not submitted by it and still is not. `prefix` is the path from the rows filtered to the return
    (`survey_return__` from invitations); the deadline is reached through `campaign` from either."""
    submitted = f'{prefix}submitted_at'
    deadline = F('campaign__deadline')
    return Q(campaign__deadline__isnull=False) & (
        Q(**{f'{submitted}__gt': deadline})
        | Q(**{f'{submitted}__isnull': True}, campaign__deadline__lt=now or timezone.now())
    )


class InvitationQuerySet(OpenCampaignScopedQuerySet):
    def outstanding(self):
        """The body still has something to do: not started, a draft, or returned with a query."""
        return self.filter(status__in=self.model.OUTSTANDING)

    def queried(self):
        """Returned to the body with a query it has not yet answered."""
        return self.filter(status=self.model.Status.RETURNED)

    def late(self, now=None):
        return self.filter(late_q(now, 'survey_return__'))

    def with_lateness(self, now=None):
        """Each invitation with `is_late`, by the same rule as `late()`."""
        return self.annotate(
            is_late=models.Case(
                models.When(late_q(now, 'survey_return__'), then=True),
                default=False,
                output_field=models.BooleanField(),
            )
        )


class InvitationPartQuerySet(OrganisationScopedQuerySet):
    """Contacts and reminders: scoped through their invitation."""

    organisation_lookup = 'invitation__organisation'


class ReturnQuerySet(OpenCampaignScopedQuerySet):
    def responded(self):
        """Returns that have been submitted (drafts are not responses)."""
        return self.filter(submitted_at__isnull=False)

    def late(self):
        """Submitted returns that were late (`late_q`): first submitted after the deadline."""
        return self.responded().filter(late_q())

    def on_time(self):
        return self.responded().exclude(pk__in=self.late().values('pk'))


class ReviewQueryQuerySet(OrganisationScopedQuerySet):
    organisation_lookup = 'survey_return__organisation'


class CorrectionQuerySet(OrganisationScopedQuerySet):
    organisation_lookup = 'survey_return__organisation'
