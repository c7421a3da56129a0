"""The session forms: local wall time to aware datetimes, site codes to a SiteSelection,
the repeat fields to an RRULE, and domain errors onto the field to correct."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from conferencing.forms.directory import EndpointFilterForm
from conferencing.models import Level
from conferencing.site_selection import SiteSelection
from meetings.booking import BookingError
from meetings.calendar.forms import FeedForm
from meetings.forms import (
    BookingForm,
    CancelForm,
    ChangeSitesForm,
    MeetingFilterForm,
    RescheduleForm,
    SlotForm,
    WeekFilterForm,
    split_codes,
)
from meetings.models import AttendeeRole, Classification
from tests.factories import (
    BridgeFactory,
    EndpointFactory,
    UserFactory,
    central_office,
    office_of,
    site_tree,
)

HO_CHI_MINH = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def sites(db):
    return site_tree(provinces=2, communes=2)


@pytest.fixture
def bridge(db):
    return BridgeFactory()


def booking_data(bridge, /, **overrides) -> dict:
    data = {
        "title": "Giao ban",
        "classification": "internal",
        "bridge": str(bridge.pk),
        "date": "2030-03-04",
        "start_time": "08:00",
        "end_time": "10:30",
        "setup_minutes": "45",
        "subtrees": ["T01"],
        "host": "T01",
    }
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not None}


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("", ()),
        ("T01", ("T01",)),
        (" T01, X0101 ;X0102\nX0103  ", ("T01", "X0101", "X0102", "X0103")),
        ("T01,,T01, T02", ("T01", "T02")),
    ],
)
def test_split_codes_accepts_commas_semicolons_spaces_and_lines(text, codes):
    assert split_codes(text) == codes


# --- the slot ------------------------------------------------------------------------------------


def test_slot_is_local_wall_time_made_aware():
    form = SlotForm(
        {"date": "2030-03-04", "start_time": "08:00", "end_time": "10:30", "setup_minutes": "45"}
    )

    assert form.is_valid()
    slot = form.slot()
    assert slot.start == datetime(2030, 3, 4, 8, 0, tzinfo=HO_CHI_MINH)
    assert slot.end == datetime(2030, 3, 4, 10, 30, tzinfo=HO_CHI_MINH)
    assert slot.start.utcoffset().total_seconds() == 7 * 3600
    assert slot.setup_minutes == 45


def test_slot_end_before_start_is_an_error_on_the_end():
    form = SlotForm(
        {"date": "2030-03-04", "start_time": "10:00", "end_time": "10:00", "setup_minutes": "0"}
    )

    assert form.errors == {"end_time": ["The session must end after it starts."]}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_slot_reads_a_typed_date_day_first(language):
    with translation.override(language):
        form = SlotForm(
            {"date": "04/03/2030", "start_time": "08:00", "end_time": "09:00", "setup_minutes": "0"}
        )

        assert form.is_valid()
    assert form.cleaned_data["date"] == date(2030, 3, 4)


def test_slot_initial_is_the_local_time_of_a_session():
    start = datetime(2030, 3, 4, 16, 30, tzinfo=timezone.UTC)  # 23:30 in Vietnam

    initial = SlotForm.initial_for(start, start.replace(hour=17, minute=30), 60)

    assert initial == {
        "date": date(2030, 3, 4),
        "start_time": time(23, 30),
        "end_time": time(0, 30),
        "setup_minutes": 60,
    }


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_slot_date_far_out_of_range_is_an_error(day):
    form = SlotForm({"date": day, "start_time": "08:00", "end_time": "09:00", "setup_minutes": "0"})

    assert list(form.errors) == ["date"]


@pytest.mark.parametrize("minutes", ["-1", "1441"])
def test_slot_setup_window_out_of_range_is_an_error(minutes):
    form = SlotForm(
        {"date": "2030-03-04", "start_time": "08:00", "end_time": "09:00", "setup_minutes": minutes}
    )

    assert list(form.errors) == ["setup_minutes"]


# --- the booking form ----------------------------------------------------------------------------


def test_booking_request_carries_everything(sites, bridge, alice, carol):
    data = booking_data(
        bridge,
        levels=["0"],
        sites="X0201, X0202",
        exclude_sites="X0102",
        exclude_subtrees="T02",
        host=" TW ",
        classification="confidential",
        agenda="Báo cáo",
        organising_unit="Văn phòng",
        attendees=[str(carol.pk), str(alice.pk)],
    )
    form = BookingForm(data)

    assert form.is_valid(), form.errors
    request = form.booking_request()
    assert request.sites == SiteSelection(
        levels=(Level.CENTRAL,),
        subtrees=("T01",),
        sites=("X0201", "X0202"),
        exclude_sites=("X0102",),
        exclude_subtrees=("T02",),
    )
    assert request.host_code == "TW"
    assert request.bridge_id == bridge.pk
    assert request.details.title == "Giao ban"
    assert request.details.classification == Classification.CONFIDENTIAL
    assert request.details.agenda == "Báo cáo"
    assert request.details.organising_unit == "Văn phòng"
    assert sorted(request.details.attendees) == sorted(
        [(alice.pk, AttendeeRole.MEMBER), (carol.pk, AttendeeRole.MEMBER)]
    )
    assert request.slot.start == datetime(2030, 3, 4, 8, tzinfo=HO_CHI_MINH)
    assert form.rule() is None


def test_booking_form_offers_active_provinces_and_bridges_only(sites, bridge):
    sites["T02"].is_active = False
    sites["T02"].save()
    BridgeFactory(name="Old MCU", is_active=False)

    form = BookingForm(office=central_office())

    assert [code for code, _name in form.fields["subtrees"].choices] == ["T01"]
    assert list(form.fields["bridge"].queryset) == [bridge]
    assert form.initial["bridge"] == bridge.pk


def test_booking_form_offers_only_the_jurisdiction_and_the_usable_bridges(sites, bridge):
    hanoi = office_of(sites["T01"], "VP-HN")
    own = BridgeFactory(name="MCU Hà Nội", owner=hanoi)
    shared = BridgeFactory(name="MCU Quốc gia")
    shared.shared_with.add(hanoi)
    BridgeFactory(name="MCU T02", owner=office_of(sites["T02"], "VP-T02"))

    form = BookingForm(office=hanoi)

    assert [code for code, _name in form.fields["subtrees"].choices] == ["T01"]
    # No district in this tree: "All districts" is not offered.
    assert [value for value, _label in form.fields["levels"].choices] == [
        Level.PROVINCE,
        Level.COMMUNE,
    ]
    assert list(form.fields["bridge"].queryset) == [own, shared]
    assert "bridge" not in form.initial


def test_the_district_level_is_offered_once_the_tree_has_a_district(sites):
    EndpointFactory(code="H0101", level=Level.DISTRICT, parent=sites["T01"])

    booking = BookingForm()
    agenda = MeetingFilterForm(user=UserFactory())
    directory = EndpointFilterForm()

    assert [value for value, _label in booking.fields["levels"].choices] == list(Level)
    assert [slug for slug, _label in agenda.fields["level"].choices] == [
        "",
        "central",
        "province",
        "district",
        "commune",
    ]
    assert [slug for slug, _label in directory.fields["level"].choices] == [
        "",
        "central",
        "province",
        "district",
        "commune",
    ]


def test_no_level_filter_offers_a_level_the_tree_does_not_use(sites):
    agenda = MeetingFilterForm(user=UserFactory())
    directory = EndpointFilterForm()
    feed = FeedForm()

    assert "district" not in dict(agenda.fields["level"].choices)
    assert "district" not in dict(directory.fields["level"].choices)
    assert Level.DISTRICT not in dict(feed.fields["level"].choices)
    assert Level.COMMUNE in dict(feed.fields["level"].choices)


def test_booking_form_lets_booking_judge_a_province_or_bridge_it_does_not_offer(sites, bridge):
    hanoi = office_of(sites["T01"], "VP-HN")
    data = booking_data(bridge, subtrees=["T02"], host="T02")

    form = BookingForm(data, office=hanoi)

    assert form.is_valid(), form.errors
    assert form.booking_request().sites == SiteSelection(subtrees=("T02",))
    assert form.booking_request().bridge_id == bridge.pk


def test_change_sites_form_offers_only_the_jurisdiction(sites):
    form = ChangeSitesForm(office=office_of(sites["T02"], "VP-T02"))

    assert [code for code, _name in form.fields["subtrees"].choices] == ["T02"]


@pytest.mark.parametrize(
    ("repeat", "rule"),
    [
        ({"repeat": "WEEKLY", "count": "10"}, "FREQ=WEEKLY;COUNT=10"),
        ({"repeat": "DAILY", "until": "2030-03-08"}, "FREQ=DAILY;UNTIL=20300308T235959"),
        ({"repeat": "MONTHLY", "count": "6"}, "FREQ=MONTHLY;COUNT=6"),
        ({"repeat": "", "count": "6"}, None),
    ],
)
def test_booking_rule_from_the_repeat_fields(sites, bridge, repeat, rule):
    form = BookingForm(booking_data(bridge, **repeat))

    assert form.is_valid(), form.errors
    assert form.rule() == rule


def test_booking_for_check_needs_no_title(sites, bridge):
    form = BookingForm(booking_data(bridge, title=""), for_check=True)

    assert form.is_valid(), form.errors
    assert form.booking_request().details.title == ""


def test_booking_missing_lists_what_the_dry_run_needs(sites, bridge):
    form = BookingForm(
        booking_data(bridge, date="", end_time="", bridge="", host=""), for_check=True
    )

    assert form.missing() == ["Date", "Ends at", "Bridge (MCU)", "Host site"]


@pytest.mark.parametrize(
    ("domain_field", "form_field"),
    [
        ("start", "start_time"),
        ("end", "end_time"),
        ("setup_minutes", "setup_minutes"),
        ("sites", "sites"),
        ("host", "host"),
        ("bridge", "bridge"),
        ("title", "title"),
        ("__all__", "__all__"),
        ("something_new", "__all__"),
    ],
)
def test_booking_domain_error_lands_on_its_field(sites, bridge, domain_field, form_field):
    form = BookingForm(booking_data(bridge))
    assert form.is_valid()

    form.add_booking_error(BookingError("Wrong.", domain_field))

    assert form.errors == {form_field: ["Wrong."]}


@pytest.mark.parametrize(
    ("repeat", "field"),
    [
        ({"repeat": "WEEKLY", "count": "900"}, "count"),
        ({"repeat": "DAILY", "until": "2032-01-01"}, "until"),
    ],
)
def test_booking_series_error_lands_on_count_or_until(sites, bridge, repeat, field):
    form = BookingForm(booking_data(bridge, **repeat))
    assert form.is_valid()

    form.add_booking_error(BookingError("Too many.", "rrule"))

    assert form.errors == {field: ["Too many."]}


# --- changes -------------------------------------------------------------------------------------


def test_reschedule_scope_only_for_a_series_occurrence():
    assert "scope" not in RescheduleForm().fields
    assert "scope" in RescheduleForm(in_series=True).fields


def test_reschedule_following_scope():
    data = {
        "date": "2030-03-04",
        "start_time": "08:00",
        "end_time": "09:00",
        "setup_minutes": "60",
        "scope": "following",
    }
    form = RescheduleForm(data, in_series=True)

    assert form.is_valid()
    assert form.following() is True


def test_change_sites_selection(sites):
    form = ChangeSitesForm({"sites": "T01 X0101", "host": "T01", "levels": ["3"]})

    assert form.is_valid(), form.errors
    assert form.selection() == SiteSelection(levels=(3,), sites=("T01", "X0101"))


def test_change_sites_needs_a_host(sites):
    form = ChangeSitesForm({"sites": "T01"})

    assert form.errors == {"host": ["This field is required."]}


def test_cancel_needs_a_reason():
    assert CancelForm({"reason": ""}).errors == {"reason": ["Give a reason for cancelling."]}


def test_cancel_reason_error_from_the_domain_lands_on_the_reason():
    form = CancelForm({"reason": "x"})
    assert form.is_valid()

    form.add_booking_error(BookingError("Give a reason for cancelling.", "reason"))

    assert form.errors == {"reason": ["Give a reason for cancelling."]}


# --- filters -------------------------------------------------------------------------------------


def test_filter_form_lists_provinces_in_tree_order(sites, alice):
    form = MeetingFilterForm({}, user=alice)

    assert form.fields["province"].choices == [
        ("", "All provinces"),
        ("T01", "Điểm cầu T01"),
        ("T02", "Điểm cầu T02"),
    ]


@pytest.mark.parametrize(
    ("start", "monday"),
    [
        ("2026-11-23", date(2026, 11, 23)),
        ("2026-11-29", date(2026, 11, 23)),
        ("2026-11-30", date(2026, 11, 30)),
    ],
)
def test_week_form_snaps_to_monday(db, alice, start, monday):
    assert WeekFilterForm({"start": start}, user=alice).monday() == monday


def test_week_form_without_a_date_is_this_week(db, alice):
    today = timezone.localdate()

    assert WeekFilterForm({}, user=alice).monday().weekday() == 0
    assert 0 <= (today - WeekFilterForm({}, user=alice).monday()).days < 7
