"""Text hygiene: characters that cannot be seen but change what is shown are refused in what people type.

A right-to-left override (U+202E) makes "KENTgpj.exe" read "KENTexe.jpg" in a table or an export, and
a control character such as BEL (U+0007) is invisible on the page and garbles a CSV. Every text field
saved through an action is checked (core.audit.save_audited), and importers and return answers check
each cell, so the refusal names the field (and the row). Tabs and line breaks stay allowed.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models

# C0 and C1 controls other than tab, line feed and carriage return; the bidirectional embeddings,
# overrides, isolates and marks.
HIDDEN = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]')


def hidden_character(text: str) -> str:
    """A message naming the first hidden character in `text`, or '' when there is none."""
    found = HIDDEN.search(text or '')
    if found is None:
        return ''
    character = found.group(0)
    name = unicodedata.name(character, 'a control character')
    return (
        f'This contains a character that cannot be seen but changes what is shown (U+{ord(character):04X}, '
        f'{name.lower()}): type the text again without it.'
    )


def check_visible_text(obj: models.Model) -> None:
    """Refuse the object when any of its text fields holds a hidden character, naming each field."""
    errors = {}
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            message = hidden_character(getattr(obj, field.attname) or '')
            if message:
                errors[field.name] = message
    if errors:
        raise ValidationError(errors)


# A database's integer column holds at most this: a larger number names no row.
BIGGEST_INTEGER = 2**63 - 1


def whole_number(text: str) -> int | None:
    """`text` as a whole number written in the digits 0 to 9, or None. `str.isdigit` also takes "²" and other
    digits `int` refuses, and a number past BIGGEST_INTEGER is no id, version or length anything holds."""
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= BIGGEST_INTEGER else None
