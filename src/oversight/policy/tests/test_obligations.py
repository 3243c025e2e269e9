import datetime
import re

import pytest
from django.utils import translation

from oversight.policy import rules
from oversight.policy.makers import MakerFacts
from oversight.policy.obligations import BodyChoices, end_of_financial_year, evaluate
from oversight.register.models import EquipmentLine
from oversight.vendors.models import CorporateRelation

from .conftest import SOURCE, TODAY, designate, line, maker

CORE = EquipmentLine.Network.CORE


def obligations(lines, choices=None, today=TODAY):
    return evaluate(lines, MakerFacts.from_db(today), choices or {}, today)


def by_rule(found):
    return {o.rule.key: o for o in found}


def test_a_honeywell_line_made_by_dahua_on_a_sensitive_site_breaches_the_statement(estate_a, makers):
    honeywell = line(
        estate_a,
        manufacturer=makers.honeywell,
        made_by=makers.dahua,
        manufacturer_declared='Honeywell',
        brand='Honeywell',
        model='HEN28103',
        installed_on=datetime.date(2023, 3, 1),
        network=CORE,
        quantity=4,
    )
    found = by_rule(obligations([honeywell]))
    assert set(found) == {
        'uk-wms-2022/no-new-deployment',
        'uk-wms-2022/no-core-network',
        'obscc-2022/consider-concerns',
    }
    breach = found['uk-wms-2022/no-new-deployment']
    assert breach.severity == 'must'
    assert breach.due == datetime.date(2023, 3, 1)
    assert breach.overdue
    assert 'Sold as Honeywell, made by Dahua, headquartered in China' in breach.reason
    assert 'PRC National Intelligence Law' in breach.reason
    assert 'does not change who produced it' in breach.reason
    assert 'on sensitive site Maidstone HQ' in breach.reason
    assert 'installed 1 March 2023, on or after 24 November 2022' in breach.reason
    network = found['uk-wms-2022/no-core-network']
    assert network.severity == 'should'
    assert network.due == datetime.date(2023, 3, 1)
    assert 'connected to the core network' in network.reason
    assert 'Honeywell and Dahua are covered by' in found['obscc-2022/consider-concerns'].reason


def test_an_axis_line_has_no_obligations_anywhere_on_any_network(estate_a, makers):
    axis = line(estate_a, made_by=makers.axis, installed_on=datetime.date(2024, 1, 1), network=CORE)
    assert obligations([axis]) == []


def test_a_line_installed_before_the_statement_is_for_consideration_by_the_review_date(estate_a, makers):
    old = line(
        estate_a,
        made_by=makers.hikvision,
        installed_on=datetime.date(2020, 5, 1),
        next_upgrade=datetime.date(2028, 6, 30),
    )
    found = by_rule(obligations([old]))
    assert 'uk-wms-2022/no-new-deployment' not in found
    consider = found['uk-wms-2022/consider-removal-sensitive']
    assert consider.severity == 'consider'
    # Not awaiting the scheduled upgrade: due at the review date, the end of the financial year.
    assert consider.due == datetime.date(2026, 3, 31)
    assert consider.due_basis == 'review date, before the scheduled upgrade'
    assert not consider.overdue
    assert 'installed 1 May 2020, before 24 November 2022' in consider.reason


def test_an_upgrade_before_the_review_date_brings_the_consideration_forward(estate_a, makers):
    soon = line(
        estate_a,
        made_by=makers.hikvision,
        installed_on=datetime.date(2020, 5, 1),
        next_upgrade=datetime.date(2026, 2, 1),
    )
    consider = by_rule(obligations([soon]))['uk-wms-2022/consider-removal-sensitive']
    assert consider.due == datetime.date(2026, 2, 1)


def test_a_body_sets_its_own_review_date(estate_a, makers):
    old = line(estate_a, made_by=makers.hikvision, installed_on=datetime.date(2020, 5, 1))
    choices = {estate_a.body.pk: BodyChoices(review_by=datetime.date(2025, 12, 1))}
    consider = by_rule(obligations([old], choices))['uk-wms-2022/consider-removal-sensitive']
    assert consider.due == datetime.date(2025, 12, 1)
    assert consider.overdue


def test_an_unknown_installation_date_on_a_sensitive_site_needs_recording(estate_a, makers):
    undated = line(estate_a, made_by=makers.dahua)
    found = by_rule(obligations([undated]))
    assert found['uk-wms-2022/installation-date-unknown'].severity == 'should'
    assert 'installation date not recorded' in found['uk-wms-2022/installation-date-unknown'].reason
    assert 'uk-wms-2022/consider-removal-sensitive' in found
    assert 'uk-wms-2022/no-new-deployment' not in found


