"""The Kemendagri-style rating: model, evidence register (bukti dukung), scores, what-if.

Every result is an estimate from a configurable model (config/rating_model.yaml),
not the official Kemendagri score; see docs/penilaian.md.
"""

from pipelines.rating.evidence import (
    EvidenceError,
    EvidenceRecord,
    add_evidence,
    completeness,
    completeness_for,
    copy_evidence_to_warehouse,
    evidence_fingerprint,
    list_evidence,
    load_evidence,
    reject_evidence,
    verify_evidence,
)
from pipelines.rating.model import RatingModel, RatingModelError, load_model, parse_model
from pipelines.rating.scoring import (
    DepartmentRating,
    RatingResult,
    rate_city,
    rate_departments,
    score_city,
    score_departments,
)
from pipelines.rating.whatif import Change, Plan, improvement_options, what_if

__all__ = [
    "Change", "DepartmentRating", "EvidenceError", "EvidenceRecord", "Plan", "RatingModel", "RatingModelError",
    "RatingResult", "add_evidence", "completeness", "completeness_for", "copy_evidence_to_warehouse",
    "evidence_fingerprint", "improvement_options", "list_evidence", "load_evidence", "parse_model", "rate_city",
    "rate_departments", "reject_evidence", "score_city", "score_departments", "verify_evidence", "what_if",
    "load_model",
]
