"""Celery tasks of the workers app: they take ids, import their services inside, and are safe to run twice."""

from celery import shared_task


@shared_task(time_limit=30 * 60, soft_time_limit=29 * 60)
def run_trajectory_deadlines() -> dict:
    """Daily: end trajectories on their end date, warn before the end, remind evaluations and follow-ups."""
    from wijkwerken.core.dates import today

    from .services.trajectory_deadlines import trajectory_deadlines_run

    return trajectory_deadlines_run(today=today())


@shared_task(time_limit=5 * 60, soft_time_limit=4 * 60)
def render_agreement(worker_id: int) -> None:
    """Render the wijk-werkovereenkomst and store it; running again replaces the file."""
    from .models import Worker
    from .pdf import store_agreement_pdf

    worker = Worker.objects.select_related("organiser", "municipality").filter(pk=worker_id).first()
    if worker is not None:
        store_agreement_pdf(worker)
