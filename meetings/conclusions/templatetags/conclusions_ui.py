"""The conclusion notice on the meeting page and on the office's dashboard, rendered where
their templates ask: the booking core and the home page never import this package."""

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from meetings.conclusions import reading
from meetings.models import Meeting
from meetings.visibility import may_manage_conclusions

register = template.Library()


@register.simple_tag(takes_context=True)
def conclusions_section(context: template.Context, meeting: Meeting) -> SafeString:
    """`{% conclusions_section meeting %}`: the notice's state and countdown for its
    managers, the published notice for its readers."""
    user = context["request"].user
    manages = context.get("manages")
    if manages is None:
        manages = may_manage_conclusions(meeting, user)
    section = context.template.engine.get_template("meetings/conclusions/section.html")
    with context.push(reading.section(user, meeting, manages)):
        return section.render(context)


@register.simple_tag(takes_context=True)
def conclusions_dashboard(context: template.Context) -> SafeString:
    """`{% conclusions_dashboard %}`: the office's notices due, with their countdown, and
    the notices published in the last days of sessions the office took part in."""
    user = context["request"].user
    now = timezone.now()
    due, due_count = reading.notices_due(user, timezone.localdate(now))
    part = context.template.engine.get_template("meetings/conclusions/dashboard.html")
    values = {
        "notices_due": due,
        "notices_due_count": due_count,
        "new_notices": reading.new_notices(user, now),
        "new_notice_days": reading.NEW_NOTICE_DAYS,
    }
    with context.push(values):
        return part.render(context)
