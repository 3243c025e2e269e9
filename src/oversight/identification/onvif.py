"""ONVIF WS-Discovery scopes: what a camera says about itself before anyone signs in.

`onvif://www.onvif.org/hardware/<model>` usually carries the maker's own model number even on relabelled
devices, so it is matched like a model; `/name/<name>` is read as a declared name (relabels change it);
some scopes (`/location/city/hangzhou`) are notes that count for no maker.
"""

from urllib.parse import unquote

from oversight.vendors.resolution import NameIndex

from .signals import LABELS, FieldError, Finding, field_problem, quoted
from .signatures import PatternSet, Signature

_PREFIX = 'onvif://www.onvif.org/'
_LABEL, _SIGNAL = LABELS['onvif_scopes']
# A name scope is set by whoever sells the device, so it weighs less than the same name in a register.
NAME_SCOPE_FACTOR = 0.8


class OnvifScopes:
    def __init__(self, names: NameIndex, models: PatternSet, notes: tuple[Signature, ...]):
        self.names = names
        self.models = models
        self.notes = notes

    def __call__(self, scopes: str | tuple[str, ...] | list[str]) -> tuple[Finding, ...] | FieldError:
        text = scopes if isinstance(scopes, str) else ' '.join(scopes)
        problem = field_problem('onvif_scopes', text)
        if problem:
            return problem
        findings = []
        for scope in text.split():
            if not scope.lower().startswith(_PREFIX):
                continue
            category, _, value = unquote(scope[len(_PREFIX) :], errors='replace').partition('/')
            category = category.lower()
            if category == 'hardware':
                found = self.models.match(value, label=f'{_LABEL} "hardware"')
            elif category == 'name':
                found = self._name(value)
            else:
                found = self._note(f'{category}/{value}')
            if found is not None:
                findings.append(found)
        return tuple(findings)

    def _name(self, value: str) -> Finding | None:
        """A name scope often carries the model too ("HIKVISION DS-2CD2143G0-I"); a model family is stronger."""
        words = value.split()
        for candidate in (value, *words):
            found = self.models.match(candidate, label=f'{_LABEL} "name"')
            if found is not None:
                return found
        for candidate in (value, *words[:1]):
            resolution = self.names.resolve(candidate)
            if resolution.known:
                return Finding.of(
                    resolution.made_by,
                    round(resolution.confidence * NAME_SCOPE_FACTOR, 3),
                    (f'{_LABEL} "name" {quoted(value)}: ' + ' '.join(resolution.evidence),),
                    device=True,
                    signal=_SIGNAL,
                )
        return None

    def _note(self, scope: str) -> Finding | None:
        for note in self.notes:
            if note.pattern.search(scope):
                return Finding.of(
                    note.maker, note.weight, (f'{_LABEL} {quoted(scope)} {note.shows}.',), device=True, signal=_SIGNAL
                )
        return None
