"""Case workflows: routes of review, consultation and decision stages, and business days."""

from workflows.calendar import YEAR_END_CLOSURE, BusinessCalendar
from workflows.engine import (
    allowed_actions,
    current_stage,
    deciding_position,
    deciding_tier,
    transition,
    waiting_positions,
)
from workflows.model import (
    Action,
    ActionKind,
    Actor,
    CaseState,
    Context,
    Event,
    ObjectionRule,
    Outcome,
    Position,
    Refusal,
    RefusalCode,
    Stage,
    StageKind,
    Status,
    Tier,
)
from workflows.routes import Route, RouteError, route_problems

__all__ = [
    "YEAR_END_CLOSURE",
    "Action",
    "ActionKind",
    "Actor",
    "BusinessCalendar",
    "CaseState",
    "Context",
    "Event",
    "ObjectionRule",
    "Outcome",
    "Position",
    "Refusal",
    "RefusalCode",
    "Route",
    "RouteError",
    "Stage",
    "StageKind",
    "Status",
    "Tier",
    "allowed_actions",
    "current_stage",
    "deciding_position",
    "deciding_tier",
    "route_problems",
    "transition",
    "waiting_positions",
]
