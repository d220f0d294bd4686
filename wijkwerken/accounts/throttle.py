"""Login throttling on top of django-axes: one account from one address, and one address over all accounts.

Two locks, each with its own limit within the cool-off period (`AXES_COOLOFF_MINUTES`):

- an account from one address (`AXES_FAILURE_LIMIT`, 5): guessing one person's password. Keyed on the real
  client address (`wijkwerken.core.throttle.client_address`), so someone guessing from elsewhere never locks the
  real person out, and people behind the same proxy never lock each other out;
- an address over all accounts (`AXES_ADDRESS_FAILURE_LIMIT`, 30): one password tried on many accounts
  ("spraying") from one address.

A successful login clears only its own account-and-address failures: logging in to one's own account never wipes
an address's count. A locked-out person still gets in through the password-reset link: a successful reset
lifts the locks on the account (`login_locks_lift`) and logs the person in.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum

ADDRESS = "ip_address"


def login_username(request, credentials=None):
    """AXES_USERNAME_CALLABLE: the e-mail address as the account knows it, so "AN@X.BE" and "an@x.be " count as
    the same account."""
    source = credentials if credentials else getattr(request, "POST", None)
    username = source.get(settings.AXES_USERNAME_FORM_FIELD) if source else None
    return username.strip().lower() if isinstance(username, str) else username


def _limit_for(parameter) -> int:
    return settings.AXES_ADDRESS_FAILURE_LIMIT if parameter == ADDRESS else settings.AXES_FAILURE_LIMIT


class LoginThrottleHandler(AxesDatabaseHandler):
    """AXES_HANDLER: django-axes' database handler with a limit per lockout parameter."""

    def failures_by_parameter(self, request, credentials=None) -> list[tuple[object, int, int]]:
        """(parameter, failures within the cool-off, its limit) for each of AXES_LOCKOUT_PARAMETERS."""
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)
        return [
            (parameter, attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0, _limit_for(parameter))
            for parameter, attempts in zip(parameters, attempts_list, strict=True)
        ]

    def get_failures(self, request, credentials=None) -> int:
        """The failures on the scale of AXES_FAILURE_LIMIT, which axes compares them with: a parameter that has
        reached its own limit counts as AXES_FAILURE_LIMIT."""
        base = settings.AXES_FAILURE_LIMIT
        return max((failures * base // limit for _parameter, failures, limit
                    in self.failures_by_parameter(request, credentials)), default=0)

    def is_allowed(self, request, credentials=None) -> bool:
        allowed = super().is_allowed(request, credentials)
        if not allowed:
            # Refused before the password was checked: the receivers do not write this attempt to the audit log
            # again (the lock itself was).
            request.login_refused_by_lock = True
        return allowed

    def reset_user_attempts(self, request, credentials=None) -> int:
        """After a successful login: only this account's failures from this address."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return count


def address_is_locked(request, credentials=None) -> bool:
    """Whether the address-over-all-accounts lock is the one that holds (for the lock-out page's wording)."""
    return any(parameter == ADDRESS and failures >= limit
               for parameter, failures, limit in LoginThrottleHandler().failures_by_parameter(request, credentials))


def login_locks_lift(*, email: str) -> int:
    """Forget the failed logins of this account from every address (a successful password reset)."""
    count, _ = AccessAttempt.objects.filter(username=email.strip().lower()).delete()
    return count
