"""Cross-checks of a section's answers against its own lines and the body's register.

A failed cross-check is a warning, never a refusal and never a silent change: the body fixes the
answer or confirms it is correct, and the confirmation is kept with the return. A confirmation
holds for the warning as worded, so when the figures behind it change it must be given again. The
wording kept and compared is the English; the page shows it in its own language (`shown`), so
switching to Welsh does not undo a confirmation.
"""

from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop

from .answers import MANUFACTURERS, OPERATES, Schema, answer_key, lines_of
from .concerns import ConcernResolver
from .models import Section, YesNoUnknown

CAMERAS, CONCERN_EQUIPMENT = 'cameras', 'concern_equipment'


@dataclass(frozen=True)
class CrossCheck:
    code: str  # "<answer key>:<check>", stable while the check is the same
    key: str  # the answer it is about, which the warning is shown beside
    message: str  # in English: what a confirmation is kept with and compared against
    in_language: str = ''  # the same in the language of the page, where it was worded for one

    @property
    def shown(self) -> str:
        return self.in_language or self.message

    @classmethod
    def worded(cls, code: str, key: str, wording: str, values: dict, shown_values: dict | None = None) -> 'CrossCheck':
        """The warning in English and in the page's language (`shown_values` replace values there)."""
        return cls(code, key, wording % values, gettext(wording) % {**values, **(shown_values or {})})

    def as_record(self) -> dict:
        return {'code': self.code, 'message': self.message}


def section_warnings(
    schema: Schema, section: Section, answers: dict, *, resolver: ConcernResolver | None, register_devices: dict
) -> list[CrossCheck]:
    """The warnings for one category section; `register_devices` is the register's device count by category."""
    if not section.category:
        return []
    code, found = section.code, []
    operates = answers.get(answer_key(code, OPERATES))
    question = schema.questions.get(answer_key(code, OPERATES))
    if operates == YesNoUnknown.NO and register_devices.get(code) and question is not None:
        found.append(
            CrossCheck.worded(
                f'{question.key}:register',
                question.key,
                gettext_noop('You answered No to %(number)s, but your register lists %(devices)s %(section)s devices.'),
                {'number': question.number, 'devices': f'{register_devices[code]:,}', 'section': section.title},
                {'section': section.shown_title},
            )
        )
    if operates != YesNoUnknown.YES:
        return found
    lines = lines_of(answers, code)
    devices = sum(line.get('quantity') or 0 for line in lines)
    total = answers.get(answer_key(code, CAMERAS))
    lines_question = schema.questions.get(answer_key(code, MANUFACTURERS))
    if isinstance(total, int) and total < devices and (question := schema.questions.get(answer_key(code, CAMERAS))):
        number = lines_question.number if lines_question else 'the manufacturer lines'
        found.append(
            CrossCheck.worded(
                f'{question.key}:below-lines',
                question.key,
                gettext_noop(
                    'The total of %(total)s in %(number)s is less than the %(devices)s devices in your '
                    'manufacturer lines (%(lines)s).'
                ),
                {'total': f'{total:,}', 'number': question.number, 'devices': f'{devices:,}', 'lines': number},
            )
        )
    question = schema.questions.get(answer_key(code, CONCERN_EQUIPMENT))
    if question is not None and answers.get(question.key) == YesNoUnknown.NO and resolver is not None and lines:
        makers = sorted({maker for maker in resolver.line_makers(lines) if maker})
        if makers:
            of_concern = [line for line, maker in zip(lines, resolver.line_makers(lines), strict=True) if maker]
            found.append(
                CrossCheck.worded(
                    f'{question.key}:makers-of-concern',
                    question.key,
                    gettext_noop(
                        'You answered No to %(number)s, but %(count)s of your manufacturer lines are identified as '
                        'made by %(makers)s, named by the campaign’s concern list.'
                    ),
                    {'number': question.number, 'count': len(of_concern), 'makers': ', '.join(makers)},
                )
            )
    return found


def unconfirmed(warnings: list[CrossCheck], confirmed: list[dict]) -> list[CrossCheck]:
    held = {(record['code'], record['message']) for record in confirmed}
    return [warning for warning in warnings if (warning.code, warning.message) not in held]
