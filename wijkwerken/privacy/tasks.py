"""Background jobs of the privacy app. They take ids, call one service and are safe to run twice."""

from celery import shared_task


@shared_task(time_limit=1800, soft_time_limit=1740)
def anonymise_expired() -> dict:
    """Nightly: anonymise the personal data past the retention rule (see services.retention_run)."""
    from .services import retention_run

    return retention_run()


@shared_task(time_limit=300, soft_time_limit=280)
def build_access_export(access_request_id: int) -> str:
    from .services import access_export_build

    return access_export_build(access_request_id).status


@shared_task(time_limit=600, soft_time_limit=580)
def remove_expired_access_exports() -> int:
    """Nightly: delete the access exports kept longer than a month (see services.access_exports_remove)."""
    from .services import access_exports_remove

    return access_exports_remove()
