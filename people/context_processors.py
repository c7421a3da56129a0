from django.http import HttpRequest

from people import scope


def people(request: HttpRequest) -> dict:
    """Whether the navigation offers the people pages."""
    return {"can_manage_people": scope.may_manage_people(request.user)}
