"""Case workflows: routes of review and decision stages, and business-day arithmetic."""

from workflows.calendar import YEAR_END_CLOSURE, BusinessCalendar
from workflows.engine import allowed_actions, current_stage, transition
from workflows.model import (
    Action,
    ActionKind,
    Actor,
    CaseState,
    Event,
    Outcome,
    Refusal,
    RefusalCode,
    Route,
    RouteError,
    Stage,
    StageKind,
    Status,
    route_problems,
)

__all__ = [
    "YEAR_END_CLOSURE",
    "Action",
    "ActionKind",
    "Actor",
    "BusinessCalendar",
    "CaseState",
    "Event",
    "Outcome",
    "Refusal",
    "RefusalCode",
    "Route",
    "RouteError",
    "Stage",
    "StageKind",
    "Status",
    "allowed_actions",
    "current_stage",
    "route_problems",
    "transition",
]
