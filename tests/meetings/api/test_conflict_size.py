"""A national re-booking conflicts on every site of the country: the 409 names the other
session once, with its number of sites and the first ten, in a few kilobytes (one
entry per site made it about a megabyte)."""

from conferencing.site_selection import SiteSelection
from meetings.booking import BookingRequest, Details, Slot, book
from tests.factories import BridgeFactory, bulk_communes
from tests.meetings.api.helpers import LIST_URL, at, booking_body, written

NATIONAL = 3356
# Six sites in the `tree` fixture besides the bulk communes (its inactive province aside).
TREE_SITES = 6


def test_a_national_rebooking_conflict_answers_a_few_kilobytes(api_as, alice, tree):
    bulk_communes(tree["hanoi"], NATIONAL - TREE_SITES)
    bridge = BridgeFactory(name="MCU Quốc gia", port_capacity=10_000)
    everywhere = SiteSelection(subtrees=("TW",))
    book(
        BookingRequest(
            details=Details(title="Hội nghị toàn quốc"),
            slot=Slot(at(2, 8), at(2, 10)),
            bridge_id=bridge.pk,
            sites=everywhere,
            host_code="TW",
        ),
        alice,
    )
    before = written()

    response = api_as(alice).post(
        LIST_URL, booking_body(bridge, sites={"subtrees": ["TW"]}, host="TW")
    )

    [session] = response.json()["sessions"]
    assert response.status_code == 409
    assert (session["title"], session["site_count"], len(session["sites"])) == (
        "Hội nghị toàn quốc",
        NATIONAL,
        10,
    )
    assert len(response.content) < 3 * 1024
    assert written() == before
