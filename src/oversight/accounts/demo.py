"""Demo accounts: one regulator, an administrator for one body, and an editor and a viewer for each of two
bodies, sharing one password."""

from oversight.organisations.models import Organisation

from . import actions
from .models import User

# Printed beside the logins by `oversight demo`; only ever used for the demo database.
DEMO_PASSWORD = 'oversight-demo-2022'

# (username, organisation slug, role, first name, last name)
DEMO_USERS = [
    ('regulator', 'obscc', User.Role.REGULATOR, 'Rhiannon', 'Price'),
    ('kent.admin', 'kent-police', User.Role.ADMINISTRATOR, 'Dafydd', 'Evans'),
    ('kent.editor', 'kent-police', User.Role.EDITOR, 'Sam', 'Okafor'),
    ('kent.viewer', 'kent-police', User.Role.VIEWER, 'Priya', 'Shah'),
    ('essex.editor', 'essex-police', User.Role.EDITOR, 'Tom', 'Barker'),
    ('essex.viewer', 'essex-police', User.Role.VIEWER, 'Megan', 'Hughes'),
]


def load(log) -> None:
    created = 0
    for username, slug, role, first_name, last_name in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            actions.create_user(
                None,
                username=username,
                organisation=Organisation.objects.get(slug=slug),
                role=role,
                password=DEMO_PASSWORD,
                first_name=first_name,
                last_name=last_name,
                email=f'{username}@demo.invalid',
                # Nobody can receive mail at .invalid: marked verified so the printed logins work.
                email_verified=True,
            )
            created += 1
        elif not user.check_password(DEMO_PASSWORD):
            # Someone changed it since the last run: the printed logins must work.
            actions.set_password(None, user, DEMO_PASSWORD)
    log(f'Demo accounts: {created} created, {len(DEMO_USERS) - created} already present.')


def logins() -> list[tuple[str, str, str]]:
    """(username, organisation, role) of each demo account, for the table `oversight demo` prints."""
    users = {u.username: u for u in User.objects.filter(username__in=[u[0] for u in DEMO_USERS])}
    return [
        (name, str(users[name].organisation), users[name].get_role_display())
        for name, *_ in DEMO_USERS
        if name in users
    ]
