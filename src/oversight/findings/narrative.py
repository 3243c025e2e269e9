"""The report's text: placeholders bound to computed figures, and the check of figures typed by hand.

The regulator writes the text with placeholders such as ``{{ drone.aware }}`` or
``{{ response_rate }}``; publishing binds each to the figure it names, so a stated figure cannot
drift from the data. A number typed by hand instead is read in its sentence and recomputed: when the
sentence says which figure it is ("the return rate dipped to 91%", "at least 20 respondents say that
their external camera systems use equipment ... of concern") and the data disagree, publication is
blocked with the figure, the typed value and the computed value. Percentages are figures, and so are
the words "no", "all", "every", "most" and "half" used as counts ("No respondent uses…", "All forces
replied"): each is checked the same way. A number or claim whose figure the checker cannot tell is
listed as unchecked, and publication waits until the regulator confirms that list as it stands.
docs/findings.md describes the rules.
"""

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import pgettext

from oversight.core.languages import english, in_welsh

from .report import percent, percent_text

# Placeholders ---------------------------------------------------------------------------------------

PLACEHOLDER = re.compile(r'\{\{\s*([A-Za-z0-9_.\-]*)\s*((?:\|\s*[A-Za-z_]*\s*)*)\}\}')
MEASURES = (
    'respondents',
    'operating',
    'operating_unknown',
    'with_concern',
    'concern_unknown',
    'aware',
    'aware_unknown',
    'devices',
    'devices_of_concern',
    'lines_unresolved',
    'quantity_unknown',
)
_UNITS = [
    'zero',
    'one',
    'two',
    'three',
    'four',
    'five',
    'six',
    'seven',
    'eight',
    'nine',
    'ten',
    'eleven',
    'twelve',
    'thirteen',
    'fourteen',
    'fifteen',
    'sixteen',
    'seventeen',
    'eighteen',
    'nineteen',
]
_TENS = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety']


def in_words(number: int) -> str:
    """A whole number in words below a hundred ("thirty-nine"); digits from a hundred up.

    In Welsh, digits: a Welsh number word takes the gender of the noun after it and mutates, which a placeholder
    cannot know."""
    if in_welsh():
        return f'{number:,}'
    if 0 <= number < 20:
        return _UNITS[number]
    if 20 <= number < 100:
        tens, unit = divmod(number, 10)
        return _TENS[tens - 2] + (f'-{_UNITS[unit]}' if unit else '')
    return f'{number:,}'


def joined(names) -> str:
    """ "Dahua, Hikvision and Nuuo"; "none" for an empty list. In the active language (Welsh "a", "ac" before a
    vowel)."""
    names = list(names)
    if not names:
        return pgettext('an empty list of names', 'none')
    if len(names) == 1:
        return names[0]
    if names[-1][:1].lower() in 'aeiou':
        conjunction = pgettext('joining the last name of a list, before a vowel', 'and')
    else:
        conjunction = pgettext('joining the last name of a list', 'and')
    return f'{", ".join(names[:-1])} {conjunction} {names[-1]}'


def namespace(data: dict) -> dict[str, object]:
    """Every placeholder name and its value, from a report's data (live or frozen)."""
    responses = data['responses']
    names: dict[str, object] = {
        'year': data['campaign']['year'],
        'campaign': data['campaign']['title'],
        'invited': responses['invited'],
        'responded': responses['responded'],
        'on_time': responses['on_time'],
        'late': responses['late'],
        'non_respondents': len(responses['non_respondents']),
        'non_respondent_names': joined(responses['non_respondents']),
        'response_rate': percent_text(responses['responded'], responses['invited']),
        'response_rate_exact': percent_text(responses['responded'], responses['invited'], 1),
        'respondents': data['respondents'],
        'with_concern_any': data['with_concern_any'],
        'makers_of_concern': joined(data['manufacturers_of_concern']),
        'concern_list': data['concern_list']['name'],
    }
    for prefix, rows in (('', data['categories']), ('published.', data['published_categories'])):
        for row in rows:
            for measure in MEASURES:
                names[f'{prefix}{row["code"]}.{measure}'] = row[measure]
            names[f'{prefix}{row["code"]}.makers'] = joined(row['manufacturers_of_concern'])
    series = data['series']
    for position, entry in enumerate(series):
        prefixes = [f'y{entry["year"]}.']
        if position == len(series) - 2:
            prefixes.append('previous.')
        for prefix in prefixes:
            names[f'{prefix}year'] = entry['year']
            names[f'{prefix}invited'] = entry['invited']
            names[f'{prefix}responded'] = entry['responded']
            names[f'{prefix}response_rate'] = percent_text(entry['responded'], entry['invited'])
            for code, row in entry['categories'].items():
                for measure, value in row.items():
                    names[f'{prefix}{code}.{measure}'] = value
    return names


