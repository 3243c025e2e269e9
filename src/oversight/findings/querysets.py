from django.db import models

from oversight.core.permissions import sees_everything


class ReportQuerySet(models.QuerySet):
    def for_user(self, user):
        """The regulator sees every report, drafts included; anyone else signed in only reports with a published
        version (published findings are public; a draft is the regulator's own)."""
        if not user.is_authenticated:
            return self.none()
        if sees_everything(user):
            return self
        return self.filter(versions__isnull=False).distinct()


class ReportVersionQuerySet(models.QuerySet):
    def for_user(self, user):
        """Published versions are aggregate findings, readable by everyone signed in (docs/findings.md, Access)."""
        return self if user.is_authenticated else self.none()

    def public(self):
        """What anyone may read without signing in, at the publication addresses (findings/public.py): the
        published versions not withdrawn. A draft is not a version, so it is never among them."""
        return self.filter(withdrawal__isnull=True)
