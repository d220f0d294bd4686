"""How cheques answers the signals of the apps below it (connected in `ChequesConfig.ready()`)."""

from django.dispatch import receiver

from assignments.signals import prestaties_confirmed

from .tasks import settle_prestaties


@receiver(prestaties_confirmed, dispatch_uid="cheques.settle_confirmed_prestaties")
def settle_confirmed_prestaties(sender, *, prestatie_ids, **kwargs):
    """Confirmed hours are paid from the client's wallet by a task (the signal comes after the commit)."""
    settle_prestaties.delay(list(prestatie_ids))
