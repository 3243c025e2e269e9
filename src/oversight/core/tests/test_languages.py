"""English and Welsh: the language a page is in, the header's switcher, and dates in Welsh (docs/welsh.md)."""

import datetime
import re
import zoneinfo

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from oversight.core.audit import save_audited
from oversight.core.dates import govuk_date, govuk_date_lazy, govuk_datetime
from oversight.core.history import readable_history
from oversight.core.languages import english, interpolate_lazy, remembered
from oversight.core.models import ObjectChange
from oversight.register.models import Site

LONDON = zoneinfo.ZoneInfo('Europe/London')


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]*)"', response.content.decode())[1]


@pytest.mark.django_db
def test_the_browser_asking_for_welsh_gets_the_sign_in_page_in_welsh(client):
    response = client.get(reverse('account_login'), HTTP_ACCEPT_LANGUAGE='cy-GB,cy;q=0.9,en;q=0.5')
    page = response.content.decode()
    assert html_lang(response) == 'cy'
    assert '<h1 class="govuk-heading-l">Mewngofnodi i Oversight</h1>' in page
    assert 'Neidio i’r prif gynnwys' in page and 'Datganiad hygyrchedd' in page
    assert response['Content-Language'] == 'cy'


@pytest.mark.django_db
@pytest.mark.parametrize('asked', ['fr', 'de-DE,de;q=0.9', 'xx', ''])
def test_a_language_not_offered_falls_back_to_english(client, asked):
    response = client.get(reverse('account_login'), HTTP_ACCEPT_LANGUAGE=asked)
    assert html_lang(response) == 'en-gb' and 'Sign in to Oversight' in response.content.decode()


@pytest.mark.django_db
def test_the_switcher_chooses_welsh_and_the_choice_is_remembered(client):
    login = reverse('account_login')
    chosen = client.get(f'{login}?next=/register/&lang=cy', HTTP_ACCEPT_LANGUAGE='en')
    assert html_lang(chosen) == 'cy'
    cookie = chosen.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == 'cy' and cookie['httponly'] and cookie['samesite'] == 'Lax'
    assert not cookie['max-age']  # gone when the browser closes, as the cookies page says
    # The next page, without ?lang=, stays in Welsh whatever the browser asks for.
    assert html_lang(client.get(login, HTTP_ACCEPT_LANGUAGE='en')) == 'cy'
    back = client.get(f'{login}?lang=en-gb')
    assert html_lang(back) == 'en-gb' and back.cookies[settings.LANGUAGE_COOKIE_NAME].value == 'en-gb'


@pytest.mark.django_db
def test_a_switcher_code_not_offered_is_ignored(client):
    response = client.get(reverse('account_login') + '?lang=fr', HTTP_ACCEPT_LANGUAGE='cy')
    assert html_lang(response) == 'cy'  # the browser's choice stands
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = 'fr'  # a cookie not written by the switcher
    assert html_lang(client.get(reverse('account_login'))) == 'en-gb'


@pytest.mark.django_db
def test_the_switcher_links_name_each_language_in_itself_and_keep_the_page(client):
    page = client.get(reverse('account_login') + '?next=/register/', HTTP_ACCEPT_LANGUAGE='en').content.decode()
    switcher = re.search(r'<nav class="app-language-switcher".*?</nav>', page, re.S)[0]
    assert 'aria-label="Language"' in switcher
    assert '<span aria-current="true" lang="en-gb">English</span>' in switcher
    assert (
        '<a class="govuk-link" href="?next=%2Fregister%2F&amp;lang=cy" hreflang="cy" lang="cy" rel="alternate">'
        'Cymraeg</a>'
    ) in switcher
    welsh = client.get(reverse('account_login'), HTTP_ACCEPT_LANGUAGE='cy').content.decode()
    assert 'aria-label="Iaith"' in welsh and 'hreflang="en-gb" lang="en-gb"' in welsh


@pytest.mark.django_db
def test_the_cookies_page_lists_the_language_cookie(client):
    page = client.get(reverse('core:cookies')).content.decode()
    assert f'<code>{settings.LANGUAGE_COOKIE_NAME}</code>' in page


