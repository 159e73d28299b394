"""Who may see or act on which request or swap, on top of `programs.access`.

Residents see and act on their own requests and on the swaps they offered or were offered;
chief residents and managers decide (the queue); faculty see no one's requests. A request
or swap of another program is a 404; one of this program that is not yours, a 403. The
leave category is for directors (and the resident it belongs to) only.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from programs.access import ProgramAccess
from programs.models import ResidentRequest, Role
from resident_requests.models import Swap

DIRECTORS = frozenset({Role.Kind.DIRECTOR, Role.Kind.ASSOCIATE_DIRECTOR})


def sees_leave_category(access: ProgramAccess) -> bool:
    """Program and associate directors (issue 11: the category is theirs to know)."""
    return access.is_staff or bool(access.roles & DIRECTORS)


def request_for_access(access: ProgramAccess, pk: int, *, decide: bool = False) -> ResidentRequest:
    """A request of the program: to decide it (schedulers), or as its own resident."""
    request = (
        ResidentRequest.objects.select_related("resident__program", "resident__track", "rotation")
        .filter(resident__program=access.program, pk=pk)
        .first()
    )
    if request is None:
        raise Http404("No such request.")
    if decide:
        if not access.can_schedule:
            raise PermissionDenied("Only chief residents and directors decide requests.")
        return request
    if access.resident is None or access.resident.pk != request.resident_id:
        raise PermissionDenied("This is not your request.")
    return request


def swap_for_access(access: ProgramAccess, pk: int, *, as_role: str) -> Swap:
    """A swap of the program for its `partner`, its offerer (`offered_by`) or a `decider`."""
    swap = (
        Swap.objects.select_related("offered_by", "partner", "schedule__academic_year", "program")
        .filter(program=access.program, pk=pk)
        .first()
    )
    if swap is None:
        raise Http404("No such swap.")
    if as_role == "decider":
        if not access.can_schedule:
            raise PermissionDenied("Only chief residents and directors decide swaps.")
        return swap
    mine = access.resident.pk if access.resident is not None else None
    if mine is None or getattr(swap, f"{as_role}_id") != mine:
        raise PermissionDenied("This swap is not yours to answer.")
    return swap