FILTERS = {
    'words': lambda value: in_words(value) if isinstance(value, int) else value,
    'capfirst': lambda value: value[:1].upper() + value[1:],
}


def render(text: str, names: dict[str, object]) -> tuple[str, list[str]]:
    """The text with every placeholder bound, and a message for each one that cannot be."""
    problems: list[str] = []

    def bind(match: re.Match) -> str:
        name = match.group(1)
        if name not in names:
            problems.append(
                f'The placeholder {match.group(0)} names no figure: the figures are listed beside the text.'
            )
            return match.group(0)
        value = names[name]
        for filter_name in (f.strip() for f in match.group(2).split('|')[1:]):
            if filter_name not in FILTERS:
                problems.append(f'{match.group(0)}: "{filter_name}" is not a filter (use {", ".join(FILTERS)}).')
                return match.group(0)
            value = FILTERS[filter_name](str(value) if filter_name == 'capfirst' else value)
        return str(value)

    return PLACEHOLDER.sub(bind, text or ''), problems


@dataclass(frozen=True)
class Block:
    kind: str  # "heading" or "paragraph"
    text: str


def blocks(text: str) -> list[Block]:
    """Paragraphs separated by blank lines; a line starting "## " is a heading."""
    found = []
    for chunk in re.split(r'\n\s*\n', (text or '').replace('\r\n', '\n')):
        lines = [line.strip() for line in chunk.strip().split('\n') if line.strip()]
        paragraph: list[str] = []
        for line in lines:
            if line.startswith('## '):
                if paragraph:
                    found.append(Block('paragraph', ' '.join(paragraph)))
                    paragraph = []
                found.append(Block('heading', line[3:].strip()))
            else:
                paragraph.append(line)
        if paragraph:
            found.append(Block('paragraph', ' '.join(paragraph)))
    return found


# The check of typed figures --------------------------------------------------------------------------

