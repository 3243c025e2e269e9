"""Signatures: patterns of model numbers, firmware versions and banners, kept as data with their sources.

One file in signatures/ per maker group (hikvision.json holds HiLook, EZVIZ and Hikmicro too) lists entries
by the kind of value they read (KINDS). An entry is a regular expression, the maker whose products show it,
optionally the brand they are sold under, a weight (how strongly a match points to the maker), what a match
shows (evidence wording), the source that says so, and examples: real values from that source, which the
test suite checks it matches and no other maker's entry does. Makers are written as people write them and
resolved to canonical names through the reference data when the identifier is built.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from oversight.vendors.resolution import NameIndex

from .signals import LABELS, FieldError, Finding, field_problem, quoted

SIGNATURES_DIR = Path(__file__).resolve().parent / 'signatures'

# Entries per memo (values of one field, name pairs, MAC blocks, verdicts): registers repeat the same
# models, firmware and banners endlessly, and a bound keeps memory flat on any input.
CACHE_LIMIT = 8_192


# Banners that a device shows, in which a maker's own name is read when no signature knows the banner.
BANNERS = frozenset({'http_server', 'www_authenticate', 'html_title', 'rtsp_server'})
# A name in a banner is set by whoever built the firmware, usually the maker, but a reseller can set it too.
NAMING_WEIGHT = 0.7
_WORD = re.compile(r'[A-Za-z][A-Za-z0-9-]*')


class SignatureError(ValueError):
    """A signature file is malformed; raised at start-up, never while identifying."""


@dataclass(frozen=True)
class Signature:
    id: str
    pattern: re.Pattern
    maker: str | None  # None: a note that shows something but counts for no maker
    brand: str | None
    weight: float
    shows: str
    quote: bool  # whether evidence quotes the value (not when it is a device's own serial or address)


# What a signature reads, as the keys of a signature file.
KINDS = ('model', 'firmware', 'oui', 'http_server', 'www_authenticate', 'html_title', 'rtsp_server', 'onvif')
REQUIRED = frozenset({'id', 'pattern', 'weight', 'shows', 'source', 'examples'})
# The product lines a model entry may name (its optional `lines`, most important first): a fixed list, so the
# coverage table reads the same across makers.
PRODUCT_LINES = (
    'camera',
    'PTZ camera',
    'thermal camera',
    'traffic and ANPR camera',
    'body-worn camera',
    'recorder',
    'encoder and decoder',
    'storage',
    'access control and intercom',
    'alarm',
    'network equipment',
    'display',
    'automotive and mobile',
    'drone',
    'drone payload',
    'drone dock and controller',
    'radio',
    'machine vision',
    'consumer camera',
    'kit',
)


@cache
def signature_files() -> tuple[tuple[str, dict], ...]:
    """(file name, contents) of every signature file, in name order: one file per maker group."""
    files = []
    for path in sorted(SIGNATURES_DIR.glob('*.json')):
        data = json.loads(path.read_text(encoding='utf-8'))
        unknown = data.keys() - {'about', *KINDS}
        if unknown:
            kinds = ', '.join(KINDS)
            raise SignatureError(f'{path.name}: unknown key {", ".join(sorted(unknown))}; the kinds are {kinds}')
        files.append((path.name, data))
    return tuple(files)


@cache
def load_entries(kind: str) -> tuple[dict, ...]:
    """Every entry of one kind across the signature files, checked; rules for a maker before notes.

    Notes (entries for no maker, such as "looks like a Dahua model; not confirmed") come last, so they
    speak only for a value that no rule recognises.
    """
    rules, notes = [], []
    seen = set()
    for file_name, data in signature_files():
        for entry in data.get(kind, ()):
            where = f'{file_name}: {kind} entry {entry.get("id", "?")}'
            missing = REQUIRED - entry.keys()
            if missing:
                raise SignatureError(f'{where} lacks {", ".join(sorted(missing))}')
            if entry['id'] in seen:
                raise SignatureError(f'{where}: the id is used twice')
            seen.add(entry['id'])
            if not entry['source'].startswith('https://'):
                raise SignatureError(f'{where} needs an https source URL')
            if not 0 <= entry['weight'] <= 1 or (entry.get('maker') is None) != (entry['weight'] == 0):
                raise SignatureError(f'{where} needs a maker and a weight in (0, 1], or neither')
            if not entry['examples'] or not all(isinstance(example, str) for example in entry['examples']):
                raise SignatureError(f'{where} needs examples: real values it matches, from its source')
            if 'lines' in entry:
                if not isinstance(entry['lines'], list) or not entry['lines']:
                    raise SignatureError(f'{where} needs lines: a list of product lines, most important first')
                unknown = [str(line) for line in entry['lines'] if line not in PRODUCT_LINES]
                if unknown:
                    known = ', '.join(PRODUCT_LINES)
                    raise SignatureError(f'{where}: unknown line {", ".join(unknown)}; the lines are {known}')
            (rules if entry.get('maker') else notes).append(entry)
    return (*rules, *notes)


_REALM = re.compile(r'realm=(?:"([^"]*)"|([^,\s]+))', re.IGNORECASE)


def realm(challenge: str) -> str:
    """The realm of a WWW-Authenticate challenge (what identifies the server), or the challenge if it has none."""
    found = _REALM.search(challenge)
    return challenge if found is None else found.group(1) if found.group(1) is not None else found.group(2)


def canonical_maker(names: NameIndex, name: str) -> str:
    """A maker named by a signature, as the reference data spells it (or as written if it is not there)."""
    return names.maker(name) or name


def brand_label(names: NameIndex, name: str) -> str:
    """A brand named by a signature or a firmware string, as the reference data spells it."""
    fact = names.brand(name)
    return fact.name if fact else (names.maker(name) or name)


def compile_signatures(kind: str, names: NameIndex) -> tuple[Signature, ...]:
    signatures = []
    for entry in load_entries(kind):
        flags = 0 if entry.get('case_sensitive') else re.IGNORECASE
        try:
            pattern = re.compile(entry['pattern'], flags)
        except re.error as exc:
            raise SignatureError(f'{kind} entry {entry["id"]} has a bad pattern: {exc}') from exc
        maker = entry.get('maker')
        signatures.append(
            Signature(
                id=entry['id'],
                pattern=pattern,
                maker=canonical_maker(names, maker) if maker else None,
                brand=brand_label(names, entry['brand']) if entry.get('brand') else None,
                weight=float(entry['weight']),
                shows=entry['shows'],
                quote=entry.get('quote', True),
            )
        )
    return tuple(signatures)


class Memo(dict):
    """A bounded memo: a missing key is computed once; when full, the memo starts again.

    Looking a value up is `memo[value]`, a C-level dictionary hit for every value seen before, which is
    what keeps a million rows fast.
    """

    __slots__ = ('compute',)

    def __init__(self, compute: Callable):
        super().__init__()
        self.compute = compute

    def __missing__(self, key):
        if len(self) >= CACHE_LIMIT:
            self.clear()
        value = self[key] = self.compute(key)
        return value


class PatternSet:
    """The signatures of one field, tried in order; the first that matches speaks for the value."""

    def __init__(
        self,
        field: str,
        signatures: tuple[Signature, ...],
        names: NameIndex,
        reduce: Callable[[str], str] | None = None,
    ):
        self.field = field
        self.label, self.signal = LABELS[field]
        self.signatures = signatures
        self.names = names
        # The part of a value that signatures read, for values that differ on every request (a nonce).
        self.reduce = reduce
        self._memo = Memo(self._classify)
        self._shared: dict[tuple, Finding] = {}
        # Classify one value (memoised): a finding, an unreadable-value error, or None.
        self.classify: Callable[[str], Finding | FieldError | None] = (
            self._memo.__getitem__ if reduce is None else self._reduced
        )

    def _reduced(self, value: str) -> Finding | FieldError | None:
        return field_problem(self.field, value) or self._memo[self.reduce(value)]

    def _classify(self, value: str) -> Finding | FieldError | None:
        problem = field_problem(self.field, value)
        if problem:
            return problem
        text = value.strip()
        found = self.match(text)
        if found is None and self.field == 'model':
            found = self._after_name(text)
        elif found is None and self.field in BANNERS:
            found = self._naming(text)
        return found

    def _naming(self, text: str) -> Finding | None:
        """A banner naming its maker or one of the maker's own brands outright ("Sony Network Camera")."""
        words = _WORD.findall(text)
        for size in (2, 1):
            for start in range(len(words) - size + 1):
                name = ' '.join(words[start : start + size])
                maker = self.names.maker(name)
                fact = None if maker else self.names.brand(name)
                if fact and fact.kind != 'relabel':
                    maker = fact.made_by
                if maker:
                    brand = fact.name if fact and fact.made_by != fact.name else None
                    return Finding.of(
                        maker,
                        NAMING_WEIGHT,
                        (f'{self.label} {quoted(text)} names {fact.name if fact else maker} outright.',),
                        device=True,
                        signal=self.signal,
                        brand=brand,
                    )
        return None

    def _after_name(self, text: str) -> Finding | None:
        """A model written after its maker or brand ("Hikvision DS-2CD2143G2-I", "HiLook THC-B120-PC")."""
        for words in (1, 2):
            parts = text.split(maxsplit=words)
            if len(parts) <= words:
                return None
            head = ' '.join(parts[:words])
            if self.names.maker(head) or self.names.brand(head):
                return self.match(parts[words], shown=text)
        return None

    def match(
        self, text: str, weight_factor: float = 1.0, label: str | None = None, shown: str | None = None
    ) -> Finding | None:
        """The finding of the first signature matching `text`; evidence quotes `shown` (default: the text)."""
        if not text:
            return None
        for signature in self.signatures:
            found = signature.pattern.search(text)
            if found is None:
                continue
            if not signature.quote:
                return self._unquoted(signature, weight_factor, label or self.label)
            evidence = f'{label or self.label} {quoted(shown or text)} {signature.shows}.'
            brand = signature.brand
            vendor = found.groupdict().get('vendor')
            if vendor:
                vendor = vendor.strip()
                evidence += f' It was built for "{vendor}".'
                label_for_vendor = brand_label(self.names, vendor)
                if label_for_vendor != signature.maker and (self.names.brand(vendor) or self.names.maker(vendor)):
                    brand = label_for_vendor
            return Finding.of(
                signature.maker,
                round(signature.weight * weight_factor, 3),
                (evidence,),
                device=True,
                signal=self.signal,
                brand=brand,
            )
        return None

    def _unquoted(self, signature: Signature, weight_factor: float, label: str) -> Finding:
        """One shared finding for a signature whose values are unique to each device (a serial number)."""
        key = (signature.id, weight_factor, label)
        if key not in self._shared:
            self._shared[key] = Finding.of(
                signature.maker,
                round(signature.weight * weight_factor, 3),
                (f'{label} {signature.shows}.',),
                device=True,
                signal=self.signal,
                brand=signature.brand,
            )
        return self._shared[key]
