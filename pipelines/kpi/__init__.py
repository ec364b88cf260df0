"""The KPI engine: kpi-spec.md implemented once in SQL (``pipelines/kpi/sql``), read through
``compute`` and the frame helpers by the dashboard, notebooks, scorecards and `monev kpi`."""

from pipelines.kpi.api import (
    DEFINITIONS_VERSION,
    KpiError,
    aging_by_department,
    breakdown_frame,
    by_month_frame,
    category_by_month,
    category_trend,
    channel_by_month,
    complaint_list,
    compute,
    department_by_month,
    due_soon_list,
    early_warning,
    overdue_list,
    reopened_list,
    resolve_as_of,
    snapshot_info,
)
from pipelines.kpi.filters import FilterError, UnknownFilterValue, normalize_filters

__all__ = [
    "DEFINITIONS_VERSION",
    "FilterError",
    "KpiError",
    "UnknownFilterValue",
    "aging_by_department",
    "breakdown_frame",
    "by_month_frame",
    "category_by_month",
    "category_trend",
    "channel_by_month",
    "complaint_list",
    "compute",
    "department_by_month",
    "due_soon_list",
    "early_warning",
    "normalize_filters",
    "overdue_list",
    "reopened_list",
    "resolve_as_of",
    "snapshot_info",
]
