from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.roles import can_view_meetings
from conferencing.jurisdiction import acts_for_an_office


class MeetingPermission(BasePermission):
    """Every role reads (which meetings is `meetings.visibility`'s answer); only the
    secretariat books and changes. Anonymous users get 401, users without a role 403."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return can_view_meetings(request.user)
        return acts_for_an_office(request.user)
