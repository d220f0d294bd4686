"""Every write in coaching goes through these functions (`<entity>_<verb>(*, ..., actor)`)."""

from .caseload import (
    coach_assign,
    coach_assign_many,
    coach_periods_sync,
    coaching_settings_update,
    note_access_grant,
    note_access_revoke,
)
from .competences import (
    competence_framework_draft,
    competence_framework_ensure,
    competence_framework_publish,
    competence_remove,
    competence_save,
    measurement_score,
    measurement_start,
)
from .goals import goal_action_add, goal_action_set_status, goal_create, goal_review, goal_set_status
from .groups import (
    group_session_cancel,
    group_session_invite,
    group_session_plan,
    peer_group_create,
    session_attendance_record,
    session_note_write,
    session_respond,
)
from .notes import (
    note_addendum_add,
    note_correct,
    note_create,
    notes_log_read,
    shared_summary_write,
    visit_record,
)
from .portfolio import portfolio_issue, portfolio_request
from .wellbeing import check_in_record

__all__ = [
    "check_in_record",
    "coach_assign",
    "coach_assign_many",
    "coach_periods_sync",
    "coaching_settings_update",
    "competence_framework_draft",
    "competence_framework_ensure",
    "competence_framework_publish",
    "competence_remove",
    "competence_save",
    "goal_action_add",
    "goal_action_set_status",
    "goal_create",
    "goal_review",
    "goal_set_status",
    "group_session_cancel",
    "group_session_invite",
    "group_session_plan",
    "measurement_score",
    "measurement_start",
    "note_access_grant",
    "note_access_revoke",
    "note_addendum_add",
    "note_correct",
    "note_create",
    "notes_log_read",
    "peer_group_create",
    "portfolio_issue",
    "portfolio_request",
    "session_attendance_record",
    "session_note_write",
    "session_respond",
    "shared_summary_write",
    "visit_record",
]
