"""The navigation offers each role only what it may open.

Sites: TW; T01, T02; communes X0101…X0103 under T01 and X0201…X0203 under T02.
Times are Asia/Ho_Chi_Minh wall-clock times some days ahead (`local_time`).
"""


def test_navigation_offers_booking_only_to_the_secretariat(client_as, alice, carol, english):
    as_alice = client_as(alice).get("/").content.decode()
    as_carol = client_as(carol).get("/").content.decode()

    assert 'href="/meetings/new/"' in as_alice
    assert 'href="/meetings/"' in as_carol
    assert 'href="/meetings/new/"' not in as_carol
