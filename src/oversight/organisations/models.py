from django.db import models
from django.urls import reverse

from .querysets import OrganisationGroupQuerySet, OrganisationQuerySet


class Language(models.TextChoices):
    """The languages Oversight writes in (settings.LANGUAGES), each named in itself."""

    ENGLISH = 'en-gb', 'English'
    WELSH = 'cy', 'Cymraeg (Welsh)'


class OrganisationGroup(models.Model):
    """A set of organisations surveyed together, e.g. "Policing bodies, England and Wales"."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    objects = OrganisationGroupQuerySet.as_manager()

    class Meta:
        ordering = ['name']

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse('organisations:group_detail', args=[self.slug])


class Organisation(models.Model):
    """A body the regulator oversees (or the regulator itself)."""

    class Kind(models.TextChoices):
        TERRITORIAL = 'territorial', 'Territorial police force'
        SPECIAL = 'special', 'Special police force'
        AGENCY = 'agency', 'Law enforcement agency'
        LOCAL_AUTHORITY = 'local_authority', 'Local authority'
        OTHER = 'other', 'Other public body'
        REGULATOR = 'regulator', 'Regulator'

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    country = models.CharField(max_length=60, blank=True)
    groups = models.ManyToManyField(OrganisationGroup, blank=True, related_name='organisations')
    source = models.CharField(max_length=300, blank=True, help_text='Where this record comes from.')
    # The language its invitations and reminders are written in (the Welsh Language Standards: a Welsh
    # body may ask for Welsh); its people choose their pages' language themselves.
    preferred_language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ['name']
        constraints = [
            models.CheckConstraint(
                condition=models.Q(preferred_language__in=Language.values), name='organisation_language_offered'
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse('organisations:organisation_detail', args=[self.slug])
