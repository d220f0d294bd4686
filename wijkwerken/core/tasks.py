from celery import shared_task
from django.contrib.sessions.models import Session
from django.core.mail import EmailMessage
from django.utils import timezone


@shared_task(autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_email(subject: str, body: str, to: list[str]) -> int:
    """Send one plain-text e-mail. Retried only on temporary connection errors."""
    return EmailMessage(subject=subject, body=body, to=to).send()


@shared_task
def clear_expired_sessions() -> int:
    """Daily: one DELETE over every expired session."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
