from celery import shared_task

from wijkwerken.core.dates import today

from .pdf import store_portfolio_pdf
from .reminders import reminders_run


@shared_task(time_limit=5 * 60, soft_time_limit=4 * 60)
def render_portfolio(portfolio_id: int) -> None:
    """Render the portfolio PDF and store it; running again replaces the file."""
    store_portfolio_pdf(portfolio_id)


@shared_task(time_limit=30 * 60, soft_time_limit=29 * 60)
def run_reminders() -> dict:
    """Daily: coaching history in step, reminders for measurements, contact, actions and closing."""
    return reminders_run(today=today())
