from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts.roles import can_view_endpoints


class CanViewEndpoints(BasePermission):
    """Any signed-in role reads the site directory; anonymous users get 401, no role 403."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_view_endpoints(request.user)
