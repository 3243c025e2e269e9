"""The messages django-allauth's pages show, declared so Oversight's Welsh catalogue translates them (docs/welsh.md).

allauth ships no Welsh catalogue, and `makemessages` collects only what Oversight's own source marks. Its pages
(change and reset password, e-mail addresses, second factors, third-party accounts, re-authentication, sign-out)
look their text up in the merged catalogue, where `LOCALE_PATHS` comes first, so declaring allauth's messages here,
word for word as its templates and forms write them, is enough for them to be shown in Welsh; nothing imports this
module. The password rules are Django's own (its Welsh catalogue lacks their current wording).
"""

from django.utils.translation import gettext_noop, ngettext_lazy

# allauth's templates and forms (allauth/templates/account, mfa, socialaccount; allauth/account/forms.py, fields.py).
ALLAUTH = (
    gettext_noop('Account Connections'),
    gettext_noop('Account Inactive'),
    gettext_noop('Activate'),
    gettext_noop('Add'),
    gettext_noop('Add Email'),
    gettext_noop('Add Email Address'),
    gettext_noop('Add a Third-Party Account'),
    gettext_noop('An authenticator app is not active.'),
    gettext_noop('Are you sure you want to sign out?'),
    gettext_noop('Authentication using an authenticator app is active.'),
    gettext_noop('Authenticator App'),
    gettext_noop('Bad Token'),
    gettext_noop('Change Password'),
    gettext_noop('Confirm'),
    gettext_noop('Confirm Access'),
    gettext_noop('Confirm Email Address'),
    gettext_noop('Current Password'),
    gettext_noop('Deactivate'),
    gettext_noop('Download'),
    gettext_noop('Email Addresses'),
    gettext_noop('Enter your password:'),
    gettext_noop('Forgot your password?'),
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we'll send you an email allowing you to reset it."
    ),
    gettext_noop('Generate'),
    gettext_noop('Login Cancelled'),
    gettext_noop('Make Primary'),
    gettext_noop('Manage'),
    gettext_noop('New Password'),
    gettext_noop('New Password (again)'),
    gettext_noop('No recovery codes set up.'),
    gettext_noop('No security keys have been added.'),
    gettext_noop('Password Reset'),
    gettext_noop('Please contact us if you have any trouble resetting your password.'),
    gettext_noop('Please reauthenticate to safeguard your account.'),
    gettext_noop('Primary'),
    gettext_noop('Re-send Verification'),
    gettext_noop('Recovery Codes'),
    gettext_noop('Reset My Password'),
    gettext_noop('Security Keys'),
    gettext_noop('Sign Out'),
    gettext_noop(
        'The password reset link was invalid, possibly because it has already been used.  Please request a '
        '<a href="%(passwd_reset_url)s">new password reset</a>.'
    ),
    gettext_noop(
        'This email confirmation link expired or is invalid. Please <a href="%(email_url)s">issue a new email '
        'confirmation request</a>.'
    ),
    gettext_noop('Two-Factor Authentication'),
    gettext_noop('Unverified'),
    gettext_noop('Verified'),
    gettext_noop('Verify Your Email Address'),
    gettext_noop('View'),
    gettext_noop('Warning:'),
    gettext_noop(
        'We have sent an email to you for verification. Follow the link provided to finalize the signup process. If '
        'you do not see the verification email in your main inbox, check your spam folder. Please contact us if you '
        'do not receive the verification email within a few minutes.'
    ),
    gettext_noop(
        'We have sent you an email. If you have not received it please check your spam folder. Otherwise contact us '
        'if you do not receive it in a few minutes.'
    ),
    gettext_noop('You are already logged in as %(user_display)s.'),
    gettext_noop(
        'You currently do not have any email address set up. You should really add an email address so you can '
        'receive notifications, reset your password, etc.'
    ),
    gettext_noop('You currently have no third-party accounts connected to this account.'),
    gettext_noop(
        'You decided to cancel logging in to our site using one of your existing accounts. If this was a mistake, '
        'please proceed to <a href="%(login_url)s">sign in</a>.'
    ),
    gettext_noop('Your password is now changed.'),
    ngettext_lazy('You have added %(count)s security key.', 'You have added %(count)s security keys.', 'count'),
    ngettext_lazy(
        'There is %(unused_count)s out of %(total_count)s recovery codes available.',
        'There are %(unused_count)s out of %(total_count)s recovery codes available.',
        'unused_count',
    ),
)

# The emails allauth sends for Oversight's settings (allauth/templates/account/email): the base every message
# extends, the password reset link, the reply to a reset for an unknown address, and email verification. They are
# rendered in the language of the request that sends them. (Notifications of account changes are not enabled.)
EMAILS = (
    gettext_noop('Hello from %(site_name)s!'),
    gettext_noop('Thank you for using %(site_name)s!\n%(site_domain)s'),
    gettext_noop('Password Reset Email'),
    gettext_noop(
        "You're receiving this email because you or someone else has requested a password reset for your user "
        'account.\nIt can be safely ignored if you did not request a password reset. Click the link below to reset '
        'your password.'
    ),
    gettext_noop('In case you forgot, your username is %(username)s.'),
    gettext_noop('Unknown Account'),
    gettext_noop(
        'You are receiving this email because you, or someone else, tried to access an account with email '
        '%(email)s. However, we do not have any record of such an account in our database.'
    ),
    gettext_noop('This mail can be safely ignored if you did not initiate this action.'),
    gettext_noop('If it was you, you can sign up for an account using the link below.'),
    gettext_noop('Please Confirm Your Email Address'),
    gettext_noop(
        "You're receiving this email because user %(user_display)s has given your email address to register an "
        'account on %(site_domain)s.'
    ),
    gettext_noop('Your email verification code is listed below. Please enter it in your open browser window.'),
    gettext_noop('To confirm this is correct, go to %(activate_url)s'),
)

# Django's password rules (django/contrib/auth/password_validation.py), shown under the new password's field.
PASSWORD_RULES = (
    gettext_noop('Your password can’t be too similar to your other personal information.'),
    gettext_noop('Your password can’t be a commonly used password.'),
    gettext_noop('Your password can’t be entirely numeric.'),
    ngettext_lazy(
        'Your password must contain at least %(min_length)d character.',
        'Your password must contain at least %(min_length)d characters.',
        'min_length',
    ),
)
