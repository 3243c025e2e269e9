import pytest
from django.core.management import CommandError, call_command

from oversight.accounts.models import User
from oversight.core.models import ObjectChange


def test_create_user_with_a_password_file(db, tmp_path):
    secret = tmp_path / 'pw'
    secret.write_text('a-long-enough-passphrase\n')
    call_command(
        'create-user',
        'kent.analyst',
        organisation='kent police',
        role='viewer',
        password_file=secret,
        email='kent.analyst@kent.example',
    )
    user = User.objects.get(username='kent.analyst')
    assert (user.organisation.name, user.role) == ('Kent Police', 'viewer')
    assert user.check_password('a-long-enough-passphrase')
    assert ObjectChange.objects.for_object(user).exists()
    assert user.emailaddress_set.get().email == 'kent.analyst@kent.example'


def test_create_user_prompts_twice_for_the_password(db, monkeypatch):
    answers = iter(['a-long-enough-passphrase', 'a-long-enough-passphrase'])
    monkeypatch.setattr('getpass.getpass', lambda prompt: next(answers))
    call_command('create-user', 'reg.two', organisation='obscc', role='regulator', email='reg.two@obscc.example')
    assert User.objects.get(username='reg.two').role == User.Role.REGULATOR


def test_different_passwords_create_nothing(db, monkeypatch):
    answers = iter(['a-long-enough-passphrase', 'another-passphrase'])
    monkeypatch.setattr('getpass.getpass', lambda prompt: next(answers))
    with pytest.raises(CommandError, match='differ'):
        call_command('create-user', 'kent.x', organisation='Kent Police', role='viewer', email='x@kent.example')
    assert not User.objects.filter(username='kent.x').exists()


def test_unknown_organisation_suggests_names(db, tmp_path):
    secret = tmp_path / 'pw'
    secret.write_text('a-long-enough-passphrase')
    with pytest.raises(CommandError, match='Did you mean: Kent Police'):
        call_command(
            'create-user',
            'x',
            organisation='Kent Constabulary',
            role='viewer',
            password_file=secret,
            email='x@k.example',
        )


def test_bad_input_lists_every_problem(db, tmp_path):
    secret = tmp_path / 'pw'
    secret.write_text('123')
    with pytest.raises(CommandError) as exc:
        call_command(
            'create-user', 'x', organisation='Kent Police', role='regulator', password_file=secret, email='x@k.example'
        )
    assert 'role: Kent Police is an overseen body' in str(exc.value)
    assert 'password: This password is too short' in str(exc.value)
    assert not User.objects.exists()


def test_an_email_address_is_required(db, tmp_path):
    secret = tmp_path / 'pw'
    secret.write_text('a-long-enough-passphrase')
    with pytest.raises(CommandError, match='--email'):
        call_command('create-user', 'x', organisation='Kent Police', role='viewer', password_file=secret)
