from celery import shared_task
from django.db import transaction

from wijkwerken.core.dates import today


@shared_task(time_limit=120, soft_time_limit=100)
def render_client_agreement(client_id: int) -> bool:
    """Render and store the client's gebruikersovereenkomst (rendering again replaces the file)."""
    from .models import Client
    from .pdf import store_agreement_pdf

    client = Client.objects.filter(pk=client_id).first()
    if client is None:
        return False
    with transaction.atomic():
        store_agreement_pdf(client)
    return True


@shared_task(time_limit=600)
def open_registration_fees() -> int:
    """1 January: this year's fee becomes due for every client that has not stopped (idempotent)."""
    from .services import registration_fees_open_year

    return registration_fees_open_year(year=today().year)


@shared_task(time_limit=600)
def close_assignments_without_trajectory() -> int:
    """Daily, after the trajectory clock: assignments whose worker's trajectory ended (or whose last day passed)
    end. One UPDATE; safe to run twice."""
    from .services import assignments_end_after_trajectory

    return assignments_end_after_trajectory(on=today())


@shared_task(time_limit=900)
def run_hours_deadlines() -> dict:
    """Daily: automatic validation after N working days, reminders, automatic confirmation after N days.

    Each step only touches rows still in the state it moves them from, so running twice changes nothing.
    """
    from .services import prestaties_auto_confirm, prestaties_auto_validate, prestaties_remind_confirmation

    on = today()
    return {
        "validated": prestaties_auto_validate(on=on),
        "reminded": prestaties_remind_confirmation(on=on),
        "confirmed": prestaties_auto_confirm(on=on),
    }


@shared_task(time_limit=300)
def purge_unconfirmed_registrations() -> int:
    """Daily: online registrations never confirmed within the link's validity are deleted (one DELETE)."""
    from .services.registrations import client_registrations_purge_unconfirmed

    return client_registrations_purge_unconfirmed()
