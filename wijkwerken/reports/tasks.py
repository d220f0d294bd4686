"""Background jobs of the reports app. They take ids, call one service and are safe to run twice."""

from celery import shared_task

# A report of the whole organiser at Flanders scale takes a few minutes at most; the batch of a year's fiscal
# attests writes one PDF per private client. A build older than its limit shows as failed (`BuildMixin.is_stale`).
from .models import BATCH_TIME_LIMIT, REPORT_TIME_LIMIT


@shared_task(time_limit=REPORT_TIME_LIMIT, soft_time_limit=REPORT_TIME_LIMIT - 60)
def build_report(report_id: int) -> str:
    from .services import report_build

    return report_build(report_id).status


@shared_task(time_limit=BATCH_TIME_LIMIT, soft_time_limit=BATCH_TIME_LIMIT - 60)
def run_attest_batch(batch_id: int) -> str:
    from .services import attest_batch_run

    return attest_batch_run(batch_id).status


@shared_task(time_limit=120, soft_time_limit=110)
def render_fiscal_attest(attest_id: int) -> None:
    from .services import fiscal_attest_render

    fiscal_attest_render(attest_id)


@shared_task
def make_yearly_documents() -> dict:
    """Daily in January: the past year's reports and fiscal attests, on the rule set's day (see the service)."""
    from .services import yearly_documents_run

    return yearly_documents_run()