CATEGORY_TERMS = {
    'external_cctv': r'external',
    'internal_cctv': r'internal',
    'anpr': r'\banpr\b|number[- ]plate',
    'body_worn_video': r'body[- ]?worn|\bbwv\b',
    'drone': r'\bdrones?\b|\buavs?\b|unmanned aerial',
    'helicopter': r'helicopter',
    'facial_recognition': r'facial[- ]recognition|\blfr\b|\bfrt\b',
}
_CATEGORY = re.compile('|'.join(f'(?P<{code}>{pattern})' for code, pattern in CATEGORY_TERMS.items()), re.I)
_WORD_NUMBER = r'(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|none)'  # noqa: E501
NUMBER = re.compile(
    r'(?<![\w.,/\-£$€])'
    r'(?:(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<decimals>\d+))?|(?P<word>' + _WORD_NUMBER + r'))'
    r'(?P<percent>\s?%|\s?per\s?cent\b|\s?percent\b)?'
    r'(?![\w/\-]|\.\d|\(\d)',
    re.I,
)
COUNT_NOUNS = re.compile(
    r'^\s*(?:(?:of|among)\s+(?:the|them|those|these)\b|(?:[a-z\-]+\s+){0,2}?'
    r'(?:respondents?|responses?|returns?|forces?|bodies|body|organi[sz]ations?|agencies|agency|operators?|'
    r'authorities|chief officers?|services?))',
    re.I,
)
DEVICE_NOUNS = re.compile(r'^\s*(?:[a-z\-]+\s+){0,2}?(?:cameras?|devices?|units?|aircraft|drones)\b', re.I)
OF_TOTAL = re.compile(
    r'^\s*(?:out\s+)?of\s+(?:the\s+|a\s+(?:possible\s+)?(?:total\s+of\s+)?|all\s+)?(?P<whole>\d+|'
    + _WORD_NUMBER
    + r')\b',
    re.I,
)
REFERENCE_BEFORE = re.compile(
    r'(?:\b(?:section|sections|s|ss|paragraph|paragraphs|para|paras|question|questions|q|principle|principles|'
    r'annex|page|pages|figure|table|chapter|part|schedule|article|regulation|version|number|no|step|item|'
    r'january|february|march|april|may|june|july|august|september|october|november|december)\.?\s*)$',
    re.I,
)
UNIT_AFTER = re.compile(
    r'^\s*(?:(?:[a-z\-]+\s+)?(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|questions?|principles?)\b|'
    r'(?:am|pm)\b|'
    r'(?:january|february|march|april|may|june|july|august|september|october|november|december)\b)',
    re.I,
)
AT_LEAST = re.compile(r'\b(?:at least|only|just|some|all)\s*$', re.I)
AWARE = re.compile(r'\baware', re.I)
CONCERN = re.compile(r'concern|security or ethical|ethical or security', re.I)
OPERATE = re.compile(r'\boperat|\buse[sd]?\b|\busing\b|\bdeploy|\bhave\b|\bhas\b|\bhad\b', re.I)
RESPONSE = re.compile(r'respon|return|replied|repl(?:y|ies)|received|submitted', re.I)
RATE = re.compile(r'\brates?\b', re.I)
NOT_RESPONDED = re.compile(r'did not (?:respond|reply|return|submit)|non-?respon|no return|failed to', re.I)
LATE = re.compile(r'\blate\b|after the (?:deadline|closing date)', re.I)
ON_TIME = re.compile(r'on time|by the (?:deadline|closing date)|before the (?:deadline|closing date)', re.I)
INVITED = re.compile(r'survey(?:ed)?|invited|asked|sent|recipients|possible total|wrote', re.I)
PREVIOUS = re.compile(r'\b(?:previous|earlier|past|prior|last)\b', re.I)
YEAR = re.compile(r'(?<!\d)(?:19|20)\d{2}(?!\d)')
SENTENCES = re.compile(r'(?<=[.!?])["”’)]*\s+(?=["“‘(]?[A-Z0-9])|;\s+|\n+')
CLAUSE_BREAK = re.compile(r',\s|\s[-–—]\s|\(|\)')


@dataclass(frozen=True)
class Figure:
    """A computed figure a typed number is compared with."""

    label: str
    value: int | tuple[int, int]  # a count, or (part, whole) for a percentage
    explanation: str = ''

    def stated(self, places: int = 0) -> str:
        if isinstance(self.value, tuple):
            return percent_text(*self.value, places)
        return str(self.value)


@dataclass(frozen=True)
class Typed:
    """A number typed in the text, the figure it was read as, and whether the data agree."""

    typed: str
    figure: str
    computed: str
    agrees: bool
    sentence: str
    explanation: str = ''

    @property
    def message(self) -> str:
        because = f' ({self.explanation})' if self.explanation else ''
        return (
            f'{self.figure}: the text says {self.typed} but the data give {self.computed}{because}, '
            f'in “{self.sentence}”'
        )


