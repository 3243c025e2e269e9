import importlib

from django.db import migrations, models

from oversight.core.rules import EnforceRule

# SQLite rebuilds the organisation table to add a column with a CHECK; the trigger on accounts_user that
# reads this table would stop the rebuild's rename, so it is dropped for the rebuild and made again.
ROLE_RULE = next(
    operation
    for operation in importlib.import_module(
        'oversight.accounts.migrations.0003_role_follows_organisation'
    ).Migration.operations
    if isinstance(operation, EnforceRule)
)


class SuspendRule(EnforceRule):
    """The rule's trigger dropped (made again when migrating backwards)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        super().database_backwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        super().database_forwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ('organisations', '0002_policing_bodies'),
        ('accounts', '0003_role_follows_organisation'),
    ]

    operations = [
        SuspendRule(**ROLE_RULE.deconstruct()[2]),
        migrations.AddField(
            model_name='organisation',
            name='preferred_language',
            field=models.CharField(
                choices=[('en-gb', 'English'), ('cy', 'Cymraeg (Welsh)')], default='en-gb', max_length=8
            ),
        ),
        migrations.AddConstraint(
            model_name='organisation',
            constraint=models.CheckConstraint(
                condition=models.Q(('preferred_language__in', ['en-gb', 'cy'])), name='organisation_language_offered'
            ),
        ),
        EnforceRule(**ROLE_RULE.deconstruct()[2]),
    ]
