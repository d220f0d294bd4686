"""Two-step login: after the password, an account that needs a second factor reaches nothing but the second step.

After django-otp's OTPMiddleware (which says whether this session passed the second step). Staff without an
authenticator app are sent to set one up, everyone else with an app to type its code; every other page waits.
"""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .services import is_staff_account, two_factor_enabled, two_factor_required

# The pages of the second step itself, logging out, and the health check of the load balancer.
OPEN_URL_NAMES = {
    "accounts:two_factor_verify", "accounts:two_factor_setup", "accounts:logout", "core:health",
}


def second_step_pending(user) -> str | None:
    """The URL name of the step this logged-in user still has to take, or None."""
    if not getattr(user, "is_authenticated", False) or user.is_verified():
        return None
    enabled = two_factor_enabled(user)
    if two_factor_required(user):
        return "accounts:two_factor_verify" if enabled else "accounts:two_factor_setup"
    # Clients, workers and municipal staff who turned it on themselves. (Staff follow the setting alone, so the
    # tests, with the setting off, may log in the demo staff, who have an app, without a code.)
    if enabled and not is_staff_account(user):
        return "accounts:two_factor_verify"
    return None


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Also read by the navigation: no menu while the second step is pending.
        request.two_factor_pending = step = second_step_pending(request.user)
        match = request.resolver_match
        if step is None or match is None or match.view_name in OPEN_URL_NAMES:
            return None
        url = reverse(step)
        if request.method == "GET" and not getattr(request, "htmx", False):
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return redirect(url)
