"""The plan: measures, targets, responsible bodies, districts, progress and status (pure core)."""

from xietong.plan.loader import DEFAULT_PLAN_ID, load_plan
from xietong.plan.models import Body, District, Measure, Plan, Target
from xietong.plan.progress import Assessment, ProgressRecord, Status, assess, assess_all

__all__ = [
    "DEFAULT_PLAN_ID",
    "Assessment",
    "Body",
    "District",
    "Measure",
    "Plan",
    "ProgressRecord",
    "Status",
    "Target",
    "assess",
    "assess_all",
    "load_plan",
]
