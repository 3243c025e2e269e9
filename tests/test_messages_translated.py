"""Refusals and confirmations a page can show are marked for translation: a ValidationError raised, or a view's
success message set, with a plain or f-string message reaches a Welsh reader in English (the Welsh page walk
sees only pages that open, not refusals or what follows a form).

The API answers in English (docs/welsh.md), and commands write English for the person at the terminal, so
those modules are left out.
"""

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / 'src' / 'oversight'
ENGLISH_ONLY = ('api', 'tests', 'migrations', 'management', 'settings', 'testing')


def _plain(node) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


def _success_message(node) -> bool:
    """A view's `success_message = '...'` (an empty one shows nothing)."""
    return (
        isinstance(node, ast.Assign)
        and any(getattr(target, 'id', '') == 'success_message' for target in node.targets)
        and _plain(node.value)
        and not (isinstance(node.value, ast.Constant) and node.value.value == '')
    )


def untranslated_messages() -> list[str]:
    found = []
    for path in sorted(SOURCE.rglob('*.py')):
        relative = path.relative_to(SOURCE)
        if any(part in ENGLISH_ONLY for part in relative.parts):
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if _success_message(node):
                found.append(f'{relative}:{node.lineno}')
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, 'id', '')
            if name != 'ValidationError':
                continue
            message = node.args[0]
            messages = message.values if isinstance(message, ast.Dict) else [message]
            if any(_plain(each) for each in messages):
                found.append(f'{relative}:{node.lineno}')
    return found


def test_every_refusal_and_success_message_a_page_can_show_is_marked_for_translation():
    assert untranslated_messages() == []
