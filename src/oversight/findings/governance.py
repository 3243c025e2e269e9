"""Compliance with the Code: a campaign's governance figures (docs/findings.md, "Compliance with the Code").

Counted from each submitted return's governance records as they stood at its last submission
(`Return.governance`, compliance.governance.snapshot, or rebuilt from the audit trail for a return that kept
none) and from its answers to questions 9.x, so the figures do not move when a record changes after the
campaign. Pure: no query, no clock.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

PRINCIPLES = tuple(str(n) for n in range(1, 13))
STEPS = ('step_1', 'step_2')
FACIAL_RECOGNITION = ('none', 'retrospective', 'operator_initiated', 'live', 'not_recorded')
DPIA_ANSWERS = ('yes', 'no', 'unknown', 'unanswered')
CERTIFICATION_ANSWERS = ('none', 'desktop', 'full', 'unanswered')
PRINCIPLE_ANSWERS = ('compliant', 'partly_compliant', 'not_compliant', 'not_assessed', 'unanswered')
# How a return's records were obtained (surveys Return.governance_basis), as counted; only the first two are
# records: a return with none to rebuild, or none taken yet, counts in the answers only.
RECORDS = {'submission': 'at_submission', 'reconstructed': 'reconstructed', 'not_available': 'not_available'}
COUNTED = ('submission', 'reconstructed')


def _zeros(keys) -> dict[str, int]:
    return dict.fromkeys(keys, 0)


@dataclass
class GovernanceFigures:
    respondents: int = 0  # submitted returns
    # Of those, by how their records were obtained (RECORDS, or not_taken): the body figures' denominator is the
    # respondents whose records are available.
    records: dict[str, int] = field(default_factory=lambda: _zeros((*RECORDS.values(), 'not_taken')))
    bodies_with_records: int = 0  # of respondents: a return that carried at least one governance record
    systems: int = 0  # every system of every respondent, recorded or not: the denominator of the system figures
    systems_recorded: int = 0
    dpia_in_date: dict[str, int] = field(default_factory=lambda: {'systems': 0, 'bodies': 0})
    certified: dict[str, dict[str, int]] = field(
        default_factory=lambda: {s: {'systems': 0, 'bodies': 0} for s in STEPS}
    )
    self_assessed: dict[str, int] = field(default_factory=lambda: {'systems': 0, 'bodies': 0})
    open_actions_by_principle: dict[str, int] = field(default_factory=lambda: _zeros(PRINCIPLES))
    facial_recognition: dict[str, int] = field(default_factory=lambda: _zeros(FACIAL_RECOGNITION))
    bodies_using_facial_recognition: int = 0
    answered_dpia: dict[str, int] = field(default_factory=lambda: _zeros(DPIA_ANSWERS))
    answered_certification: dict[str, int] = field(default_factory=lambda: _zeros(CERTIFICATION_ANSWERS))
    answered_principles: dict[str, dict[str, int]] = field(
        default_factory=lambda: {n: _zeros(PRINCIPLE_ANSWERS) for n in PRINCIPLES}
    )

    @property
    def respondents_with_records(self) -> int:
        return self.records['at_submission'] + self.records['reconstructed']

    def as_dict(self) -> dict:
        return {
            'respondents': self.respondents,
            'records': dict(self.records),
            'respondents_with_records': self.respondents_with_records,
            'bodies_with_records': self.bodies_with_records,
            'systems': self.systems,
            'systems_recorded': self.systems_recorded,
            'dpia_in_date': dict(self.dpia_in_date),
            'certified': {step: dict(counts) for step, counts in self.certified.items()},
            'self_assessed': dict(self.self_assessed),
            'open_actions_by_principle': dict(self.open_actions_by_principle),
            'facial_recognition': {
                'systems': dict(self.facial_recognition),
                'bodies_using': self.bodies_using_facial_recognition,
            },
            'answers': {
                'dpia': dict(self.answered_dpia),
                'certification': dict(self.answered_certification),
                'principles': {n: dict(counts) for n, counts in self.answered_principles.items()},
            },
        }


def count_governance(snapshots: Iterable[tuple[str, list]], answers_of_returns: Iterable[dict]) -> GovernanceFigures:
    """The figures from each submitted return's records (`snapshots`: how they were obtained, and the records)
    and its answers."""
    figures = GovernanceFigures()
    for basis, systems in snapshots:
        figures.respondents += 1
        figures.records[RECORDS.get(basis, 'not_taken')] += 1
        if basis not in COUNTED:
            continue
        figures.systems += len(systems)
        recorded = [s for s in systems if s['recorded']]
        figures.systems_recorded += len(recorded)
        figures.bodies_with_records += bool(recorded)
        in_date = sum(s['dpia'] == 'in_date' for s in systems)
        figures.dpia_in_date['systems'] += in_date
        figures.dpia_in_date['bodies'] += bool(systems) and in_date == len(systems)
        for step in STEPS:
            certified = sum(s['certified_step'] == step for s in systems)
            figures.certified[step]['systems'] += certified
            figures.certified[step]['bodies'] += bool(certified)
        assessed = sum(s['self_assessed'] for s in systems)
        figures.self_assessed['systems'] += assessed
        figures.self_assessed['bodies'] += bool(systems) and assessed == len(systems)
        using = False
        for system in systems:
            for number, open_actions in system['open_actions'].items():
                figures.open_actions_by_principle[number] += open_actions
            use = system['facial_recognition'] or 'not_recorded'
            figures.facial_recognition[use] += 1
            using = using or use not in ('none', 'not_recorded')
        figures.bodies_using_facial_recognition += using
    for answers in answers_of_returns:
        _tally(figures.answered_dpia, answers.get('governance.dpia'))
        _tally(figures.answered_certification, answers.get('governance.certification'))
        for number in PRINCIPLES:
            _tally(figures.answered_principles[number], answers.get(f'governance.principle_{number}'))
    return figures


def _tally(counts: dict[str, int], answer) -> None:
    counts[answer if answer in counts else 'unanswered'] += 1