@dataclass
class Check:
    typed: list[Typed] = field(default_factory=list)
    unchecked: list[tuple[str, str]] = field(default_factory=list)  # (number as typed, sentence)
    placeholder_problems: list[str] = field(default_factory=list)
    correction_problems: list[str] = field(default_factory=list)

    @property
    def unchecked_fingerprint(self) -> str:
        """What the regulator confirms: a different list (the text changed) needs confirming again."""
        return hashlib.sha256(repr(self.unchecked).encode()).hexdigest()

    @property
    def disagreements(self) -> list[Typed]:
        return [t for t in self.typed if not t.agrees]

    @property
    def blocking(self) -> list[str]:
        """Why the text cannot be published; empty when it can."""
        return (
            [t.message for t in self.disagreements]
            + self.placeholder_problems
            + [
                f'{p} A correction that changes a published figure must be flagged to be published as an Update.'
                for p in self.correction_problems
            ]
        )


def _value(match: re.Match) -> tuple[Decimal, int] | None:
    """(value, decimal places) of a NUMBER match."""
    if match.group('digits'):
        digits = match.group('digits').replace(',', '')
        decimals = match.group('decimals') or ''
        return Decimal(f'{digits}.{decimals}' if decimals else digits), len(decimals)
    word = match.group('word').lower().replace(' ', '-')
    if word == 'none':
        return Decimal(0), 0
    for number in range(100):
        if in_words(number) == word:
            return Decimal(number), 0
    return None


class Book:
    """The computed figures of a report's data, looked up by what a sentence says."""

    def __init__(self, data: dict):
        self.data = data
        self.year = data['campaign']['year']
        self.rows = {row['code']: row for row in data['categories']}
        self.series = {entry['year']: entry for entry in data['series']}
        self.makers = sorted(
            {d['maker'] for d in data['concern_list']['designations']} | set(data['concern_list']['makers_covered']),
            key=len,
            reverse=True,
        )

    def responses(self, year: int) -> dict:
        return self.data['responses'] if year == self.year else self.series[year]

    def response_figure(self, year: int, measure: str) -> Figure | None:
        entry = self.responses(year)
        invited, responded = entry['invited'], entry['responded']
        of = f'{year} survey' if year != self.year else 'survey'
        if measure == 'response_rate':
            return Figure(f'The {of} response rate', (responded, invited), f'{responded} of {invited} bodies invited')
        labels = {
            'responded': 'Responses received',
            'invited': 'Bodies invited',
            'late': 'Late returns',
            'on_time': 'Returns on time',
            'non_respondents': 'Bodies that did not respond',
        }
        if measure not in labels:
            return None
        value = len(entry['non_respondents']) if measure == 'non_respondents' else entry[measure]
        return Figure(f'{labels[measure]} ({year})', value)

    def category_figure(self, year: int, code: str, measure: str, maker: str | None = None) -> Figure | None:
        label = self.rows[code]['label']
        row = self.rows[code] if year == self.year else self.series[year]['categories'].get(code)
        if row is None or (maker and year != self.year):
            return None
        if maker:
            value = self.rows[code]['respondents_by_maker'].get(maker, 0)
            return Figure(f'{label}: respondents with equipment made by {maker} ({year})', value)
        labels = {
            'operating': 'respondents operating it',
            'with_concern': 'respondents with equipment of concern',
            'aware': 'respondents with equipment of concern who are aware of the concerns',
            'respondents': 'respondents',
            'devices': 'devices',
            'devices_of_concern': 'devices from makers of concern',
        }
        if measure not in row or measure not in labels:
            return None
        return Figure(f'{label}: {labels[measure]} ({year})', row[measure])


def _category(clause: str, sentence: str, offset: int) -> str | None:
    """The category a number at `offset` of the sentence is about: its clause's, else the sentence's nearest."""
    in_clause = {m.lastgroup for m in _CATEGORY.finditer(clause)}
    if len(in_clause) == 1:
        return in_clause.pop()
    found = [(m.start(), m.lastgroup) for m in _CATEGORY.finditer(sentence)]
    if not found:
        return None
    after = [code for start, code in found if start > offset]
    return after[0] if after else found[-1][1]


def _clause(sentence: str, start: int, end: int) -> str:
    left = max((m.end() for m in CLAUSE_BREAK.finditer(sentence, 0, start)), default=0)
    right = next((m.start() for m in CLAUSE_BREAK.finditer(sentence, end)), len(sentence))
    return sentence[left:right]


