"""Query parameters as part of the contract: a request naming a parameter its operation
does not read (any method: a write reads none unless it declares it) is 400, a problem
whose `errors` name it, not silently ignored; a misspelt filter would otherwise answer
everything. Every API view of the project has this check. Pagination's own parameters
are declared by the paginator and their values checked here (DRF falls back to its
default on a bad limit or offset; a client asking `limit=abc` must hear that it was not
understood)."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import pagination, serializers
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.request import Request
from rest_framework.viewsets import ViewSetMixin

UNKNOWN_PARAMETER = "unknown_parameter"
# An OPTIONS request asks what the operation takes; it reads nothing.
UNCHECKED = ("OPTIONS",)

Declared = Iterable[str] | type[serializers.Serializer]


def names_of(declared: Declared) -> set[str]:
    if isinstance(declared, type) and issubclass(declared, serializers.Serializer):
        return set(declared().fields)
    return set(declared)


def pagination_parameters(paginator: pagination.BasePagination | None) -> dict[str, int]:
    """The paginator's parameters and the least integer each accepts (None: not an
    integer, e.g. an opaque cursor)."""
    if isinstance(paginator, pagination.LimitOffsetPagination):
        return {paginator.limit_query_param: 1, paginator.offset_query_param: 0}
    if isinstance(paginator, pagination.PageNumberPagination):
        found = {paginator.page_query_param: 1}
        if paginator.page_size_query_param:
            found[paginator.page_size_query_param] = 1
        return found
    if isinstance(paginator, pagination.CursorPagination):
        found = {paginator.cursor_query_param: -1}
        if paginator.page_size_query_param:
            found[paginator.page_size_query_param] = 1
        return found
    return {}


def refusals(query: Mapping[str, Any], declared: set[str], paged: dict[str, int]) -> dict:
    errors: dict[str, list[ErrorDetail]] = {}
    for name in query:
        if name not in declared and name not in paged:
            message = _("Unknown query parameter: %(name)s.") % {"name": name}
            errors[name] = [ErrorDetail(message, code=UNKNOWN_PARAMETER)]
    for name, least in paged.items():
        value = query.get(name)
        if value is None or least < 0:
            continue
        if not value.isdigit() or int(value) < least:
            message = _("Give a whole number from %(least)d.") % {"least": least}
            errors[name] = [ErrorDetail(message, code="invalid")]
    return errors


class DeclaredQueryParameters:
    """For API views: `query_parameters` names what a request may ask, for every request of
    the view (an iterable of names, or a serializer class whose fields are the names) or
    per action of a viewset (`{"list": MeetingFilterSerializer}`); a paginated list adds its
    paginator's. Checked after authentication and permissions, so that a stranger still
    hears 401 or 403 first."""

    query_parameters: Declared | Mapping[str, Declared] = ()
    # A viewset's actions that page (an @action with a pagination_class of its own too).
    paged_actions: tuple[str, ...] = ("list",)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if request.method in UNCHECKED:
            return
        errors = refusals(request.query_params, self.declared_names(), self.paged())
        if errors:
            raise ValidationError(errors)

    def declared_names(self) -> set[str]:
        declared = self.query_parameters
        if isinstance(declared, Mapping):
            declared = declared.get(getattr(self, "action", None) or "", ())
        return names_of(declared)

    def paged(self) -> dict[str, int]:
        """The paginator's parameters: of a viewset's paged actions, or of a view that is
        not a viewset and pages."""
        if isinstance(self, ViewSetMixin):
            if getattr(self, "action", None) not in self.paged_actions:
                return {}
            return pagination_parameters(getattr(self, "paginator", None))
        pagination_class = getattr(self, "pagination_class", None)
        return pagination_parameters(pagination_class() if pagination_class else None)
