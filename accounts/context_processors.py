from django.http import HttpRequest

from accounts import roles as role_rules


def roles(request: HttpRequest) -> dict:
    """What the navigation needs to show each role only what it can do."""
    user = request.user
    return {
        "user_roles": sorted(role.label for role in role_rules.roles_of(user)),
        "can_view_endpoints": role_rules.can_view_endpoints(user),
        "can_view_meetings": role_rules.can_view_meetings(user),
    }
