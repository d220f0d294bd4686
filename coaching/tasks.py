"""Celery tasks of the coaching app: they take ids, import their services inside, and are safe to run twice."""

from celery import shared_task


@shared_task(time_limit=5 * 60, soft_time_limit=4 * 60)
def render_portfolio(portfolio_id: int) -> None:
    """Render the portfolio PDF and store it; running again replaces the file."""
    from .pdf import store_portfolio_pdf

    store_portfolio_pdf(portfolio_id)


@shared_task(time_limit=30 * 60, soft_time_limit=29 * 60)
def run_reminders() -> dict:
    """Daily: coaching history in step, reminders for measurements, contact, actions and closing."""
    from wijkwerken.core.dates import today

    from .services.reminders import reminders_run

    return reminders_run(today=today())


@shared_task(time_limit=5 * 60, soft_time_limit=4 * 60)
def remind_closing(worker_ids: list[int]) -> int:
    """A trajectory ended: ask the coach for the final measurement and summary now, not at the next daily run."""
    from django.conf import settings
    from django.utils import translation

    from wijkwerken.core.dates import today

    from .services.reminders import caseload_reminders

    with translation.override(settings.LANGUAGE_CODE):
        return caseload_reminders(today=today(), worker_ids=worker_ids)
