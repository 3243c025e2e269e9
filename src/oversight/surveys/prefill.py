"""Manufacturer lines pre-filled from a body's register, for the return form and the workbook."""

from django.db.models import Sum

from oversight.register.models import EquipmentLine

from .answers import MANUFACTURERS, OPERATES, answer_key


def register_lines(organisation) -> dict[str, list[dict]]:
    """The body's register summed by category, manufacturer (as declared), brand and model."""
    rows = (
        EquipmentLine.objects.filter(organisation=organisation)
        .values('system__category', 'manufacturer_declared', 'brand', 'model')
        .annotate(quantity=Sum('quantity'))
        .order_by('system__category', 'manufacturer_declared', 'brand', 'model')
    )
    lines: dict[str, list[dict]] = {}
    for row in rows:
        lines.setdefault(row['system__category'], []).append(
            {
                'manufacturer': row['manufacturer_declared'],
                'brand': row['brand'],
                'model': row['model'],
                'quantity': row['quantity'],
            }
        )
    return lines


def prefilled_answers(organisation) -> dict:
    """Answers to start a new return with: each category the register has is operated, with its lines."""
    answers = {}
    for category, lines in register_lines(organisation).items():
        answers[answer_key(category, OPERATES)] = 'yes'
        answers[answer_key(category, MANUFACTURERS)] = lines
    return answers