def _years(sentence: str, book: Book, clause: str, offset: int) -> list[int] | None:
    """Which campaigns a number speaks of: a year named in its clause or sentence, earlier ones, or this one."""
    named = [int(y) for y in YEAR.findall(clause) if int(y) in book.series]
    if not named:
        in_sentence = [(m.start(), int(m.group(0))) for m in YEAR.finditer(sentence) if int(m.group(0)) in book.series]
        if len({year for _start, year in in_sentence}) == 1:
            named = [in_sentence[0][1]]
        else:
            named = [year for start, year in in_sentence if start < offset][-1:]
    if named:
        return [named[0]]
    if PREVIOUS.search(clause) or (PREVIOUS.search(sentence) and not YEAR.search(sentence)):
        return [year for year in book.series if year < book.year] or None
    return [book.year]


def _maker(text: str, book: Book) -> str | None:
    named = [m for m in book.makers if re.search(rf'\b{re.escape(m)}\b', text, re.I)]
    return named[0] if len(named) == 1 else None


def check(text: str, data: dict, names: dict | None = None, *, welsh: str = '') -> Check:
    """Check the text: placeholders must name figures; typed figures must agree with the data.

    The Welsh text (`welsh`, optional) is not read for what its numbers mean: its placeholders must name figures,
    and every number typed in it is listed as unchecked, for the regulator to confirm."""
    result = Check()
    names = names if names is not None else namespace(data)
    # Numbers in words are read in English, whatever the language of the page asking.
    with english():
        _rendered, result.placeholder_problems = render(text, names)
        result.correction_problems = list(data.get('unflagged_changes') or [])
        book = Book(data)
        masked = PLACEHOLDER.sub(' ⟨figure⟩ ', text or '')
        for sentence in SENTENCES.split(masked):
            sentence = ' '.join(sentence.split())
            if sentence:
                _check_sentence(sentence, book, result)
    if welsh.strip():
        _rendered, problems = render(welsh, names)
        result.placeholder_problems += [f'In the Welsh text: {problem}' for problem in problems]
        for sentence in SENTENCES.split(PLACEHOLDER.sub(' ⟨figure⟩ ', welsh)):
            sentence = ' '.join(sentence.split())
            for number in NUMBER.finditer(sentence):
                if number.group('digits') and (number.group('percent') or not YEAR.fullmatch(number.group(0))):
                    result.unchecked.append((number.group(0).strip(), sentence))
    return result


def _numbers(sentence: str) -> list[re.Match]:
    found = []
    for match in NUMBER.finditer(sentence):
        before, after = sentence[: match.start()], sentence[match.end() :]
        digits = match.group('digits') or ''
        if not match.group('percent') and not match.group('decimals') and YEAR.fullmatch(digits):
            continue
        if REFERENCE_BEFORE.search(before) or (not match.group('percent') and UNIT_AFTER.match(after)):
            continue
        # "(3)" is a reference; "(97%)" is a figure.
        if before.endswith('(') and after.startswith(')') and not match.group('percent'):
            continue
        # A number in words is a figure only before a counted noun ("thirty-nine responses", "none of the forces").
        counted = COUNT_NOUNS.match(after) or DEVICE_NOUNS.match(after) or OF_TOTAL.match(after)
        if match.group('word') and not match.group('percent') and not counted:
            continue
        # "One of the forces" is an idiom, not a count; "none of the forces" is a count.
        if (match.group('word') or '').lower() == 'one' and re.match(r'\s*(?:of|among)\b', after, re.I):
            continue
        found.append(match)
    return found


