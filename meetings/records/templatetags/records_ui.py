"""The records section of a meeting's page, rendered where the page's template asks.

The meeting page belongs to the booking core, which never imports records: its
template loads this library instead, and the section is built here with the page's
own context (as `{% include %}` would render it), so the output is the same.
"""

from django import template
from django.utils.safestring import SafeString

from meetings.models import Meeting
from meetings.records.archive import may_upload
from meetings.records.models import RecordVersion
from meetings.records.signature_display import SignatureBadge
from meetings.records.signature_display import signature_badge as badge_of
from meetings.records.views import records_section as section_context

register = template.Library()

SECTION_TEMPLATE = "meetings/records/section.html"


@register.simple_tag(takes_context=True)
def records_section(context: template.Context, meeting: Meeting) -> SafeString:
    """`{% records_section meeting %}`: the records and, for whoever manages them (the
    owning office's secretariat: archive.may_upload), the upload and review forms. Another
    office the session touches reads them only."""
    user = context["request"].user
    section = context.template.engine.get_template(SECTION_TEMPLATE)
    # The session page already asked (its `manages`); another page asks here.
    manage = context.get("manages")
    if manage is None:
        manage = may_upload(user, meeting)
    with context.push(section_context(user, meeting, manage=manage)):
        return section.render(context)


@register.filter
def signature_badge(version: RecordVersion) -> SignatureBadge | None:
    """`version|signature_badge`: what its signatures are worth, or None (no badge)."""
    return badge_of(version)
