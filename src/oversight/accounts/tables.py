import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from oversight.core.tables import DateTimeColumn

from .models import User


class UserTable(tables.Table):
    username = tables.Column(linkify=True)
    name = tables.Column(accessor='get_full_name', verbose_name=_('Name'), order_by=('last_name', 'first_name'))
    organisation = tables.Column()
    last_login = DateTimeColumn()

    class Meta:
        model = User
        fields = ('username', 'name', 'email', 'organisation', 'role', 'is_active', 'last_login')


class PersonTable(tables.Table):
    """The People page: who has an account, in which role, and whether it is in use."""

    name = tables.Column(
        accessor='get_full_name', verbose_name=_('Name'), order_by=('last_name', 'first_name'), linkify=True
    )
    email = tables.Column(verbose_name=_('Email'))
    organisation = tables.Column(verbose_name=_('Organisation'))
    role = tables.Column(verbose_name=_('Role'))
    status = tables.TemplateColumn(
        '{% status_tag record.status record.status_label "person-status" %}',
        verbose_name=_('Status'),
        order_by=('is_active',),
    )
    last_login = DateTimeColumn(verbose_name=_('Last signed in'))

    class Meta:
        model = User
        fields = ('name', 'email', 'organisation', 'role', 'status', 'last_login')

    def render_name(self, record, value):
        return value or record.username
