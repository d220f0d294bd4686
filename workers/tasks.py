from celery import shared_task

from wijkwerken.core.dates import today

from .clock import clock_run
from .models import Worker
from .pdf import store_agreement_pdf


@shared_task(time_limit=30 * 60, soft_time_limit=29 * 60)
def run_clock() -> dict:
    """Daily: end trajectories on their end date, warn before the end, remind evaluations and follow-ups."""
    return clock_run(today=today())


@shared_task(time_limit=5 * 60, soft_time_limit=4 * 60)
def render_agreement(worker_id: int) -> None:
    """Render the wijk-werkovereenkomst and store it; running again replaces the file."""
    worker = Worker.objects.select_related("organiser", "municipality").filter(pk=worker_id).first()
    if worker is not None:
        store_agreement_pdf(worker)
