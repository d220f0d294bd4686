"""Logins, failed logins and lock-outs go into the audit log (Django's and django-axes' signals)."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from wijkwerken.core.throttle import client_address

from . import services


@receiver(user_logged_in, dispatch_uid="accounts_audit_login")
def audit_login(sender, request, user, **kwargs):
    if request is not None:
        services.account_login_record(user=user, address=client_address(request))


@receiver(user_login_failed, dispatch_uid="accounts_audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs):
    # An attempt refused by a lock is not checked and not written again: the lock was.
    if request is None or getattr(request, "login_refused_by_lock", False):
        return
    services.account_login_failure_record(email=credentials.get("username") or "", address=client_address(request))


@receiver(user_locked_out, dispatch_uid="accounts_audit_lockout")
def audit_lockout(sender, request, username, ip_address, **kwargs):
    if request is None or getattr(request, "login_refused_by_lock", False):
        return
    from .throttle import address_is_locked

    services.account_lockout_record(email=username or "", address=ip_address or "",
                                    address_locked=address_is_locked(request, getattr(request, "axes_credentials",
                                                                                      None)))
