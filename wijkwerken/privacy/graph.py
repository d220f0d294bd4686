"""Which rows belong to a wijk-werker or a client, found in the model graph rather than in a list, so a model added
later is exported and anonymised without anyone remembering to add it here.

A row belongs to a person when it has a foreign key to them, or to a row that belongs to them (up to three steps:
worker → trajectory → measurement → score). A row reached through another row is not followed when it points at a
person of the other kind itself: a cheque paid for a worker's prestatie is the client's, and a coaching note on a
client's assignment is the wijk-werker's case file. A model's foreign key to itself is not followed either (the next
assignment of a hand-over belongs to the next worker).
"""

import functools

from django.apps import apps
from django.db.models import Q

MAX_STEPS = 3


def person_models():
    """The two kinds of person whose data the retention rule and the access right cover."""
    return (apps.get_model("workers", "Worker"), apps.get_model("assignments", "Client"))


def _points_at(model, targets) -> bool:
    return any(field.many_to_one or field.one_to_one
               for field in model._meta.concrete_fields
               if field.is_relation and field.related_model in targets)


@functools.cache
def personal_paths(root) -> dict:
    """{model: (lookup, ...)}: every model whose rows belong to a `root` row (Worker or Client), with the lookups
    from it to the root (`trajectory__worker`), for `filter(lookup__in=ids)`."""
    others = tuple(model for model in person_models() if model is not root)
    paths: dict = {}
    frontier = [(root, "")]
    for step in range(MAX_STEPS):
        next_frontier = []
        for target, path in frontier:
            for model in apps.get_models():
                if model is target or model in person_models():
                    continue
                if step > 0 and _points_at(model, others):
                    continue
                for field in model._meta.concrete_fields:
                    if field.is_relation and (field.many_to_one or field.one_to_one) and field.related_model is target:
                        lookup = f"{field.name}__{path}" if path else field.name
                        paths.setdefault(model, [])
                        if lookup not in paths[model]:
                            paths[model].append(lookup)
                            next_frontier.append((model, lookup))
        frontier = next_frontier
    return {model: tuple(lookups) for model, lookups in paths.items()}


def rows_of(model, root, ids):
    """The rows of `model` that belong to the `root` rows with `ids`."""
    condition = Q()
    for lookup in personal_paths(root)[model]:
        condition |= Q(**{f"{lookup}__in": ids})
    return model._default_manager.filter(condition).distinct()
