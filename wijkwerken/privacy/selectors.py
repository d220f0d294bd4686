"""Reads of the privacy app, scoped to the user's organiser (someone else's request or person is a 404)."""

import datetime

from django.shortcuts import get_object_or_404

from wijkwerken.core.dates import add_months, today
from wijkwerken.core.rules import rule_set_on

from .models import AccessRequest
from .services import due_on


def anonymisation_preview(user, *, on: datetime.date | None = None) -> list[dict]:
    """Who the retention rule anonymises from `on` (today) up to one month later, oldest end first: the organiser's
    workers and clients due by then and not anonymised yet (those overdue too, should a night have been missed)."""
    on = on or today()
    until = add_months(on, 1)
    workers, clients = due_on(user.organiser, until)
    months = 12 * rule_set_on(organiser=user.organiser, on=until).retention_years
    rows = [{"kind": "worker", "person": worker, "ended_on": worker.relation_ended_on}
            for worker in workers.select_related("municipality")]
    rows += [{"kind": "client", "person": client, "ended_on": client.relation_ended_on}
             for client in clients.select_related("municipality")]
    for row in rows:
        row["due_on"] = max(add_months(row["ended_on"], months), on)
    return sorted(rows, key=lambda row: (row["ended_on"], row["kind"], row["person"].pk))


def access_requests_for(user):
    return (AccessRequest.objects.filter(organiser_id=user.organiser_id)
            .select_related("worker", "client", "requested_by", "delivered_by"))


def access_request_of(user, pk) -> AccessRequest:
    return get_object_or_404(access_requests_for(user), pk=pk)