def test_non_sensitive_sites_consider_the_same_measures_by_the_scheduled_upgrade(estate_a, makers):
    town = line(estate_a, site=estate_a.town, made_by=makers.dahua, next_upgrade=datetime.date(2027, 9, 30))
    bare = line(estate_a, site=estate_a.town, made_by=makers.dahua)
    found = obligations([town, bare])
    wms = [o for o in found if o.rule.rule_set == 'uk-wms-2022']
    assert {o.rule.slug for o in wms} == {'consider-non-sensitive'}
    due = {o.line.pk: (o.due, o.due_basis) for o in wms}
    assert due[town.pk] == (datetime.date(2027, 9, 30), 'next scheduled upgrade')
    assert due[bare.pk] == (datetime.date(2026, 3, 31), 'review date (no scheduled upgrade recorded)')
    assert 'at Maidstone town centre (not a sensitive site)' in wms[0].reason


def test_network_unknown_is_to_be_confirmed(estate_a, makers):
    unknown = line(estate_a, site=estate_a.town, made_by=makers.dahua, network=EquipmentLine.Network.UNKNOWN)
    found = by_rule(obligations([unknown]))
    assert found['uk-wms-2022/network-unknown'].severity == 'should'
    assert 'uk-wms-2022/no-core-network' not in found


def test_an_unknown_maker_on_a_sensitive_site_must_be_identified(estate_a, makers):
    mystery = line(estate_a, manufacturer_declared='Acme Vision')
    elsewhere = line(estate_a, site=estate_a.town, manufacturer_declared='Acme Vision')
    found = obligations([mystery, elsewhere])
    assert [(o.line.pk, o.rule.slug, o.severity) for o in found] == [(mystery.pk, 'maker-unknown-sensitive', 'should')]
    assert '"Acme Vision" does not resolve to a maker' in found[0].reason


def test_optional_rule_sets_apply_only_to_bodies_that_choose_them(estate_a, makers):
    new = line(estate_a, site=estate_a.town, made_by=makers.hikvision, installed_on=datetime.date(2021, 6, 1))
    old = line(estate_a, site=estate_a.town, made_by=makers.hikvision, installed_on=datetime.date(2018, 1, 1))
    assert not [o for o in obligations([new, old]) if o.rule_set.optional]
    choices = {estate_a.body.pk: BodyChoices(rule_sets=('ndaa-889', 'fcc-covered-list'))}
    found = {(o.line.pk, o.rule.key): o for o in obligations([new, old], choices)}
    assert found[(new.pk, 'ndaa-889/procurement-ban')].due == datetime.date(2021, 6, 1)
    assert found[(old.pk, 'ndaa-889/use-ban')].due == datetime.date(2020, 8, 13)
    assert (old.pk, 'ndaa-889/procurement-ban') not in found
    assert found[(new.pk, 'fcc-covered-list/acquired-after-listing')].severity == 'should'
    assert found[(old.pk, 'fcc-covered-list/plan-replacement')].severity == 'consider'


def test_lists_that_cover_affiliates_reach_subsidiaries(estate_a, makers):
    subsidiary = maker('Policy Test Optics', 'China')
    CorporateRelation.objects.create(parent=makers.dahua, child=subsidiary, kind='subsidiary', source_url=SOURCE)
    made = line(estate_a, site=estate_a.town, made_by=subsidiary, installed_on=datetime.date(2021, 1, 1))
    choices = {estate_a.body.pk: BodyChoices(rule_sets=('ndaa-889',))}
    assert 'ndaa-889/procurement-ban' in by_rule(obligations([made], choices))


def test_a_list_that_does_not_cover_affiliates_stops_at_the_maker(estate_a, makers):
    subsidiary = maker('Policy Test Optics', 'United Kingdom')
    CorporateRelation.objects.create(parent=makers.dahua, child=subsidiary, kind='subsidiary', source_url=SOURCE)
    concern_list = designate('obscc-2022')
    concern_list.covers_affiliates = False
    concern_list.save()
    made = line(estate_a, site=estate_a.town, made_by=subsidiary)
    assert obligations([made]) == []


