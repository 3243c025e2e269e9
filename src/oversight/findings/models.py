"""Reports of a campaign's findings: the regulator's draft, and the versions it published.

A version is frozen when published: its computed data, the concern list as it stood, the text with
every figure bound and the PDF are stored, and never change. A later correction is published as a
new version carrying an Update note; the earlier versions stay readable and downloadable.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import translation

from .querysets import ReportQuerySet, ReportVersionQuerySet

FROZEN_MESSAGE = 'Version {} of this report is published: it cannot change. Publish a new version instead.'


class Report(models.Model):
    """The regulator's draft report of one campaign: its title and the text, with placeholders for figures."""

    campaign = models.OneToOneField('surveys.Campaign', on_delete=models.PROTECT, related_name='report')
    title = models.CharField(max_length=200)
    narrative = models.TextField(
        blank=True,
        help_text='Paragraphs separated by blank lines; "## " starts a heading. State figures with placeholders, '
        'such as {{ response_rate }} or {{ drone.aware }}: a figure typed by hand is checked before publication.',
    )
    # Optional Welsh of the regulator's own words, as questionnaires hold theirs: empty means the English is shown.
    title_cy = models.CharField('title in Welsh', max_length=200, blank=True)
    narrative_cy = models.TextField(
        'narrative in Welsh', blank=True, help_text='The text in Welsh; empty: the Welsh report shows English.'
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ['-campaign__year', 'campaign__title']

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse('findings:report', args=[self.campaign.slug])

    def latest(self):
        return self.versions.order_by('-number').first()

    def shown_title(self) -> str:
        return self.title_cy if self.title_cy and in_welsh() else self.title

    def title_lang(self) -> str:
        """The English title's language on a Welsh page (for screen readers, WCAG 3.1.2); '' when it matches."""
        return 'en-GB' if in_welsh() and not self.title_cy else ''


def in_welsh() -> bool:
    return (translation.get_language() or '').startswith('cy')


class ReportVersion(models.Model):
    """One published version of a report, frozen."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name='versions')
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    narrative_source = models.TextField('narrative as written', help_text='The text as written, placeholders included.')
    narrative = models.TextField(help_text='The text as published, every placeholder bound to its figure.')
    data = models.JSONField(help_text='The computed figures, as findings.report.build() made them.')
    designations = models.JSONField(help_text='The concern list as it stood: its designations and sources.')
    title_cy = models.CharField('title in Welsh', max_length=200, blank=True)
    narrative_source_cy = models.TextField(
        'narrative in Welsh as written', blank=True, help_text='The Welsh text as written; empty: none was written.'
    )
    narrative_cy = models.TextField(
        'narrative in Welsh', blank=True, help_text='The Welsh text as published, every placeholder bound.'
    )
    pdf = models.BinaryField('PDF')
    pdf_sha256 = models.CharField('SHA-256 of the PDF', max_length=64)
    # Empty for a version published before the report had a Welsh rendering.
    pdf_cy = models.BinaryField('PDF in Welsh', default=b'', blank=True)
    pdf_cy_sha256 = models.CharField('SHA-256 of the Welsh PDF', max_length=64, blank=True)
    note = models.CharField(max_length=300, blank=True, help_text='What this version changes.')
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name='+'
    )
    # Kept as text so the record survives the user's deletion.
    published_by_name = models.CharField(max_length=150)

    objects = ReportVersionQuerySet.as_manager()

    class Meta:
        ordering = ['report', '-number']
        constraints = [models.UniqueConstraint(fields=['report', 'number'], name='one_number_per_report_version')]

    def __str__(self) -> str:
        return f'{self.title}, version {self.number}'

    def save(self, *args, **kwargs):
        if self.pk is not None and type(self)._base_manager.filter(pk=self.pk).exists():
            raise ValidationError(FROZEN_MESSAGE.format(self.number), code='frozen')
        self.pdf_sha256 = hashlib.sha256(bytes(self.pdf)).hexdigest()
        self.pdf_cy_sha256 = hashlib.sha256(bytes(self.pdf_cy)).hexdigest() if self.pdf_cy else ''
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse('findings:version', args=[self.report.campaign.slug, self.number])

    def delete(self, *args, **kwargs):
        raise ValidationError(FROZEN_MESSAGE.format(self.number), code='frozen')

    @property
    def has_welsh_pdf(self) -> bool:
        return bool(self.pdf_cy_sha256)

    def shown_title(self) -> str:
        """The title in the active language: the Welsh when there is one and the page is in Welsh."""
        return self.title_cy if self.title_cy and in_welsh() else self.title

    def title_lang(self) -> str:
        """The English title's language on a Welsh page (for screen readers, WCAG 3.1.2); '' when it matches."""
        return 'en-GB' if in_welsh() and not self.title_cy else ''

    def shown_narrative(self) -> str:
        """The text as published in the active language: the Welsh when there is one and the page is in Welsh."""
        return self.narrative_cy if self.narrative_cy.strip() and in_welsh() else self.narrative


class Withdrawal(models.Model):
    """A published version taken down from its public addresses (a 404 there from then on), and why.

    The version itself is not changed: it stays on record, readable by everyone signed in, marked as withdrawn."""

    version = models.OneToOneField(ReportVersion, on_delete=models.PROTECT, related_name='withdrawal')
    reason = models.CharField(max_length=300, help_text='Why it was withdrawn: shown beside the version.')
    withdrawn_at = models.DateTimeField()
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name='+'
    )
    withdrawn_by_name = models.CharField(max_length=150)

    class Meta:
        constraints = [models.CheckConstraint(condition=~models.Q(reason=''), name='withdrawal_has_a_reason')]

    def __str__(self) -> str:
        return f'Withdrawal of {self.version}'

    def get_absolute_url(self) -> str:
        return self.version.get_absolute_url()
