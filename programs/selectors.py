"""Read-side queries for programs and people, shaped for the pages that show them."""

from django.db.models import Count, Prefetch, Q, QuerySet

from programs.models import AcademicYear, Program, Requirement, Resident, Rotation, StaffingRule

#: Who is in the program now, the people its pages count: active or on leave (not graduated,
#: not withdrawn).
IN_PROGRAM = (Resident.Status.ACTIVE, Resident.Status.LEAVE)


def program_overview(*, program: Program) -> dict:
    """Tracks with resident counts, rotations with staffing, requirements and years (5 queries)."""
    tracks = program.tracks.annotate(
        resident_count=Count("residents", filter=Q(residents__status__in=IN_PROGRAM))
    )
    rotations = program.rotations.prefetch_related(
        Prefetch("staffing", queryset=StaffingRule.objects.order_by("position"))
    )
    requirements = Requirement.objects.for_program(program).prefetch_related("tracks", "rotations")
    years = AcademicYear.objects.for_program(program).select_related("schedule")
    return {
        "tracks": list(tracks),
        "rotations": list(rotations),
        "requirements": list(requirements),
        "years": list(years),
    }


def roster_filter(
    *,
    program: Program,
    pgy: int | None = None,
    track: str | None = None,
    cohort: int | None = None,
    status: str | None = "active",
    query: str = "",
) -> QuerySet[Resident]:
    """The program's residents matching the roster page's filters, with their track."""
    residents = (
        Resident.objects.for_program(program)
        .filtered(pgy=pgy, track=track, cohort=cohort)
        .search(query)
        .select_related("track", "user")
    )
    if status:
        residents = residents.filter(status=status)
    return residents.order_by("pgy", "name")


def rotation_colors(*, program: Program) -> dict[str, str]:
    return dict(Rotation.objects.for_program(program).values_list("code", "color"))
