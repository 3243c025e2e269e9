from django.db import models

from oversight.core.querysets import OrganisationScopedQuerySet, sees_everything


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
        if reference.isdigit():
            by_year = list(self.filter(year=int(reference)).order_by('slug'))
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


class InvitationQuerySet(OpenCampaignScopedQuerySet):
    pass


class InvitationPartQuerySet(OrganisationScopedQuerySet):
    """Contacts and reminders: scoped through their invitation."""

    organisation_lookup = 'invitation__organisation'


class ReturnQuerySet(OpenCampaignScopedQuerySet):
    def responded(self):
        """Returns that have been submitted (drafts are not responses)."""
        return self.filter(submitted_at__isnull=False)

    def late(self):
        return self.responded().filter(
            campaign__deadline__isnull=False, submitted_at__gt=models.F('campaign__deadline')
        )

    def on_time(self):
        return self.responded().exclude(pk__in=self.late().values('pk'))


class ReviewQueryQuerySet(OrganisationScopedQuerySet):
    organisation_lookup = 'survey_return__organisation'


class CorrectionQuerySet(OrganisationScopedQuerySet):
    organisation_lookup = 'survey_return__organisation'
