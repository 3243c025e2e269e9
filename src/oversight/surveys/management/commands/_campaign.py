"""The campaign a command names (slug or year), or the command's error saying why there is none."""

from django.core.management.base import CommandError

from oversight.surveys.models import Campaign


def campaign_named(reference: str | None) -> Campaign | None:
    if not reference:
        return None
    try:
        return Campaign.objects.lookup(reference)
    except (Campaign.DoesNotExist, Campaign.MultipleObjectsReturned) as exc:
        raise CommandError(str(exc)) from exc
