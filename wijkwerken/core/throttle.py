"""Who is asking, and how often: the client's address behind a trusted proxy, and cache-based rate limits.

Behind a proxy every request comes from the proxy's address. The address the proxy saw is in
`X-Forwarded-For`, but anyone can send that header: it is believed only when the request comes from one of
`settings.TRUSTED_PROXIES` (addresses or networks). Each proxy appends the address it received the request
from, so the client is the right-most address that is not one of our proxies.
"""

import ipaddress
import time
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in trusted if entry.strip())


def _parse(address: str):
    try:
        return ipaddress.ip_address(address.strip())
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    ip = _parse(address or "")
    return ip is not None and any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request) -> str:
    """The address of the person behind the request (also django-axes' AXES_CLIENT_IP_CALLABLE)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not is_trusted_proxy(remote):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        ip = _parse(address)
        if ip is None:  # a garbled header: the proxy's own address is all we know
            return remote
        if not is_trusted_proxy(str(ip)):
            return str(ip)
    return str(_parse(forwarded[0])) if forwarded else remote


def rate_limit_hit(key: str, *, limit: int, period: int) -> bool:
    """Count one hit on `key` and say whether it is over `limit` hits in the current window of `period` seconds.

    A fixed window in the cache (Redis in production: `add` and `incr` are atomic there), so it holds across
    web workers. The window starts at a multiple of `period`, so a burst at a window's edge may see twice the limit.
    """
    window = int(time.time() // period)
    cache_key = f"rate:{key}:{window}"
    if cache.add(cache_key, 1, timeout=period):
        return limit < 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=period)
        count = 1
    return count > limit
