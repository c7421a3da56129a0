"""The expected attendance on a meeting's page, rendered where the page's template asks.

The meeting page belongs to the booking core, which never imports the calendar: its
template loads this library instead (as it does records_ui for the records).
"""

from django import template
from django.utils.safestring import SafeString

from meetings.calendar.answers import expected_attendance
from meetings.models import Meeting
from meetings.visibility import may_change

register = template.Library()

ATTENDANCE_TEMPLATE = "meetings/calendar/attendance.html"


@register.simple_tag(takes_context=True)
def attendance_section(context: template.Context, meeting: Meeting) -> SafeString:
    """`{% attendance_section meeting %}`: the answers to the session's invitations, for
    those who may change it (the owning office: visibility.may_change) and no one else."""
    # The session page already asked (its `manages`); another page asks here.
    manage = context.get("manages")
    if manage is None:
        manage = may_change(meeting, context["request"].user)
    if not manage:
        return SafeString("")
    section = context.template.engine.get_template(ATTENDANCE_TEMPLATE)
    with context.push(attendance=expected_attendance(meeting)):
        return section.render(context)
