"""A national re-booking conflicts on every site of the country: the 409, and the dry run
asked first, name the other session once, with its number of sites and the first ten, in
a few kilobytes (one entry per site made it about a megabyte)."""

import pytest

from conferencing.site_selection import SiteSelection
from meetings.booking import BookingRequest, Details, Slot, book
from tests.factories import BridgeFactory, bulk_communes
from tests.meetings.api.helpers import CHECK_URL, LIST_URL, at, booking_body, written

NATIONAL = 3356
# Six sites in the `tree` fixture besides the bulk communes (its inactive province aside).
TREE_SITES = 6


@pytest.mark.parametrize(
    ("url", "status"), [(LIST_URL, 409), (CHECK_URL, 200)], ids=["book", "check"]
)
def test_a_national_rebooking_conflict_answers_a_few_kilobytes(api_as, alice, tree, url, status):
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

    response = api_as(alice).post(url, booking_body(bridge, sites={"subtrees": ["TW"]}, host="TW"))

    [session] = response.json()["sessions"]
    assert response.status_code == status
    assert (session["title"], session["site_count"], len(session["sites"])) == (
        "Hội nghị toàn quốc",
        NATIONAL,
        10,
    )
    assert len(response.content) < 3 * 1024
    assert written() == before
