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
