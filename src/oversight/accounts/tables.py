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
