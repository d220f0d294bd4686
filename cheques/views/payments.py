"""Online payment (Mollie): paying an order, the return page and the webhook."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from wijkwerken.accounts.permissions import gebruiker_required
from wijkwerken.core.throttle import rate_limit_hit

from .. import selectors
from ..services import mollie as mollie_services


@gebruiker_required
@require_POST
def my_order_pay_online(request, pk):
    order = get_object_or_404(selectors.orders_for(request.user), pk=pk)
    return_url = request.build_absolute_uri(reverse("cheques:my_order_return", args=[order.pk]))
    try:
        online = mollie_services.mollie_payment_create(order=order, actor=request.user, return_url=return_url)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("cheques:my_order_detail", pk=order.pk)
    return redirect(online.checkout_url)


@gebruiker_required
def my_order_return(request, pk):
    """Back from Mollie: ask Mollie for the status of the latest payment (the webhook may not have come yet)."""
    order = get_object_or_404(selectors.orders_for(request.user), pk=pk)
    online = order.online_payments.order_by("-created_at").first()
    if online is not None:
        try:
            online = mollie_services.mollie_payment_sync(mollie_id=online.mollie_id)
        except ValidationError:
            online = None
    if online is not None and online.status == "paid":
        messages.success(request, _("Thank you: your payment was received and your cheques are in your wallet."))
    elif online is not None and online.status in ("open", "pending", "authorized"):
        messages.info(request, _("Your payment is being processed. Your cheques arrive as soon as it is confirmed."))
    else:
        messages.warning(request, _("The online payment was not completed. You can try again or pay by bank "
                                    "transfer."))
    return redirect("cheques:my_order_detail", pk=order.pk)


# Webhook calls per payment per hour: enough for every status change Mollie reports, not for someone who
# learnt a payment id and wants us to call Mollie again and again.
WEBHOOK_CALLS_PER_HOUR = 10


@csrf_exempt
@require_POST
def mollie_webhook(request):
    """Mollie posts only `id`. An unknown id is refused without side effects; a known one is checked with Mollie
    by a task (never by the web worker), at most WEBHOOK_CALLS_PER_HOUR times an hour (more: 429, and Mollie
    tries again later)."""
    mollie_id = request.POST.get("id", "")[:64]
    if rate_limit_hit(f"mollie-webhook:{mollie_id}", limit=WEBHOOK_CALLS_PER_HOUR, period=3600):
        return HttpResponse(status=429)
    if not mollie_services.mollie_webhook_accept(mollie_id=mollie_id):
        raise Http404
    return HttpResponse("OK")
