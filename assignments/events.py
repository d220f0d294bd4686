"""Events other apps may react to, without assignments knowing them (apps depend downward only).

A higher app registers a listener in its AppConfig.ready(); the listener is called after the commit of the
transaction that confirmed the hours, with the ids of the confirmed prestaties. Listeners should only enqueue
work (a Celery task): they run after the commit, outside the service's transaction.
"""

from django.db import transaction

_confirmed_listeners = []


def listen_prestaties_confirmed(callback) -> None:
    if callback not in _confirmed_listeners:
        _confirmed_listeners.append(callback)


def prestaties_confirmed(ids) -> None:
    ids = list(ids)
    if not ids:
        return
    for callback in _confirmed_listeners:
        transaction.on_commit(lambda callback=callback: callback(ids))
