"""Reads of the privacy app, scoped to the user's organiser (someone else's request or person is a 404)."""

import datetime

from django.db.models import F, QuerySet, Value
from django.shortcuts import get_object_or_404

from assignments.models import Client
from wijkwerken.core.dates import add_months, today
from wijkwerken.core.rules import rule_set_on
from workers.models import Worker

from .models import AccessRequest
from .services import due_on


def anonymisation_preview(user, *, on: datetime.date | None = None) -> QuerySet:
    """Who the retention rule anonymises from `on` (today) up to one month later, oldest end first: the organiser's
    workers and clients due by then and not anonymised yet (those overdue too, should a night have been missed).

    One row (`row_kind`, `pk`, `row_ended_on`) per person, merged and ordered in the database, so a page of it reads
    only its own rows; `preview_rows` turns a page into the rows the page shows."""
    on = on or today()
    workers, clients = due_on(user.organiser, add_months(on, 1))
    return (
        workers.order_by().values("pk", row_kind=Value("worker"), row_ended_on=F("relation_ended_on"))
        .union(clients.order_by().values("pk", row_kind=Value("client"), row_ended_on=F("relation_ended_on")),
               all=True)
        .order_by("row_ended_on", "row_kind", "pk")
    )


def preview_rows(user, entries, *, on: datetime.date | None = None) -> list[dict]:
    """The rows of a page of `anonymisation_preview`: the person (with municipality), the end of the relation and
    the day of anonymisation."""
    on = on or today()
    months = 12 * rule_set_on(organiser=user.organiser, on=add_months(on, 1)).retention_years
    ids = {"worker": [], "client": []}
    for entry in entries:
        ids[entry["row_kind"]].append(entry["pk"])
    persons = {
        "worker": Worker.objects.filter(organiser_id=user.organiser_id).select_related("municipality").in_bulk(
            ids["worker"]),
        "client": Client.objects.filter(organiser_id=user.organiser_id).select_related("municipality").in_bulk(
            ids["client"]),
    }
    return [{"kind": entry["row_kind"], "person": persons[entry["row_kind"]][entry["pk"]],
             "ended_on": entry["row_ended_on"], "due_on": max(add_months(entry["row_ended_on"], months), on)}
            for entry in entries]


def access_requests_for(user):
    return (AccessRequest.objects.filter(organiser_id=user.organiser_id)
            .select_related("worker", "client", "requested_by", "delivered_by"))


def access_request_of(user, pk) -> AccessRequest:
    return get_object_or_404(access_requests_for(user), pk=pk)
