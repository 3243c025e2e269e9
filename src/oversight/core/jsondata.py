"""JSON from outside (API bodies, scan uploads, catalogue files), read so that no shape of it can crash a worker.

Python's parser raises RecursionError on deep nesting and ValueError on an integer of more than 4,300
digits, and accepts NaN and Infinity: each would surface as a 500 or be stored. Here each is refused
with a reason, as a ValueError the caller reports like any other unreadable JSON.
"""

import json
import math

# Far beyond any document the service reads (a scan line is about five levels deep).
MAX_DEPTH = 64
# Digits in one number: a quantity, a port or a number of seconds has a handful.
MAX_DIGITS = 30


class JsonError(ValueError):
    """The text is not JSON the service reads; the message says why."""


def _integer(text: str) -> int:
    if len(text.lstrip('-')) > MAX_DIGITS:
        raise JsonError(f'a number of {len(text.lstrip("-")):,} digits (the most is {MAX_DIGITS})')
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_DIGITS * 2:
        raise JsonError(f'a number written with {len(text):,} characters (the most is {MAX_DIGITS * 2})')
    value = float(text)
    if not math.isfinite(value):
        raise JsonError(f'the number {text[:40]} is too large')
    return value


def _constant(name: str):
    raise JsonError(f'{name} is not a number JSON allows')


def _depth_within(value, limit: int) -> bool:
    """Whether no list or object in `value` is nested more than `limit` deep (walked without recursion)."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                return False
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return True


def loads(text: str | bytes):
    """The value of a JSON document; JsonError naming the reason when it is not one the service reads."""
    try:
        value = json.loads(text, parse_int=_integer, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise JsonError(f'{exc.msg} at line {exc.lineno}, column {exc.colno}') from exc
    except RecursionError as exc:
        raise JsonError(f'nested more than {MAX_DEPTH} levels deep') from exc
    # A value nested deeper than the limit opens more brackets than that: most documents need no walk.
    opened = text.count(b'{') + text.count(b'[') if isinstance(text, bytes) else text.count('{') + text.count('[')
    if opened > MAX_DEPTH and not _depth_within(value, MAX_DEPTH):
        raise JsonError(f'nested more than {MAX_DEPTH} levels deep')
    return value
