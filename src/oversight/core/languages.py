"""English and Welsh: which one a request gets, and the header's switcher between them (docs/welsh.md).

The switcher is two links, `?lang=en-gb` and `?lang=cy`, so it works without JavaScript and keeps the page
the person was on. The choice is kept in the language cookie; without one, Django's LocaleMiddleware
takes the browser's Accept-Language. A code that is not offered is ignored, so the page is in English.
"""

from contextlib import contextmanager

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.functional import Promise

OFFERED = dict(settings.LANGUAGES)


def chosen(request) -> str:
    """The language asked for by the switcher's ?lang=, or '' when none, or one not offered."""
    code = request.GET.get('lang', '')
    return code if code in OFFERED else ''


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, taking the switcher's ?lang= first and remembering it in the cookie."""

    def process_request(self, request):
        code = chosen(request)
        if code:
            request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = code
        super().process_request(request)

    def process_response(self, request, response):
        response = super().process_response(request, response)
        code = chosen(request)
        if code:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                code,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


def switcher(request):
    """The header's language links: each language, named in itself, at this page's address."""
    current = translation.get_language()
    query = request.GET.copy()
    links = []
    for code, name in settings.LANGUAGES:
        query['lang'] = code
        links.append({'code': code, 'name': name, 'url': f'?{query.urlencode()}', 'current': code == current})
    return {'language_links': links}


def in_welsh() -> bool:
    """Whether the page or email being made is in Welsh, so text held in both languages shows its Welsh."""
    return (translation.get_language() or '').startswith('cy')


def shown(english: str, welsh: str) -> str:
    """Text held in both languages, in the active one: the Welsh where there is some, else the English."""
    return welsh if welsh and in_welsh() else english


@contextmanager
def english():
    """What is made inside is in English whatever the page's language: exports and open data, so they read
    and re-import the same from a page in either language."""
    with translation.override('en-gb'):
        yield


class LazyText(Promise):
    """`message % values` (or the message alone), written when it is read, in the language active then, and
    remembered per language.

    Made by `interpolate_lazy`. Shared by many readers (a kept evaluation's reasons are shared by every line of
    one identity), so each language's text is worked out once: a 100,000-line export reads it 100,000 times.
    Like Django's lazy strings it is a Promise, reads as its text wherever a string is taken of it (templates,
    format_html, f-strings, exports), answers a string's methods with its text's, and compares equal to text
    that reads the same.
    """

    __slots__ = ('_message', '_values', '_written')

    def __init__(self, message, values: dict | None):
        self._message, self._values, self._written = message, values, {}

    def __str__(self) -> str:
        language = translation.get_language()
        written = self._written.get(language)
        if written is None:
            written = str(self._message)
            if self._values is not None:
                written %= self._values
            self._written[language] = written
        return written

    def __copy__(self):
        return self  # it never changes: a form's or a filter's copy of its choices can share it

    def __deepcopy__(self, memo):
        return self

    def __getattr__(self, name):
        if name.startswith('_'):  # pickling asks for these before the slots are filled
            raise AttributeError(name)
        return getattr(str(self), name)  # a string's methods (`replace`, `startswith`, ...) on the text

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __add__(self, other):
        return str(self) + other

    def __radd__(self, other):
        return other + str(self)

    def __mod__(self, values):
        return str(self) % values

    def __contains__(self, text) -> bool:
        return text in str(self)

    def __len__(self) -> int:
        return len(str(self))

    def __lt__(self, other) -> bool:
        return str(self) < str(other)

    def __eq__(self, other) -> bool:
        return isinstance(other, str | LazyText | Promise) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __repr__(self) -> str:
        return f'<LazyText {str(self)!r}>'


def interpolate_lazy(message, **values) -> LazyText:
    """`message % values`, written when it is read, in the language active then (`LazyText`).

    For text kept longer than a request and read in either language (policy's evaluations): `message` is a
    lazy translation (`gettext_lazy`, `ngettext_lazy`) with `%(name)s` placeholders, and a value may itself
    be lazy (another interpolation, `dates.govuk_date_lazy`). `gettext_lazy(...) % values` would translate
    at once, in the language of the request that built the text.
    """
    return LazyText(message, values)


def remembered(message) -> LazyText:
    """A lazy translation (`gettext_lazy(...)`) looked up once per language: gettext walks the catalogues behind
    the active one on every call, which a label read for each of 100,000 rows pays 100,000 times."""
    return LazyText(message, None)