def _check_sentence(sentence: str, book: Book, result: Check) -> None:
    numbers = _numbers(sentence)
    consumed: set[int] = set()
    for index, match in enumerate(numbers):
        if match.start() in consumed:
            continue
        after = sentence[match.end() :]
        window_end = numbers[index + 1].start() if index + 1 < len(numbers) else len(sentence)
        window = sentence[match.end() : window_end]
        clause = _clause(sentence, match.start(), match.end())
        category = _category(clause, sentence, match.start())
        years = _years(sentence, book, clause, match.start())
        whole = OF_TOTAL.match(after)
        partner = None
        if whole and not match.group('percent'):
            partner = next((n for n in numbers[index + 1 :] if n.start() == match.end() + whole.start('whole')), None)
        bindings: list[tuple[re.Match, str | None]] = []
        if partner is not None:
            consumed.add(partner.start())
            rest = sentence[partner.end() :]
            if category is None:
                bindings = [(match, 'responded'), (partner, 'invited')]
            elif AWARE.search(sentence):
                bindings = [(match, 'aware'), (partner, 'operating' if OPERATE.search(rest) else 'with_concern')]
            elif CONCERN.search(sentence) or _maker(sentence, book):
                bindings = [(match, 'with_concern'), (partner, 'operating' if OPERATE.search(rest) else 'respondents')]
            else:
                bindings = [(match, 'operating'), (partner, 'respondents')]
        else:
            bindings = [(match, _measure(match, sentence, window, category, book))]
        for number, measure in bindings:
            _compare(number, measure, category, years, sentence, window, book, result)
    _check_quantifiers(sentence, numbers, book, result)


# Words used as counts: "No respondent…", "All forces…", "Most of the respondents…", "Nearly every force…".
QUANTIFIER = re.compile(
    r'\b(?P<quantifier>(?:nearly|almost|virtually)\s+(?:all|every)|the\s+majority|no|all|every|each|most|half)'
    r'(?:\s+of)?(?:\s+(?:the|them|those|these))?\b',
    re.I,
)
QUANTIFIER_KIND = {'no': 'none', 'all': 'all', 'every': 'all', 'each': 'all', 'most': 'most', 'half': 'half'}
QUANTIFIER_KIND['the majority'] = 'most'
# The whole a quantified figure is a part of: "all respondents operate drones" is operating = respondents.
WHOLE = {
    'responded': 'invited',
    'non_respondents': 'invited',
    'late': 'responded',
    'on_time': 'responded',
    'operating': 'respondents',
    'with_concern': 'operating',
    'aware': 'with_concern',
}
RESPONDED_VERB = re.compile(r'\b(?:replied|responded|returned|submitted|answered)\b', re.I)


def _claim_holds(kind: str, part: int, whole: int | None) -> bool | None:
    if kind == 'none':
        return part == 0
    if whole is None:
        return None
    return {'all': part == whole, 'most': 2 * part > whole, 'half': abs(2 * part - whole) <= 1}[kind]


def _check_quantifiers(sentence: str, numbers: list[re.Match], book: Book, result: Check) -> None:
    """Each quantifier word used as a count is checked like a number, or listed as unchecked."""
    for match in QUANTIFIER.finditer(sentence):
        before, after = sentence[: match.start()], sentence[match.end() :]
        # "all 43 forces": the number is the figure, and is read as one.
        if NUMBER.match(after.lstrip()) or not (COUNT_NOUNS.match(after) or DEVICE_NOUNS.match(after)):
            continue
        typed = match.group(0).strip()
        kind = QUANTIFIER_KIND.get(' '.join(match.group('quantifier').lower().split()))
        following = [n.start() for n in numbers if n.start() > match.end()]
        window = sentence[match.end() : following[0] if following else len(sentence)]
        clause = _clause(sentence, match.start(), match.end())
        category = _category(clause, sentence, match.start())
        years = _years(sentence, book, clause, match.start())
        measure = _measure_of(before, after, False, sentence, window, category, book)
        # With no category, a quantifier is about responding only when a verb says so ("every force replied to
        # the survey"); "no respondent says…" is not.
        if category is None and measure in ('responded', 'invited'):
            measure = 'responded' if RESPONDED_VERB.search(window) else None
        if kind is None or measure is None or not years:
            result.unchecked.append((typed, sentence))
            continue
        for year in years:
            part, whole = _part_and_whole(book, year, category, measure, sentence)
            holds = None if part is None else _claim_holds(kind, part.value, whole.value if whole else None)
            if holds is None:
                result.unchecked.append((typed, sentence))
                break
            computed = str(part.value) if kind == 'none' else f'{part.value} of {whole.value}'
            result.typed.append(Typed(typed, part.label, computed, holds, sentence.strip(), part.explanation))


