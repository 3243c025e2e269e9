"""The policy page's tables as spreadsheet rows (written formula-safe by core.exports).

Always in English: the view builds and writes them inside `core.languages.english()`, and the rules' English
(`title`, `action`, not `shown_title`) is what they write, whatever the page's language.
"""

from .evaluation import Evaluation
from .models import DECISION_STATES


def _money(value):
    return None if value is None else float(round(value, 2))


def obligations(evaluation: Evaluation) -> tuple[list[str], list[list]]:
    headers = [
        'Body',
        'Site',
        'Sensitive site',
        'System',
        'Line',
        'Manufacturer (as declared)',
        'Brand',
        'Model',
        'Made by',
        'Devices',
        'Rule set',
        'Rule',
        'Severity',
        'Action',
        'Due',
        'Due basis',
        'Overdue',
        'Reason',
        'Source',
    ]
    rows = [
        [
            o.line.organisation.name,
            o.line.site.name,
            o.line.site.sensitive,
            o.line.system.get_category_display(),
            o.line.pk,
            o.line.manufacturer_declared,
            o.line.brand,
            o.line.model,
            o.line.made_by.name if o.line.made_by_id else 'Unknown',
            o.line.quantity,
            o.rule_set.name,
            o.rule.title,
            o.severity_label,
            o.rule.action,
            o.due,
            o.due_basis,
            o.overdue,
            o.reason,
            o.rule.source_url,
        ]
        for o in evaluation.obligations
    ]
    return headers, rows


def with_decisions(headers, rows, evaluation: Evaluation, decisions: dict) -> tuple[list[str], list[list]]:
    """The obligations export with where each obligation stands: its decision's state (an expired risk
    acceptance reads as open again) and the date that state dates from. `decisions`: {(line id, rule key): d}."""
    dates = {'accepted': 'accepted_until', 'expired': 'accepted_until', 'planned': 'planned_on',
             'ordered': 'ordered_on', 'replaced': 'replaced_on'}  # fmt: skip
    extended = []
    for obligation, row in zip(evaluation.obligations, rows, strict=True):
        decision = decisions.get((obligation.line.pk, obligation.rule.key))
        state = decision.state(evaluation.today) if decision else 'open'
        extended.append([*row, str(DECISION_STATES[state]), getattr(decision, dates.get(state, ''), None)])
    return [*headers, 'Decision', 'Decision date'], extended


def plan(evaluation: Evaluation) -> tuple[list[str], list[list]]:
    headers = [
        'Body',
        'Site',
        'Sensitive site',
        'Next scheduled upgrade',
        'Replace by',
        'Overdue',
        'Most pressing',
        'Lines',
        'Devices',
        'Estimated cost (£)',
        'Devices without a unit cost',
        'Categories without a unit cost',
    ]
    rows = [
        [
            r.organisation.name,
            r.site.name,
            r.sensitive,
            r.next_upgrade,
            r.replace_by,
            r.overdue,
            r.severity.capitalize(),
            r.lines,
            r.devices,
            _money(r.cost),
            r.devices_without_cost,
            ', '.join(sorted(r.categories_without_cost)),
        ]
        for r in evaluation.plan.rows
    ]
    return headers, rows


def vulnerabilities(evaluation: Evaluation) -> tuple[list[str], list[list]]:
    headers = [
        'Body',
        'Site',
        'Line',
        'Manufacturer (as declared)',
        'Brand',
        'Model',
        'Firmware',
        'Made by',
        'Devices',
        'CVE',
        'Vulnerability',
        'Description',
        'Added to KEV',
        'From secondary sources',
        'Status',
        'Reason',
        'Required action',
    ]
    rows = []
    for found in evaluation.vulnerabilities:
        line, vulnerability = found.line, found.match.vulnerability
        rows.append(
            [
                line.organisation.name,
                line.site.name,
                line.pk,
                line.manufacturer_declared,
                line.brand,
                line.model,
                line.firmware,
                line.made_by.name if line.made_by_id else 'Unknown',
                line.quantity,
                vulnerability.cve,
                vulnerability.name,
                vulnerability.short_description,
                vulnerability.date_added,
                vulnerability.secondary,
                found.match.status.label,
                found.match.reason,
                vulnerability.required_action,
            ]
        )
    return headers, rows


EXPORTS = {'obligations': obligations, 'plan': plan, 'vulnerabilities': vulnerabilities}
