"""How django-allauth behaves in Oversight: nobody signs themselves up, and every account email is audited."""

from allauth.account.adapter import DefaultAccountAdapter

from .events import AccountEvent, record_event


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        """Accounts are made by the organisation a person works for (`create-user`), never by the person."""
        return False

    def send_password_reset_mail(self, user, email: str, context: dict) -> None:
        # A reset asked for a known account is recorded against it; one for an unknown address has no account
        # to record it on, and allauth answers both alike so the page cannot tell which addresses exist.
        record_event(AccountEvent.PASSWORD_RESET_REQUESTED, user=user, request=context.get('request'))
        super().send_password_reset_mail(user, email, context)


def axes_username(request, credentials=None) -> str:
    """The name django-axes counts failures against: what was typed in the sign-in form, in lower case."""
    name = (credentials or {}).get('username') or request.POST.get('login', '')
    return name.strip().lower()