def test_dates_and_times_in_welsh():
    moment = datetime.datetime(2026, 12, 4, 20, 50, tzinfo=LONDON)
    with translation.override('cy'):
        assert govuk_date(moment) == '4 Rhagfyr 2026'
        assert govuk_datetime(moment) == '4 Rhagfyr 2026, 8:50yh'
        assert govuk_datetime(moment.replace(hour=9, minute=0)) == '4 Rhagfyr 2026, 9yb'
        assert govuk_datetime(moment.replace(hour=12, minute=0)) == '4 Rhagfyr 2026, canol dydd'
        assert govuk_datetime(moment.replace(month=1, day=1, hour=0, minute=0)) == '1 Ionawr 2026, canol nos'
        assert [govuk_date(datetime.date(2026, month, 1)).split()[1] for month in (2, 3, 6, 7, 8, 9, 10, 11)] == [
            'Chwefror',
            'Mawrth',
            'Mehefin',
            'Gorffennaf',
            'Awst',
            'Medi',
            'Hydref',
            'Tachwedd',
        ]
    with translation.override('en-gb'):
        assert govuk_datetime(moment) == '4 December 2026, 8:50pm'


# Labels the catalogue keeps the same in Welsh: names, abbreviations, and words Welsh shares with English.
SAME_IN_WELSH = {'API', 'Brand', 'CVE', 'Data', 'IQ Verify', 'Model', 'PDF', 'SSAIB', 'System'}
# Models no page, history or form shows: a cache of the policy page, worked out again from the register.
NEVER_SHOWN = {'policy.StoredEvaluation', 'policy.StoredObligation', 'policy.StoredVulnerability'}


def test_every_label_the_models_make_has_its_welsh():
    """A field's label and a choice's label reach pages through the shared templates and the history, which
    translate them as they show them: each must be in the catalogue (core/labels.py declares those the
    models do not mark), else a Welsh page shows it in English."""
    missing = set()
    for model in apps.get_models():
        if not model.__module__.startswith('oversight.') or model._meta.label in NEVER_SHOWN:
            continue
        for field in model._meta.concrete_fields:
            if field.auto_created:
                continue
            with translation.override('en-gb'):
                english = [capfirst(str(field.verbose_name)), *(str(label) for _value, label in field.flatchoices)]
            with translation.override('cy'):
                welsh = [translation.gettext(capfirst(field.verbose_name))]
                welsh += [translation.gettext(str(label)) for _value, label in field.flatchoices]
            missing |= {f'{model._meta.label}.{field.name}: {e}' for e, w in zip(english, welsh, strict=True) if e == w}
    assert {m for m in missing if m.split(': ')[1] not in SAME_IN_WELSH} == set()


@pytest.mark.django_db
def test_a_history_reads_in_the_page_language_and_keeps_what_was_recorded(editor_a, body_a):
    site = save_audited(editor_a, Site(organisation=body_a, name='Dalfa Caerdydd', kind='custody', sensitive=True))
    site.sensitive = False
    save_audited(editor_a, site, 'Not sensitive after the move', expected_version=1)
    changes = ObjectChange.objects.for_object(site).select_related('content_type').order_by('pk')
    with translation.override('cy'):
        created, updated = readable_history(changes, editor_a)
    shown = {(f.label, f.after) for f in created.fields}
    assert shown >= {('Enw', 'Dalfa Caerdydd'), ('Math', 'Dalfa'), ('Sensitif', 'ie')}
    assert [(f.label, f.before, f.after) for f in updated.fields] == [('Sensitif', 'ie', 'na')]
    assert updated.change.message == 'Not sensitive after the move'  # as recorded, in the language it was written
    with translation.override('en-gb'):
        _created, updated = readable_history(changes, editor_a)
    assert [(f.label, f.before, f.after) for f in updated.fields] == [('Sensitive', 'yes', 'no')]


def test_text_kept_across_requests_is_written_in_the_language_of_each_reading():
    """interpolate_lazy, for text a process keeps and serves to readers of both languages (policy's evaluations)."""
    date = govuk_date_lazy(datetime.date(2022, 11, 24))
    effective = interpolate_lazy(_('since the rule took effect on %(date)s'), date=date)
    overdue = remembered(_('Overdue'))
    with translation.override('cy'):
        assert str(effective) == 'ers i’r rheol ddod i rym ar 24 Tachwedd 2022' and f'{overdue}!' == 'Yn hwyr!'
    with english():
        assert effective == 'since the rule took effect on 24 November 2022' and overdue == 'Overdue'
        assert effective.startswith('since') and 'November' in effective


def test_kept_text_is_worked_out_once_per_language():
    class Message:
        reads = 0

        def __str__(self):
            self.reads += 1
            return '%(devices)s devices'

    message = Message()
    text = interpolate_lazy(message, devices=3)
    for language in ('cy', 'en-gb', 'cy', 'en-gb'):
        with translation.override(language):
            assert str(text) == '3 devices'
    assert message.reads == 2
