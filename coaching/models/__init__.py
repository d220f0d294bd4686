"""Coaching: the werkcoach's caseload, confidential notes, competences, wellbeing, goals, peer groups and the
portfolio. The app sits on top of workers and assignments; nothing below imports it."""

from .caseload import CoachingSettings, CoachPeriod, NoteAccessGrant
from .competences import SCALE, Competence, CompetenceFramework, Measurement, MeasurementMoment, Rater, Score
from .goals import ActionOwner, ActionStatus, Goal, GoalAction, GoalProgress, GoalReview, GoalStatus
from .groups import GroupSession, InvitationResponse, PeerGroup, SessionInvitation, SessionStatus
from .notes import (
    CORRECTION_WINDOW,
    MAX_NOTE_MINUTES,
    NOTE_FORM_KINDS,
    CoachingNote,
    NoteAddendum,
    NoteKind,
    NoteRevision,
    SharedSummary,
)
from .portfolio import Portfolio
from .wellbeing import DROP_POINTS, LOW_SCORE, CheckIn

__all__ = [
    "CORRECTION_WINDOW",
    "DROP_POINTS",
    "LOW_SCORE",
    "MAX_NOTE_MINUTES",
    "NOTE_FORM_KINDS",
    "SCALE",
    "ActionOwner",
    "ActionStatus",
    "CheckIn",
    "CoachPeriod",
    "CoachingNote",
    "CoachingSettings",
    "Competence",
    "CompetenceFramework",
    "Goal",
    "GoalAction",
    "GoalProgress",
    "GoalReview",
    "GoalStatus",
    "GroupSession",
    "InvitationResponse",
    "Measurement",
    "MeasurementMoment",
    "NoteAccessGrant",
    "NoteAddendum",
    "NoteKind",
    "NoteRevision",
    "PeerGroup",
    "Portfolio",
    "Rater",
    "Score",
    "SessionInvitation",
    "SessionStatus",
    "SharedSummary",
]
