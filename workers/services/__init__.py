"""Writes on workers and trajectories. Each service: keyword-only, `actor=`, atomic, locked, audited."""

from .registry import (
    WORKER_FIELDS,
    worker_account_create,
    worker_account_link,
    worker_agreement_generate,
    worker_create,
    worker_update,
)
from .trajectories import (
    follow_up_record,
    interim_work_record,
    trajectory_end,
    trajectory_evaluate,
    trajectory_extend,
    trajectory_start,
    trajectory_suspend,
)

__all__ = [
    "WORKER_FIELDS",
    "follow_up_record",
    "interim_work_record",
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
]
