"""Cross-checks of a section's answers against its own lines and the body's register.

A failed cross-check is a warning, never a refusal and never a silent change: the body fixes the
answer or confirms it is correct, and the confirmation is kept with the return. A confirmation
holds for the warning as worded, so when the figures behind it change it must be given again.
"""

from dataclasses import dataclass

from .answers import MANUFACTURERS, OPERATES, Schema, answer_key, lines_of
from .concerns import ConcernResolver
from .models import Section, YesNoUnknown

CAMERAS, CONCERN_EQUIPMENT = 'cameras', 'concern_equipment'


@dataclass(frozen=True)
class CrossCheck:
    code: str  # "<answer key>:<check>", stable while the check is the same
    key: str  # the answer it is about, which the warning is shown beside
    message: str

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
            CrossCheck(
                f'{question.key}:register',
                question.key,
                f'You answered No to {question.number}, but your register lists {register_devices[code]:,} '
                f'{section.title} devices.',
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
            CrossCheck(
                f'{question.key}:below-lines',
                question.key,
                f'The total of {total:,} in {question.number} is less than the {devices:,} devices in your '
                f'manufacturer lines ({number}).',
            )
        )
    question = schema.questions.get(answer_key(code, CONCERN_EQUIPMENT))
    if question is not None and answers.get(question.key) == YesNoUnknown.NO and resolver is not None and lines:
        makers = sorted({maker for maker in resolver.line_makers(lines) if maker})
        if makers:
            of_concern = [line for line, maker in zip(lines, resolver.line_makers(lines), strict=True) if maker]
            found.append(
                CrossCheck(
                    f'{question.key}:makers-of-concern',
                    question.key,
                    f'You answered No to {question.number}, but {len(of_concern)} of your manufacturer lines '
                    f'are identified as made by {", ".join(makers)}, named by the campaign’s concern list.',
                )
            )
    return found


def unconfirmed(warnings: list[CrossCheck], confirmed: list[dict]) -> list[CrossCheck]:
    held = {(record['code'], record['message']) for record in confirmed}
    return [warning for warning in warnings if (warning.code, warning.message) not in held]
