import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from oversight.core.dates import govuk_date
from oversight.core.languages import in_welsh
from oversight.core.status import status_tag
from oversight.core.tables import CountColumn, DateColumn

from .models import DECISION_STATES
from .rules import SEVERITY_LABELS

SEVERITY_TAGS = {'must': 'govuk-tag--red', 'should': 'govuk-tag--orange', 'consider': 'govuk-tag--blue'}


def overdue_tag(overdue: bool):
    return format_html(' <strong class="govuk-tag govuk-tag--red">{}</strong>', gettext('Overdue')) if overdue else ''


def secondary_tag(secondary: bool):
    tag = '<br><strong class="govuk-tag govuk-tag--grey">{}</strong>'
    return format_html(tag, gettext('Secondary sources')) if secondary else ''


def quoted_english(text: str):
    """Text quoted in English from a source (CISA's catalogue), marked as English on a Welsh page."""
    return format_html('<span lang="en">{}</span>', text) if in_welsh() else text


def severity_tag(severity: str):
    return format_html('<strong class="govuk-tag {}">{}</strong>', SEVERITY_TAGS[severity], SEVERITY_LABELS[severity])


def site_cell(site):
    if site.sensitive:
        return format_html(
            '{} <strong class="govuk-tag govuk-tag--purple">{}</strong>', site.name, gettext('Sensitive')
        )
    return site.name


def equipment_cell(line):
    """The line (linked to the register) and, beneath it, where it is."""
    return format_html(
        '<a class="govuk-link" href="{}">{}</a><br><span class="govuk-body-s">{}</span>',
        line.get_absolute_url(),
        line,
        site_cell(line.site),
    )


def pounds(value) -> str:
    return '' if value is None else f'£{value:,.0f}'


def cost_cell(cost, note: str):
    """A cost, with what it leaves out beneath it."""
    return format_html('{}<br><span class="govuk-body-s">{}</span>', pounds(cost), note) if note else pounds(cost)


class ObligationTable(tables.Table):
    organisation = tables.Column(
        accessor='line__organisation', order_by=('line__organisation__name',), verbose_name=_('Body')
    )
    equipment = tables.Column(
        accessor='line', order_by=('line__site__name', 'line__pk'), verbose_name=_('Equipment and site')
    )
    rule = tables.Column(accessor='rule__title', order_by=('severity_rank', 'due'), verbose_name=_('Rule'))
    due = tables.Column(verbose_name=_('Due'))
    reason = tables.Column(orderable=False)
    decision = tables.Column(verbose_name=_('Decision'), empty_values=(), orderable=False)

    class Meta:
        empty_text = _('No obligations: no equipment line meets a rule that applies to this body.')

    def __init__(self, *args, decisions=None, today=None, can_edit=False, **kwargs):
        """`decisions` maps (line id, rule key) to the body's ObligationDecision; `can_edit` offers the form."""
        self.decisions, self.today, self.can_edit = decisions or {}, today, can_edit
        super().__init__(*args, **kwargs)

    def render_decision(self, record):
        decision = self.decisions.get((record.line.pk, record.rule.key))
        state = decision.state(self.today) if decision else 'open'
        cell = status_tag(state, DECISION_STATES[state])
        if decision is not None and decision.decision == decision.Decision.ACCEPT:
            verb = _('expired on') if state == 'expired' else _('until')
            cell = format_html('{}<br><span class="govuk-body-s">{} {}</span>', cell, verb,
                               govuk_date(decision.accepted_until))  # fmt: skip
        elif state == 'replaced':
            cell = format_html('{}<br><span class="govuk-body-s">{}</span>', cell, govuk_date(decision.replaced_on))
        if self.can_edit:
            rule_set, rule = record.rule.key.split('/')
            url = reverse('policy:decision', args=[record.line.organisation.slug, record.line.pk, rule_set, rule])
            cell = format_html(
                '{}<br><a class="govuk-link" href="{}">{}<span class="govuk-visually-hidden"> {}: {}</span></a>',
                cell, url, _('Record a decision') if decision is None else _('Change'), record.rule.shown_title,
                record.line,
            )  # fmt: skip
        return cell

    def render_equipment(self, value):
        return equipment_cell(value)

    def render_rule(self, value, record):
        return format_html(
            '{}<br>{}<br><span class="govuk-body-s"><a class="govuk-link" href="{}" rel="noreferrer">{}</a></span>',
            severity_tag(record.severity),
            record.rule.shown_title,
            record.rule.source_url,
            record.rule_set.shown_name,
        )

    def render_due(self, value, record):
        return format_html(
            '{}{}<br><span class="govuk-body-s">{}</span>',
            govuk_date(value),
            overdue_tag(record.overdue),
            record.due_basis,
        )

    def render_reason(self, value, record):
        return format_html(
            '<strong>{}</strong><br><span class="govuk-body-s">{}</span>', record.rule.shown_action, value
        )


