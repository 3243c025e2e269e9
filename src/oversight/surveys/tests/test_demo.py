"""The demo's campaigns: the 2022 figures as published hold when counted from its (illustrative) returns."""

from oversight.surveys import demo
from oversight.surveys.concerns import ConcernResolver
from oversight.surveys.models import Campaign, Correction, Invitation
from oversight.surveys.snapshots import campaign_returns
from oversight.surveys.statistics import response_statistics


def figures(campaign, *, as_published=False) -> dict[str, tuple[int, int, int]]:
    """(operating, with equipment of concern, of those aware) per category, by the definitions findings use."""
    resolver = ConcernResolver(campaign.concern_list)
    counts: dict[str, list[int]] = {}
    for snapshot in campaign_returns(campaign, as_published=as_published):
        for category, answers in snapshot.categories.items():
            row = counts.setdefault(category, [0, 0, 0])
            row[0] += answers.operates == 'yes'
            if any(resolver.line_makers(answers.lines)):
                row[1] += 1
                row[2] += answers.aware_of_concerns == 'yes'
    return {category: tuple(row) for category, row in counts.items()}


def test_demo_campaigns(db):
    """One load (it takes seconds), then each property of the demo in turn."""
    from oversight.accounts import demo as accounts_demo
    from oversight.register import demo as register_demo

    for module in (accounts_demo, register_demo, demo):
        module.load(lambda message: None)
    check_2022_response_figures()
    check_2022_published_figures_hold()
    check_earlier_campaigns_had_every_return()
    check_every_demo_return_is_marked_illustrative()
    check_kent_and_essex_returns_are_their_registers()
    check_an_open_campaign_to_try_the_form()
    check_loading_again_changes_nothing()


def check_2022_response_figures():
    campaign = Campaign.objects.lookup('2022')
    statistics = response_statistics(campaign)
    assert statistics.response_rate_text == '39 of 47 (83.0%)'
    assert statistics.non_respondents == sorted(demo.NON_RESPONDENTS_2022)
    assert statistics.late >= 3 and statistics.accepted == 39
    very_late = [r for r in campaign.returns.late() if r.lateness.days > 92]
    assert len(very_late) >= 1 and all(r.accepted_at for r in very_late)


def check_2022_published_figures_hold():
    campaign = Campaign.objects.get(slug='police-2022')
    corrected = figures(campaign)
    published = figures(campaign, as_published=True)
    assert corrected['external_cctv'][1] == 18
    assert corrected['internal_cctv'][1] == 24
    assert corrected['anpr'][1] == 11
    assert (published['body_worn_video'][1], corrected['body_worn_video'][1]) == (2, 0)
    assert corrected['drone'][0] == 31 and corrected['drone'][2] == 23
    assert corrected['helicopter'][1] == corrected['facial_recognition'][1] == 0
    updates = Correction.objects.filter(survey_return__campaign=campaign, publish_as_update=True)
    assert updates.count() == 2


def check_earlier_campaigns_had_every_return():
    for reference in ('2017', '2019'):
        assert response_statistics(Campaign.objects.lookup(reference)).response_rate_text == '47 of 47 (100.0%)'


def check_every_demo_return_is_marked_illustrative():
    for campaign in Campaign.objects.all():
        assert campaign.illustrative
        assert not campaign.returns.filter(illustrative=False, source='import').exists()


def check_kent_and_essex_returns_are_their_registers():
    from oversight.surveys.prefill import register_lines

    campaign = Campaign.objects.get(slug='police-2022')
    for name in demo.REGISTER_BODIES:
        survey_return = campaign.returns.get(organisation__name=name)
        register = register_lines(survey_return.organisation)
        assert register, name
        for category, lines in register.items():
            assert survey_return.answers[f'{category}.manufacturers'] == lines


def check_an_open_campaign_to_try_the_form():
    open_campaign = Campaign.objects.get(status=Campaign.Status.OPEN)
    essex = open_campaign.invitations.get(organisation__name='Essex Police')
    assert essex.status == Invitation.Status.DRAFT
    assert open_campaign.invitations.get(organisation__name='Kent Police').status == Invitation.Status.NOT_STARTED


def check_loading_again_changes_nothing():
    before = Campaign.objects.count()
    demo.load(lambda message: None)
    assert Campaign.objects.count() == before
