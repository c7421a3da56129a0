from django.http import HttpRequest

from conferencing import jurisdiction, permissions


def offices(request: HttpRequest) -> dict:
    """The header's office (who the person acts for, and their other offices) and what
    the navigation may offer them."""
    user = request.user
    return {
        "acting_office": jurisdiction.acting_office(user),
        "my_offices": jurisdiction.offices_of(user),
        "can_book_meetings": jurisdiction.acts_for_an_office(user),
        "can_manage_endpoints": jurisdiction.may_manage_sites(user),
        "can_manage_offices": jurisdiction.may_manage_offices(user),
        "can_announce_working_days": permissions.may_announce_working_days(user),
    }
