import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from conferencing.models import (
    Endpoint,
    Level,
    placement_error,
    rewrite_subtree_paths,
    validate_placement,
)
from tests.factories import EndpointFactory

UNDER_ITSELF = "A site cannot be placed under itself or one of its own sub-sites."


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def centre(db):
    return EndpointFactory(code="TW", level=Level.CENTRAL)


@pytest.fixture
def hanoi(centre):
    return EndpointFactory(code="T01", level=Level.PROVINCE, parent=centre)


@pytest.fixture
def ba_dinh(hanoi):
    return EndpointFactory(code="X00004", level=Level.COMMUNE, parent=hanoi)


def paths() -> dict[str, str]:
    return dict(Endpoint.objects.values_list("code", "path"))


def codes(endpoints) -> list[str]:
    return list(endpoints.order_by("path").values_list("code", flat=True))


def test_save_stores_the_path_of_codes_from_the_root(ba_dinh):
    assert (ba_dinh.path, ba_dinh.depth) == ("/TW/T01/X00004/", 2)


def test_within_is_the_subtree_and_not_a_site_whose_code_starts_alike(hanoi, ba_dinh, centre):
    EndpointFactory(code="T010", level=Level.PROVINCE, parent=centre)

    subtree = Endpoint.objects.within(hanoi)

    assert codes(subtree) == ["T01", "X00004"]


def test_within_can_leave_out_the_ancestor(hanoi, ba_dinh):
    subtree = Endpoint.objects.within(hanoi, include_self=False)

    assert codes(subtree) == ["X00004"]


@pytest.mark.parametrize("depth", [1, 3])
def test_within_costs_one_query_whatever_the_depth(centre, django_assert_num_queries, depth):
    parent = centre
    for level in range(1, depth + 1):
        parent = EndpointFactory(code=f"L{level}", level=level, parent=parent)

    with django_assert_num_queries(1):
        found = list(Endpoint.objects.within(centre))

    assert len(found) == depth + 1


def test_at_level_keeps_one_level(hanoi, ba_dinh):
    communes = Endpoint.objects.at_level(Level.COMMUNE)

    assert codes(communes) == ["X00004"]


def test_active_roots_and_search_read_like_the_domain(hanoi, ba_dinh):
    Endpoint.objects.filter(code="X00004").update(is_active=False)

    assert codes(Endpoint.objects.active()) == ["TW", "T01"]
    assert codes(Endpoint.objects.roots()) == ["TW"]
    assert codes(Endpoint.objects.search(" x0000 ")) == ["X00004"]
    assert codes(Endpoint.objects.search("")) == ["TW", "T01", "X00004"]


def test_moving_a_site_rewrites_the_paths_of_its_subtree(centre, hanoi, ba_dinh):
    hcm = EndpointFactory(code="T79", level=Level.PROVINCE, parent=centre)
    district = EndpointFactory(code="H1", level=Level.DISTRICT, parent=hanoi)
    Endpoint.objects.filter(code="X00004").update(parent=district, path="/TW/T01/H1/X00004/")
    district.refresh_from_db()

    district.parent = hcm
    district.save()

    assert paths() == {
        "TW": "/TW/",
        "T01": "/TW/T01/",
        "T79": "/TW/T79/",
        "H1": "/TW/T79/H1/",
        "X00004": "/TW/T79/H1/X00004/",
    }


def test_renaming_a_site_rewrites_the_paths_of_its_subtree(hanoi, ba_dinh):
    hanoi.code = "HN"

    hanoi.save()

    assert paths() == {"TW": "/TW/", "HN": "/TW/HN/", "X00004": "/TW/HN/X00004/"}


def test_renaming_a_site_leaves_a_site_whose_code_starts_alike(centre, hanoi, ba_dinh):
    EndpointFactory(
        code="X1",
        level=Level.COMMUNE,
        parent=EndpointFactory(code="T010", level=Level.PROVINCE, parent=centre),
    )
    hanoi.code = "HN"

    hanoi.save()

    assert paths()["X1"] == "/TW/T010/X1/"


def test_rewrite_subtree_paths_counts_the_sites_it_moved(hanoi, ba_dinh):
    moved = rewrite_subtree_paths("/TW/T01/", "/TW/HN/", exclude_pk=hanoi.pk)

    assert (moved, paths()["X00004"], paths()["T01"]) == (1, "/TW/HN/X00004/", "/TW/T01/")


def test_full_clean_refuses_a_site_under_its_own_sub_site(hanoi, ba_dinh):
    hanoi.parent = ba_dinh

    with pytest.raises(ValidationError) as refused:
        hanoi.full_clean()

    assert refused.value.message_dict == {"parent": [UNDER_ITSELF]}


def test_validate_placement_refuses_a_site_under_itself(hanoi):
    hanoi.parent = hanoi

    with pytest.raises(ValidationError) as refused:
        validate_placement(hanoi)

    assert refused.value.message_dict == {"parent": [UNDER_ITSELF]}


def test_validate_placement_refuses_a_level_not_below_the_parent(hanoi):
    site = Endpoint(code="T02", name="Hà Giang", level=Level.PROVINCE, parent=hanoi)

    with pytest.raises(ValidationError) as refused:
        validate_placement(site)

    assert refused.value.message_dict == {
        "parent": [
            "A Province site cannot be under a Province site: its level must be below its parent's."
        ]
    }


def test_validate_placement_accepts_a_level_below_the_parent_and_a_root(hanoi):
    district = Endpoint(code="H1", name="Huyện", level=Level.DISTRICT, parent=hanoi)
    root = Endpoint(code="X9", name="Xã lẻ", level=Level.COMMUNE)

    assert (validate_placement(district), validate_placement(root)) == (None, None)


@pytest.mark.parametrize(
    ("level", "parent_level", "expected"),
    [
        (Level.COMMUNE, Level.PROVINCE, None),
        (Level.COMMUNE, None, None),
        (
            Level.CENTRAL,
            Level.COMMUNE,
            "A Central site cannot be under a Commune site: its level must be below its parent's.",
        ),
    ],
)
def test_placement_error_follows_the_levels(level, parent_level, expected):
    assert placement_error(level, parent_level, is_own_descendant=False) == expected


def test_placement_error_refuses_an_own_descendant_first():
    assert placement_error(Level.COMMUNE, Level.CENTRAL, is_own_descendant=True) == UNDER_ITSELF
