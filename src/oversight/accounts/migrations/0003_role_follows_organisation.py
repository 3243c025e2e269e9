from django.db import migrations

from oversight.core.rules import EnforceRule


class Migration(migrations.Migration):
    dependencies = [
        ('accounts', '0002_user_scoped_manager'),
        ('organisations', '0002_policing_bodies'),
    ]

    operations = [
        EnforceRule(
            name='accounts_role_follows_organisation',
            table='accounts_user',
            columns=['role', 'organisation_id'],
            condition=(
                'NEW.organisation_id IS NOT NULL AND '
                "((SELECT kind FROM organisations_organisation WHERE id = NEW.organisation_id) = 'regulator')"
                " IS DISTINCT FROM (NEW.role = 'regulator')"
            ),
            message="The regulator's users are regulator staff and overseen bodies' users are not.",
        ),
    ]
