"""Writes on workers and trajectories. Each service: keyword-only, `actor=`, atomic, locked, audited."""

from .notifications import notifications_send, worker_url
from .registry import (
    WORKER_FIELDS,
    worker_account_create,
    worker_account_link,
    worker_agreement_generate,
    worker_create,
    worker_update,
)
from .trajectories import (
    FOLLOW_UP_MONTHS,
    follow_up_record,
    follow_ups_for,
    interim_work_record,
    trajectory_end,
    trajectory_evaluate,
    trajectory_extend,
    trajectory_start,
    trajectory_suspend,
)

__all__ = [
    "FOLLOW_UP_MONTHS",
    "WORKER_FIELDS",
    "follow_up_record",
    "follow_ups_for",
    "interim_work_record",
    "notifications_send",
    "trajectory_end",
    "trajectory_evaluate",
    "trajectory_extend",
    "trajectory_start",
    "trajectory_suspend",
    "worker_account_create",
    "worker_account_link",
    "worker_agreement_generate",
    "worker_create",
    "worker_update",
    "worker_url",
]
