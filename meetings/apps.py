from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from conferencing import watch_policy
        from meetings.visibility import board_part_of_conference

        # conferencing may not import meetings: its board socket asks the rule given here.
        watch_policy.register(board_part_of_conference)
