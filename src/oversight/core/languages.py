"""English and Welsh: which one a request gets, and the header's switcher between them (docs/welsh.md).

The switcher is two links, `?lang=en-gb` and `?lang=cy`, so it works without JavaScript and keeps the page
the person was on. The choice is kept in the language cookie; without one, Django's LocaleMiddleware
takes the browser's Accept-Language. A code that is not offered is ignored, so the page is in English.
"""

from contextlib import contextmanager

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.functional import lazy

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


def _interpolated(message, values: dict) -> str:
    return str(message) % values


_interpolated_lazy = lazy(_interpolated, str)


def interpolate_lazy(message, **values):
    """`message % values`, written when it is read, in the language active then.

    For text kept longer than a request and read in either language (policy's evaluations): `message` is a
    lazy translation (`gettext_lazy`, `ngettext_lazy`) with `%(name)s` placeholders, and a value may itself
    be lazy (another interpolation, `dates.govuk_date_lazy`). `gettext_lazy(...) % values` would translate
    at once, in the language of the request that built the text.
    """
    return _interpolated_lazy(message, values)
