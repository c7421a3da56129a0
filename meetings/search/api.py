"""The archive's search over the API: GET /api/v1/search/?q=…, the /search/ page's results
(meetings.search.query: only what the caller may see, best first), page by page.

Mounted from config/urls.py, beside the page."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from httpapi.query_parameters import DeclaredQueryParameters, pagination_parameters
from meetings.api.permissions import MeetingPermission
from meetings.search.hits import Hit, hits
from meetings.search.models import EntryKind
from meetings.search.query import search
from meetings.search.text import MAX_QUERY_CHARS, query_words


class SearchParametersSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=MAX_QUERY_CHARS,
        help_text=gettext_lazy(
            "The words to find, all of them (case, accents and đ ignored; the last word "
            "may be the start of one)."
        ),
    )
    kind = serializers.ChoiceField(
        choices=EntryKind.choices,
        required=False,
        help_text=gettext_lazy("Only results of this kind."),
    )

    def validate_q(self, value: str) -> str:
        if not query_words(value):
            raise ValidationError(_("Give at least one word to search for."), code="no_words")
        return value


class SnippetSerializer(serializers.Serializer):
    text = serializers.CharField()
    matches = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2),
        help_text=gettext_lazy("[start, end) of each word found, as offsets into `text`."),
    )


class HitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=EntryKind.choices)
    kind_label = serializers.CharField(help_text=gettext_lazy("The kind, for people."))
    key = serializers.CharField(
        help_text=gettext_lazy(
            "The id of what was found within its kind (a session, a record version…)."
        )
    )
    meeting = serializers.IntegerField(help_text=gettext_lazy("The session it belongs to."))
    meeting_title = serializers.CharField()
    meeting_start = serializers.DateTimeField()
    title = serializers.CharField()
    snippet = serializers.SerializerMethodField()
    url = serializers.CharField(help_text=gettext_lazy("Its page (a document: its file)."))
    updated_at = serializers.DateTimeField(help_text=gettext_lazy("When it was last indexed."))

    @extend_schema_field(SnippetSerializer)
    def get_snippet(self, hit: Hit) -> dict:
        return {"text": hit.snippet.text, "matches": [list(pair) for pair in hit.snippet.matches]}

    def to_representation(self, hit: Hit) -> dict:
        data = {
            "kind": hit.entry.kind,
            "kind_label": hit.kind_label,
            "key": hit.entry.key,
            "meeting": hit.entry.meeting_id,
            "meeting_title": hit.meeting_title,
            "meeting_start": serializers.DateTimeField().to_representation(hit.meeting_start),
            "title": hit.entry.title,
            "snippet": self.get_snippet(hit),
            "url": self.context["request"].build_absolute_uri(hit.url),
            "updated_at": serializers.DateTimeField().to_representation(hit.entry.updated_at),
        }
        return data


class SearchPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        # DRF answers a page past the end with a 404, as if the search were missing; it
        # is a parameter out of range: a 400 naming it.
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            raise ValidationError({self.page_query_param: [_("Invalid page.")]}) from None

    def get_paginated_response(self, data) -> Response:
        response = super().get_paginated_response(data)
        response.data = {"more": self.page.paginator.object_list.more, **response.data}
        return response

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"] = {
            "more": {
                "type": "boolean",
                "description": _(
                    "More than `count` entries match: only the best `count` are paged "
                    "(add words to narrow the search)."
                ),
            },
            **paginated["properties"],
        }
        paginated["required"] = ["more", *paginated.get("required", [])]
        return paginated


class SearchView(DeclaredQueryParameters, GenericAPIView):
    """Every role searches; what it finds is meetings.search.query's answer."""

    permission_classes = [MeetingPermission]
    pagination_class = SearchPagination
    serializer_class = HitSerializer
    query_parameters = SearchParametersSerializer

    def paged(self) -> dict[str, int]:
        # A list without a viewset's "list" action: its paginator's parameters all the same.
        return pagination_parameters(self.paginator)

    @extend_schema(
        operation_id="search_archive",
        summary=gettext_lazy("Search the archive I may see"),
        description=gettext_lazy(
            "Sessions, their documents' text (agenda papers, minutes, notices), conclusion "
            "notices and tasks, best first: a match in the title before a match in the text. "
            "Only what the caller may see is searched, counted and returned: a confidential "
            "session's papers never, unless the caller is its organiser or invited."
        ),
        parameters=[SearchParametersSerializer],
        responses={200: HitSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        parameters = SearchParametersSerializer(data=request.query_params)
        parameters.is_valid(raise_exception=True)
        data = parameters.validated_data
        entries = search(request.user, data["q"], data.get("kind", ""))
        page = self.paginate_queryset(entries)
        found = hits(list(page), data["q"])
        return self.get_paginated_response(
            HitSerializer(found, many=True, context={"request": request}).data
        )
