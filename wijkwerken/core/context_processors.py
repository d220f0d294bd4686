from django.conf import settings

from .navigation import navigation_for


def navigation(request):
    from .notifications import unread_count

    user = getattr(request, "user", None)
    authenticated = user is not None and user.is_authenticated
    # Before the second step of logging in (wijkwerken.accounts.middleware) there is nowhere to go yet.
    pending = bool(getattr(request, "two_factor_pending", None))
    return {
        "nav_items": navigation_for(user) if user is not None and not pending else [],
        "two_factor_pending": pending,
        "product_name": settings.SITE_NAME,  # not "site_name": the auth views set that to the host
        # Lazy: the COUNT runs only when a template shows the badge.
        "unread_notifications": (lambda: unread_count(user)) if authenticated else 0,
    }
