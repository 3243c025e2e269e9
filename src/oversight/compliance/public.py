"""Transparency pages (principle 3): what a body chooses to publish about its surveillance camera systems.

Public, without sign-in, and only for a body whose page is published (`Transparency.objects.published()`);
any other body's address is a 404. A page reads systems and their governance records and the self-assessments
the body published, and nothing of the register below a system: no site, address, postcode or equipment line
appears, so neither does anything about a sensitive site (compliance/tests/test_transparency.py checks it).
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from oversight.organisations.models import Organisation
from oversight.register.models import Category, System

from .models import CERTIFICATION_STATUS, DPIA_STATUS, Assessment, Principle, Transparency
from .querysets import certification_status, dpia_status


def public_page(body) -> dict:
    """The page's content: systems by category, each with its record's public parts, and the contact points."""
    systems = (
        System.objects.filter(organisation=body)
        .select_related('governance')
        .annotate(dpia=dpia_status('governance__'), certification=certification_status('governance__'))
        .only(
            'name',
            'category',
            'governance__purpose',
            'governance__lawful_basis',
            'governance__spoc_name',
            'governance__spoc_contact',
            'governance__retention_days',
            'governance__certification_step',
            'governance__certification_expires',
            'governance__facial_recognition',
        )
        .order_by('name', 'pk')
    )
    published = {}
    assessments = Assessment.objects.filter(system__organisation=body, published_on__isnull=False)
    for assessment in assessments.order_by('-frozen_on').prefetch_related('answers', 'plan', 'also_covers'):
        # The latest published version for each system, its own or a group's that covers it.
        for covered in (assessment.system_id, *(s.pk for s in assessment.also_covers.all())):
            published.setdefault(covered, assessment)
    principles = {p.pk: p for p in Principle.objects.all()}
    by_category: dict[str, list] = {}
    contacts: dict[tuple[str, str], list[str]] = {}
    for system in systems:
        record = getattr(system, 'governance', None)
        assessment = published.get(system.pk)
        answers = []
        if assessment:
            plan = list(assessment.plan.all())
            for answer in sorted(assessment.answers.all(), key=lambda a: principles[a.principle_id].number):
                actions = [item for item in plan if item.principle_id == answer.principle_id]
                answers.append((principles[answer.principle_id], answer, actions))
        certified = system.certification in ('valid', 'expiring')
        by_category.setdefault(system.category, []).append(
            {
                'name': system.name,
                'record': record,
                'dpia': DPIA_STATUS[system.dpia],
                'certification': CERTIFICATION_STATUS[system.certification],
                'step': record.get_certification_step_display() if certified else '',
                'assessment': assessment,
                'answers': answers,
            }
        )
        if record and (record.spoc_name or record.spoc_contact):
            contacts.setdefault((record.spoc_name, record.spoc_contact), []).append(system.name)
    labels = dict(Category.choices)
    return {
        'categories': [(labels[code], by_category[code]) for code in Category.values if code in by_category],
        'contacts': [(name, contact, names) for (name, contact), names in contacts.items()],
    }


class TransparencyListView(TemplateView):
    """The bodies that publish a transparency page."""

    template_name = 'compliance/public/transparency_list.html'

    def get_context_data(self, **kwargs):
        pages = Transparency.objects.published().select_related('organisation').order_by('organisation__name')
        return super().get_context_data(title=_('Transparency pages'), pages=pages, **kwargs)


class TransparencyPageView(TemplateView):
    template_name = 'compliance/public/transparency_page.html'

    def get_context_data(self, **kwargs):
        body = get_object_or_404(Organisation, slug=self.kwargs['slug'], transparency__published_on__isnull=False)
        title = _('%(body)s: surveillance camera systems') % {'body': body.name}
        return super().get_context_data(title=title, body=body, page=body.transparency, **public_page(body), **kwargs)
