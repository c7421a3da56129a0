"""Web pages of sessions: the agenda, the week, a meeting, and the secretariat's actions.

Thin views: parse a form, authorise (accounts.roles, meetings.visibility), call
one function of meetings.booking or meetings.series, render.
"""

from meetings.views.booking import book, check, site_count, site_search
from meetings.views.changes import (
    cancel,
    change_sites,
    reschedule,
    reschedule_check,
    sites_check,
)
from meetings.views.lists import agenda, week
from meetings.views.month import month
from meetings.views.page import detail, site_list

__all__ = [
    "agenda",
    "book",
    "cancel",
    "change_sites",
    "check",
    "detail",
    "month",
    "reschedule",
    "reschedule_check",
    "site_count",
    "site_list",
    "site_search",
    "sites_check",
    "week",
]
