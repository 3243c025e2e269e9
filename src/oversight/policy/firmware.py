"""Firmware version strings as Hikvision and Dahua write them, read for comparison with vulnerability data.

Hikvision writes `V5.4.0 build 160530` (version, then the build date as yymmdd). Dahua writes
`2.800.0000000.29.R.210630`, `2.800.0000000.8.R.20241111` or `2.420.Dahua 00.15.R, build: 2016-01-23`:
the version does not order releases across product lines, but the build date does, and the CVE
records say "Buildtime before June, 2021". Anything else reads as unknown, never as a guess.
"""

import datetime
import re

# Firmware fields are short; reading a bounded prefix keeps absurd input cheap.
_MAX_CHARS = 200
_HIKVISION = re.compile(r'^\s*V?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\s*build\s*(\d{6})(?!\d)', re.IGNORECASE)
_ISO_DATE = re.compile(r'(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)')
_DAHUA_SUFFIX = re.compile(r'\.R\.(\d{8}|\d{6})(?!\d)', re.IGNORECASE)

HikvisionVersion = tuple[int, int, int, int]


def hikvision_version(text: str) -> HikvisionVersion | None:
    """(major, minor, patch, build) of a Hikvision firmware string, ordered as releases are."""
    match = _HIKVISION.match((text or '')[:_MAX_CHARS])
    if match is None:
        return None
    return tuple(int(part) for part in match.groups())


def _date(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _yymmdd(digits: str) -> datetime.date | None:
    if len(digits) == 8:
        return _date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    return _date(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:]))


def build_date(text: str) -> datetime.date | None:
    """The build date a Hikvision or Dahua firmware string carries, if it carries one."""
    text = (text or '')[:_MAX_CHARS]
    if match := _ISO_DATE.search(text):
        return _date(*(int(part) for part in match.groups()))
    if match := _DAHUA_SUFFIX.search(text):
        return _yymmdd(match.group(1))
    if match := _HIKVISION.match(text):
        return _yymmdd(match.group(4))
    return None