class PlanTable(tables.Table):
    organisation = tables.Column(order_by=('organisation__name',), verbose_name=_('Body'))
    site = tables.Column(order_by=('site__name',))
    next_upgrade = DateColumn(verbose_name=_('Next scheduled upgrade'), default=_('Not recorded'))
    replace_by = tables.Column(verbose_name=_('Replace by'))
    severity = tables.Column(verbose_name=_('Most pressing'), order_by=('severity_rank',))
    lines = CountColumn(verbose_name=_('Lines'))
    devices = CountColumn(verbose_name=_('Devices'))
    cost = tables.Column(verbose_name=_('Estimated cost'))

    class Meta:
        empty_text = _('Nothing to replace.')

    def render_site(self, value):
        return site_cell(value)

    def render_replace_by(self, value, record):
        return format_html('{}{}', govuk_date(value), overdue_tag(record.overdue))

    def render_severity(self, value):
        return severity_tag(value)

    def render_cost(self, value, record):
        return cost_cell(value, record.cost_note)


class VulnerabilityTable(tables.Table):
    organisation = tables.Column(
        accessor='line__organisation', order_by=('line__organisation__name',), verbose_name=_('Body')
    )
    equipment = tables.Column(
        accessor='line', order_by=('line__site__name', 'line__pk'), verbose_name=_('Equipment and site')
    )
    cve = tables.Column(accessor='match__vulnerability__cve', verbose_name=_('Vulnerability'))
    status = tables.Column(accessor='match__status', verbose_name=_('Status'))
    reason = tables.Column(accessor='match__reason', orderable=False)

    class Meta:
        empty_text = _('No equipment line matches a known exploited vulnerability.')

    def render_equipment(self, value):
        return equipment_cell(value)

    def render_cve(self, value, record):
        vulnerability = record.match.vulnerability
        return format_html(
            '<a class="govuk-link" href="{}" rel="noreferrer">{}</a><br><span class="govuk-body-s">{}</span>{}',
            vulnerability.url,
            value,
            quoted_english(vulnerability.name),
            secondary_tag(vulnerability.secondary),
        )

    def render_status(self, value):
        return status_tag(value, value.label)

    def render_reason(self, value, record):
        # The required action is quoted from CISA's catalogue, in English.
        return format_html(
            '{}<br><span class="govuk-body-s">{} {}</span>',
            value,
            gettext('KEV:'),
            quoted_english(record.match.vulnerability.required_action),
        )


class BodySummaryTable(tables.Table):
    organisation = tables.Column(verbose_name=_('Body'), order_by=('organisation__name',))
    must = CountColumn(verbose_name=_('Devices: must'))
    should = CountColumn(verbose_name=_('Devices: should'))
    consider = CountColumn(verbose_name=_('Devices: consider'))
    overdue = CountColumn(verbose_name=_('Devices overdue'))
    plan_devices = CountColumn(verbose_name=_('Devices to replace'))
    cost = tables.Column(verbose_name=_('Estimated cost'))

    class Meta:
        empty_text = _('No body has equipment lines in this selection.')

    def render_organisation(self, value):
        return format_html('<a class="govuk-link" href="{}">{}</a>', reverse('policy:body', args=[value.slug]), value)

    def render_cost(self, value, record):
        return cost_cell(value, record.cost_note)