def _part_and_whole(book: Book, year: int, category, measure: str, sentence: str):
    if category is None:
        part = book.response_figure(year, measure)
        whole = book.response_figure(year, WHOLE[measure]) if measure in WHOLE else None
        return part, whole
    maker = _maker(sentence, book) if measure == 'with_concern' and not CONCERN.search(sentence) else None
    part = book.category_figure(year, category, measure, maker)
    whole = book.category_figure(year, category, WHOLE[measure]) if measure in WHOLE else None
    return part, whole


RESPONSE_NOUN = re.compile(r'^\s*(?:[a-z\-]+\s+){0,2}?(?:respondents?|responses?|returns?)\b', re.I)
TOTAL_BEFORE = re.compile(r'(?:total of|out of)\s*$', re.I)


def _measure(match: re.Match, sentence: str, window: str, category: str | None, book: Book) -> str | None:
    """Which figure a lone number states: from the noun after it, the words up to the next number, the sentence."""
    before, after = sentence[: match.start()], sentence[match.end() :]
    return _measure_of(before, after, bool(match.group('percent')), sentence, window, category, book)


def _measure_of(before, after, percent: bool, sentence, window, category: str | None, book: Book) -> str | None:
    people = COUNT_NOUNS.match(after)
    if percent:
        # "a return rate of 83%", and "nearly every force (97%) replied": a share of bodies that responded.
        if (
            category is None
            and RESPONSE.search(sentence)
            and (RATE.search(sentence) or RESPONDED_VERB.search(sentence))
        ):
            return 'response_rate'
        return None
    if category is None:
        if TOTAL_BEFORE.search(before):
            return 'invited'
        if not (people or AT_LEAST.search(before)):
            return None
        if NOT_RESPONDED.search(window):
            return 'non_respondents'
        if LATE.search(window):
            return 'late'
        if ON_TIME.search(window):
            return 'on_time'
        if RESPONSE_NOUN.match(after):
            return 'responded'
        if INVITED.search(window):
            return 'invited'
        if RESPONSE.search(window):
            return 'responded'
        return None
    if not people and DEVICE_NOUNS.match(after):
        return 'devices_of_concern' if CONCERN.search(sentence) or _maker(sentence, book) else 'devices'
    if not (people or AT_LEAST.search(before)):
        return None
    if AWARE.search(window):
        return 'aware'
    if CONCERN.search(sentence) or _maker(sentence, book):
        return 'with_concern'
    if OPERATE.search(window):
        return 'operating'
    return None


def _compare(number, measure, category, years, sentence, window, book: Book, result: Check) -> None:
    typed = number.group(0).strip()
    if measure is None or not years:
        result.unchecked.append((typed, sentence))
        return
    parsed = _value(number)
    if parsed is None:
        result.unchecked.append((typed, sentence))
        return
    value, places = parsed
    figures = []
    for year in years:
        if category is None:
            figure = book.response_figure(year, measure)
        else:
            maker = None
            if measure == 'with_concern' and not CONCERN.search(sentence):
                maker = _maker(sentence, book)
            figure = book.category_figure(year, category, measure, maker)
        if figure is None:
            result.unchecked.append((typed, sentence))
            return
        figures.append(figure)
    for figure in figures:
        if isinstance(figure.value, tuple):
            computed = percent(*figure.value, places)
            agrees = computed is not None and computed == value
        else:
            agrees = not number.group('percent') and Decimal(figure.value) == value
        result.typed.append(
            Typed(typed, figure.label, figure.stated(places), agrees, sentence.strip(), figure.explanation)
        )