@pytest.mark.parametrize(
    ('today', 'end'),
    [
        (datetime.date(2026, 3, 31), datetime.date(2026, 3, 31)),
        (datetime.date(2026, 4, 1), datetime.date(2027, 3, 31)),
        (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)),
    ],
)
def test_the_financial_year_ends_on_31_march(today, end):
    assert end_of_financial_year(today) == end


def test_every_rule_names_its_source_and_effective_date():
    for rule_set in rules.rule_sets():
        assert rule_set.source_url.startswith('https://')
        for rule in rule_set.rules:
            assert rule.source_url.startswith('https://'), rule.key
            assert rule.effective >= datetime.date(2019, 8, 13), rule.key
    assert {s.slug for s in rules.optional_rule_sets()} == {'ndaa-889', 'fcc-covered-list'}


RULE = {
    'slug': 'r',
    'title': 'T',
    'severity': 'must',
    'when': {'maker': 'prc-nil'},
    'due': 'arises',
    'effective': '2022-11-24',
    'source_url': 'https://example.org',
    'requirement': 'R',
    'action': 'A',
}
RULE_SET = {
    'slug': 's',
    'name': 'S',
    'authority': 'A',
    'effective': '2022-11-24',
    'source_url': 'https://example.org',
    'summary': 'S',
}


def document(rule_change=None, set_change=None) -> dict:
    """A rules file of one rule set with one rule, each changed as given."""
    return {'rule_sets': [{**RULE_SET, **(set_change or {}), 'rules': [{**RULE, **(rule_change or {})}]}]}


@pytest.mark.parametrize(
    ('change', 'message'),
    [
        ({'severity': 'may'}, '"severity" must be one of must, should, consider'),
        ({'due': 'someday'}, '"due" must be one of'),
        ({'effective': '24/11/2022'}, 'is not a date'),
        ({'source_url': ''}, '"source_url" is missing'),
        ({'when': {'maker': 'everyone'}}, '"when.maker" must be'),
        ({'when': {'maker': 'prc-nil', 'installed': ['yesterday']}}, '"when.installed" must be a list of'),
    ],
)
def test_rule_data_errors_name_the_rule_and_field(change, message):
    with pytest.raises(rules.RuleDataError, match='rule s/r') as raised:
        rules.parse(document(change))
    assert message in str(raised.value)


def test_a_rule_and_its_set_show_their_welsh_on_welsh_pages():
    welsh = {'title_cy': 'Rheol', 'requirement_cy': 'Gofyniad.', 'action_cy': 'Cam gweithredu.'}
    (rule_set,) = rules.parse(document(welsh, {'name_cy': 'Set o reolau', 'summary_cy': 'Crynodeb.'}))
    rule = rule_set.rules[0]

    def shown():
        return rule.shown_title, rule.shown_requirement, rule.shown_action, rule_set.shown_name, rule_set.shown_summary

    with translation.override('cy'):
        assert shown() == ('Rheol', 'Gofyniad.', 'Cam gweithredu.', 'Set o reolau', 'Crynodeb.')
    with translation.override('en-gb'):
        assert shown() == ('T', 'R', 'A', 'S', 'S')
    assert (rule.title, rule_set.name) == ('T', 'S')  # what exports and the audit history write


def test_without_welsh_a_welsh_page_shows_the_english():
    (rule_set,) = rules.parse(document())
    with translation.override('cy'):
        assert (rule_set.rules[0].shown_title, rule_set.shown_summary) == ('T', 'S')


@pytest.mark.parametrize(
    ('rule_change', 'set_change', 'where'),
    [
        ({'title_cy': ''}, None, 'rule s/r: "title_cy"'),
        ({'requirement_cy': '   '}, None, 'rule s/r: "requirement_cy"'),
        ({'action_cy': ['Cam']}, None, 'rule s/r: "action_cy"'),
        (None, {'name_cy': 5}, 'rule set s: "name_cy"'),
        (None, {'summary_cy': None}, 'rule set s: "summary_cy"'),
    ],
)
def test_welsh_that_is_not_text_is_refused_naming_the_rule_and_field(rule_change, set_change, where):
    with pytest.raises(rules.RuleDataError, match=re.escape(where)):
        rules.parse(document(rule_change, set_change))


def test_every_rule_and_rule_set_has_its_welsh():
    for rule_set in rules.rule_sets():
        assert rule_set.name_cy and rule_set.summary_cy, rule_set.slug
        for rule in rule_set.rules:
            assert rule.title_cy and rule.requirement_cy and rule.action_cy, rule.key
