import pytest
from allauth.socialaccount.models import SocialApp
from django.core.management import CommandError, call_command

from oversight.accounts.models import SingleSignOn
from oversight.core.models import ObjectChange


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / 'secret'
    path.write_text('the-client-secret\n')
    return path


def test_an_organisation_gets_its_provider_and_the_secret_stays_out_of_the_audit(db, body_a, body_b, secret_file):
    options = {'issuer': 'https://login.example/kent/', 'client_id': 'oversight', 'secret_file': secret_file}
    call_command('single-sign-on', 'kent-police', domain=['kent.police.uk', '@Kent.pnn.police.uk'], **options)
    sign_on = SingleSignOn.objects.get(organisation=body_a)
    assert sign_on.domains() == ['kent.police.uk', 'kent.pnn.police.uk']
    app = SocialApp.objects.get(provider_id='kent-police')
    assert (app.provider, app.secret, app.settings) == (
        'openid_connect',
        'the-client-secret',
        {'server_url': 'https://login.example/kent'},
    )
    assert SingleSignOn.for_email('someone@KENT.police.uk') == sign_on
    assert SingleSignOn.origins() == ['https://login.example']
    change = ObjectChange.objects.for_object(sign_on).get()
    assert change.after['issuer'] == 'https://login.example/kent' and 'the-client-secret' not in str(change.after)

    # A domain chooses one organisation only.
    with pytest.raises(CommandError, match='kent.police.uk \\(already Kent Police\\)'):
        call_command('single-sign-on', 'essex-police', domain=['kent.police.uk'], **options)
    assert not SingleSignOn.objects.filter(organisation=body_b).exists()


def test_a_plain_http_provider_is_refused(db, body_a, secret_file):
    with pytest.raises(CommandError, match='must start https'):
        call_command(
            'single-sign-on',
            'kent-police',
            issuer='http://login.example',
            client_id='x',
            secret_file=secret_file,
            domain=['kent.police.uk'],
        )
    assert not SocialApp.objects.exists()
