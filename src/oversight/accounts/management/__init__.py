from django.core.exceptions import ValidationError
from django.core.management.base import CommandError


def refused(what: str, exc: ValidationError) -> CommandError:
    """A command's refusal naming every problem the action found, field by field."""
    problems = [f'{field}: {m}' for field, messages in exc.message_dict.items() for m in messages]
    return CommandError(f'{what}:\n  ' + '\n  '.join(problems))
