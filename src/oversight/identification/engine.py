"""Who made a device: every signal that fired, combined into one maker with a confidence and the evidence.

How signals combine (docs/identification.md says it at length):

- Each finding points to a maker with a weight. A maker's support is the noisy-OR of the weights of the
  findings pointing to it, 1 - (1 - w1)(1 - w2)...: agreeing signals add up without reaching certainty.
- What the device itself shows (firmware, MAC, banners, model family, ONVIF scopes) outranks what a person
  declared (maker and brand names): the maker with the most device support wins; with no device findings,
  the best-supported declared maker wins.
- A rival maker with support lowers the confidence by half of the rival's support: c = s(1 - r/2).
- Confidence never exceeds 0.99; an unknown maker has confidence 0 and concern unknown (null).

Nothing here queries the database: `Identifier.from_db()` reads the reference data once. Classifiers
memoise per distinct value and findings share interned votes, so the verdict for a combination of votes
is computed once; `answer_json` assembles an output line from pieces encoded once. A million rows cost a
few dictionary lookups each.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass

from oversight.vendors.resolution import NameIndex

from .designations import DesignationIndex
from .names import DeclaredNames
from .onvif import OnvifScopes
from .oui import OuiTable
from .signals import FIELDS, LABELS, FieldError, Finding, Signals, Vote, quoted
from .signatures import Memo, PatternSet, compile_signatures, realm

MAX_CONFIDENCE = 0.99


@dataclass(frozen=True)
class Identification:
    """Who made a device, for whom (the brand it is sold under), how sure, why, and who has concerns."""

    maker: str | None  # canonical name of who made it; None when unknown
    brand: str | None  # the brand it is sold under when that is a relabel or sub-brand ("made for")
    confidence: float  # 0..1
    evidence: tuple[str, ...]  # one line per signal that fired, then how they were weighed
    concern: bool | None  # named by a concern list (the maker, or the maker it was declared as); None if unknown
    designations: tuple[dict, ...]  # see designations.py for the shape
    error: str | None = None  # why the input could not be read (names the column); the rest is then unknown

    def as_dict(self) -> dict:
        """The documented JSON object of `oversight identify`."""
        data = {
            'maker': self.maker,
            'concern': self.concern,
            'designations': list(self.designations),
            'confidence': self.confidence,
            'evidence': list(self.evidence),
        }
        if self.error is not None:
            data['error'] = self.error
        return data

    @property
    def json(self) -> str:
        return json.dumps(self.as_dict())


def unknown(error: str | None = None) -> Identification:
    return Identification(None, None, 0.0, (), None, (), error)


@dataclass(frozen=True)
class Verdict:
    """What a combination of votes decides; shared by every device showing the same votes."""

    maker: str | None
    brand: str | None
    confidence: float
    summary: tuple[str, ...]  # evidence lines about the weighing (disagreement, made for)
    concern: bool | None
    designations: tuple[dict, ...]
    head_json: str  # the output line up to the evidence items
    summary_json: str  # the summary as JSON array items


class Identifier:
    """Built once from the reference data and the signature files; identifies any number of devices."""

    def __init__(self, names: NameIndex, designations: DesignationIndex):
        self.designations = designations
        self.declared = DeclaredNames(names)
        models = PatternSet('model', compile_signatures('model', names), names)
        # In FIELDS order after manufacturer and brand, which are read together.
        self.classifiers = tuple(
            classifier.classify
            for classifier in (
                models,
                PatternSet('firmware', compile_signatures('firmware', names), names),
                OuiTable(names),
                PatternSet('http_server', compile_signatures('http_server', names), names),
                PatternSet('www_authenticate', compile_signatures('www_authenticate', names), names, reduce=realm),
                PatternSet('html_title', compile_signatures('html_title', names), names),
                PatternSet('rtsp_server', compile_signatures('rtsp_server', names), names),
            )
        )
        # Scopes repeat from device to device (a model's cameras announce the same ones): each set read once.
        self.onvif = Memo(OnvifScopes(names, models, compile_signatures('onvif', names)))
        self._verdicts = Memo(self._decide)

    @classmethod
    def from_db(cls, concern_list: str | None = None) -> 'Identifier':
        """Read the reference data once; `concern_list` (a slug) limits designations to that list."""
        return cls(NameIndex.from_db(), DesignationIndex.from_db(concern_list))

    def identify(self, signals: Signals) -> Identification:
        """The public entry point: everything known about one device, in, who made it, out."""
        values = [_text(getattr(signals, field)) for field in FIELDS]
        extra: tuple[Finding, ...] = ()
        scopes = signals.onvif_scopes
        if scopes:
            if isinstance(scopes, tuple | list):
                scopes = ' '.join(scopes)  # as OnvifScopes reads them, and a key the memo can keep
            found = self.onvif[scopes if isinstance(scopes, str) else str(scopes)]
            if isinstance(found, FieldError):
                return unknown(str(found))
            extra = found
        return self.identify_values(values, extra)

    def identify_values(self, values: Sequence[str], extra: tuple[Finding, ...] = ()) -> Identification:
        """Nine strings in FIELDS order (empty when not known)."""
        findings = self.findings(values)
        if isinstance(findings, FieldError):
            return unknown(str(findings))
        findings.extend(extra)
        verdict = self.verdict(findings)
        evidence = tuple(line for finding in findings for line in finding.evidence) + verdict.summary
        if verdict.maker is None and (unknown_line := looked_at(values)):
            evidence += (unknown_line,)
        return Identification(
            verdict.maker, verdict.brand, verdict.confidence, evidence, verdict.concern, verdict.designations
        )

    def findings(self, values: Sequence[str]) -> list[Finding] | FieldError:
        """What each of the nine values shows, or the first value that cannot be read."""
        findings: list[Finding] = []
        if values[0] or values[1]:
            found = self.declared(values[0], values[1])
            if found is not None:
                if found.__class__ is FieldError:
                    return found
                findings.append(found)
        for classify, value in zip(self.classifiers, values[2:]):  # noqa: B905 - nine values, checked by callers
            if value:
                found = classify(value)
                if found is not None:
                    if found.__class__ is FieldError:
                        return found
                    findings.append(found)
        return findings

    def answer_json(self, findings: list[Finding], values: Sequence[str]) -> str:
        """The output line for the findings of these values, assembled from pieces encoded once."""
        verdict = self.verdict(findings)
        items = [finding.evidence_json for finding in findings]
        if verdict.summary_json:
            items.append(verdict.summary_json)
        if verdict.maker is None and (unknown_line := looked_at(values)):
            items.append(json.dumps(unknown_line))
        return verdict.head_json + ', '.join(items) + ']}'

    def verdict(self, findings: list[Finding]) -> Verdict:
        return self._verdicts[tuple([finding.vote for finding in findings])]

    def _decide(self, votes: tuple[Vote, ...]) -> Verdict:
        doubt: dict[str, list[float]] = {}  # maker -> [1 - support, 1 - device support]
        for vote in votes:
            if vote.maker is not None:
                left = doubt.setdefault(vote.maker, [1.0, 1.0])
                left[0] *= 1 - vote.weight
                if vote.device:
                    left[1] *= 1 - vote.weight
        if not doubt:
            return _verdict(None, None, 0.0, (), ())
        ranked = sorted(doubt, key=lambda maker: (doubt[maker][1], doubt[maker][0], maker))
        maker = ranked[0]
        support = 1 - doubt[maker][0]
        rival = max((1 - doubt[other][0] for other in ranked[1:]), default=0.0)
        confidence = round(min(MAX_CONFIDENCE, support * (1 - rival / 2)), 2)
        summary = []
        if len(ranked) > 1:
            device_led = doubt[maker][1] < 1.0 and doubt[ranked[1]][1] == 1.0
            summary.append(_disagreement(votes, ranked, device_led))
        declared = next((v for v in votes if not v.device and v.maker is not None), None)
        brand = declared.brand if declared else None
        if brand is None:
            brand = next((v.brand for v in votes if v.maker == maker and v.brand), None)
        if brand:
            summary.append(f'Made by {maker} for {brand}.')
        makers = (maker,)
        if declared and declared.declared and declared.declared != maker:
            makers += (declared.declared,)
        return _verdict(maker, brand, confidence, tuple(summary), self.designations.of(makers))


def looked_at(values: Sequence[str]) -> str | None:
    """What an unknown result adds to its evidence: which values were read, none pointing to a maker."""
    read = [f'{LABELS[field][1]} {quoted(value)}' for field, value in zip(FIELDS, values) if value]  # noqa: B905
    if not read:
        return None
    return f'Who made it is unknown: nothing read points to a maker, and nothing is guessed. Read: {"; ".join(read)}.'


def _verdict(maker, brand, confidence, summary, designations) -> Verdict:
    concern = None if maker is None else bool(designations)
    head = json.dumps(
        {'maker': maker, 'concern': concern, 'designations': list(designations), 'confidence': confidence}
    )
    return Verdict(
        maker,
        brand,
        confidence,
        summary,
        concern,
        designations,
        head_json=f'{head[:-1]}, "evidence": [',
        summary_json=', '.join(json.dumps(line) for line in summary),
    )


def _disagreement(votes: tuple[Vote, ...], ranked: list[str], device_led: bool) -> str:
    pointing = []
    for maker in ranked:
        signals = list(dict.fromkeys(v.signal for v in votes if v.maker == maker))
        verb = 'points' if len(signals) == 1 else 'point'
        pointing.append(f'{_and(signals)} {verb} to {maker}')
    reason = 'what the device itself shows outweighs what was declared' if device_led else 'its evidence is stronger'
    return f'Signals disagree: {"; ".join(pointing)}. {ranked[0]} is taken because {reason}.'


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f'{", ".join(items[:-1])} and {items[-1]}'


def _text(value) -> str:
    return '' if value is None else value if isinstance(value, str) else str(value)
