"""Template context every page needs: the programs the user belongs to, for the navigation."""

from programs.access import programs_for_user


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # A lazy queryset: only pages that show the program switcher pay for the query.
    return {"nav_programs": programs_for_user(user).only("slug", "name")}
