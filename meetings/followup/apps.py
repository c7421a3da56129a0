from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    """What happens to a conclusion's task after the notice is published: progress
    reports with evidence, extensions, completion accepted or sent back, reminders and
    the follow-up page. Tables of its own (label `followup`) beside conclusions'."""

    name = "meetings.followup"
    label = "followup"
    verbose_name = _("Task follow-up")
