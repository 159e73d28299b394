"""Writes for requests made in the app and for swaps, one module per area.

Every refusal is a ValidationError naming its reason, raised before anything is saved.
"""

from resident_requests.services.requests import (
    policy_for,
    policy_update,
    request_conflicts,
    request_decide,
    request_preview,
    request_refusals,
    request_replan,
    request_submit,
    request_withdraw,
)
from resident_requests.services.swaps import (
    swap_answer,
    swap_check,
    swap_decide,
    swap_offer,
    swap_preview,
    swap_withdraw,
)

__all__ = [
    "policy_for",
    "policy_update",
    "request_conflicts",
    "request_decide",
    "request_preview",
    "request_refusals",
    "request_replan",
    "request_submit",
    "request_withdraw",
    "swap_answer",
    "swap_check",
    "swap_decide",
    "swap_offer",
    "swap_preview",
    "swap_withdraw",
]
