"""What people type for register fields, in forms and spreadsheet cells: parsed, or refused with a reason.

Each parser takes the text as typed (already stripped) and returns the stored value, or raises
`BadValue` with a message a person can act on. The messages do not repeat the column's name: the
import names it beside the message.
"""

import datetime
import ipaddress
import re
from decimal import Decimal, InvalidOperation

from django.utils.ipv6 import clean_ipv6_address


class BadValue(ValueError):
    pass


TRUE_WORDS = frozenset({'yes', 'true', '1'})
FALSE_WORDS = frozenset({'no', 'false', '0'})
_ISO_DATE = re.compile(r'^\d{4}-\d{2}-\d{2}$')
_UK_DATE = re.compile(r'^\d{1,2}/\d{1,2}/\d{4}$')
_MAC_SEPARATORS = re.compile(r'[\s:.\-]')
_HEX12 = re.compile(r'^[0-9A-Fa-f]{12}$')


def parse_bool(text: str, default: bool) -> bool:
    """yes/no, true/false, 1/0 in any case; blank is the field's default."""
    word = text.lower()
    if not word:
        return default
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise BadValue(f'"{text}" is not yes or no: write yes, no, true, false, 1 or 0, or leave it blank.')


def parse_date(text: str) -> datetime.date | None:
    """An ISO date (2024-03-31) or a UK one (31/03/2024); blank is no date."""
    if not text:
        return None
    try:
        if _ISO_DATE.match(text):
            return datetime.date.fromisoformat(text)
        if _UK_DATE.match(text):
            return datetime.datetime.strptime(text, '%d/%m/%Y').date()
    except ValueError as exc:
        raise BadValue(f'"{text}" is not a real date.') from exc
    raise BadValue(f'"{text}" is not a date: write it as yyyy-mm-dd (2024-03-31) or dd/mm/yyyy (31/03/2024).')


# The most devices one line (of a register or a return) may count: far beyond any body's estate, and
# far below what would overflow a database integer or Python's reading of a number.
MAX_QUANTITY = 1_000_000


def parse_quantity(text: str) -> int:
    """A whole number of devices, at least 1."""
    if not text:
        raise BadValue('Enter the number of devices.')
    try:
        number = Decimal(text.replace(',', ''))
    except InvalidOperation as exc:
        raise BadValue(f'"{text}" is not a number.') from exc
    if not number.is_finite():
        raise BadValue(f'"{text}" is not a number.')
    if number < 0:
        raise BadValue(f'{text} is negative: enter the number of devices, at least 1.')
    if number != number.to_integral_value():
        raise BadValue(f'{text} is not a whole number of devices.')
    if number < 1:
        raise BadValue('The number of devices must be at least 1.')
    if number > MAX_QUANTITY:
        raise BadValue(f'{text[:20]} is more than {MAX_QUANTITY:,}, the most devices one line may hold.')
    return int(number)


def parse_mac(text: str) -> str:
    """Any common MAC spelling (aa:bb:.., aa-bb-.., aabb.ccdd.eeff) to upper-case colon pairs."""
    if not text:
        return ''
    digits = _MAC_SEPARATORS.sub('', text)
    if not _HEX12.match(digits):
        raise BadValue(f'"{text}" is not a MAC address: write six pairs of hex digits, e.g. 00:1F:54:12:AB:CD.')
    digits = digits.upper()
    return ':'.join(digits[i : i + 2] for i in range(0, 12, 2))


def parse_ip(text: str) -> str | None:
    """An IPv4 or IPv6 address in its usual spelling; blank is none."""
    if not text:
        return None
    try:
        address = ipaddress.ip_address(text)
    except ValueError as exc:
        raise BadValue(f'"{text}" is not an IP address.') from exc
    # The spelling Django's GenericIPAddressField stores, so form and import edits compare equal.
    return clean_ipv6_address(text) if address.version == 6 else str(address)


def parse_choice(text: str, choices, default: str | None = None) -> str:
    """A choice by its code ("external_cctv") or its label ("External CCTV"), in any case.

    `choices` are a field's (code, label) pairs; blank is `default`, or refused when it is None.
    """
    codes = ', '.join(code for code, _ in choices)
    if not text:
        if default is None:
            raise BadValue(f'Choose one of: {codes}.')
        return default
    wanted = text.casefold()
    for code, label in choices:
        if wanted in (code.casefold(), str(label).casefold()):
            return code
    raise BadValue(f'"{text}" is not one of: {codes}.')
