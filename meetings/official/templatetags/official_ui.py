"""The meeting page's "Tạo giấy mời" button: the booking core's template loads this
library, as it does records_ui, and never imports meetings.official."""

from django import template

register = template.Library()


@register.inclusion_tag("official/invitation_button.html", takes_context=True)
def invitation_button(context: template.Context, meeting) -> dict:
    """Shown to whoever manages the session (the page's `manages`: its owning office)."""
    return {
        "meeting": meeting,
        "show": bool(context.get("manages")),
        "csrf_token": context.get("csrf_token"),
    }
