import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from conferencing.forms import MAX_IMPORT_BYTES
from conferencing.models import Endpoint, EndpointImportJob, ImportJobStatus, Level
from tests.factories import EndpointFactory, OfficeFactory, UserFactory, central_office

LIST_URL = "/endpoints/"
IMPORT_URL = "/endpoints/import/"
EXPORT_URL = "/endpoints/export.csv"
CSV_HEADER = b"code,name,level,parent_code\n"


@pytest.fixture
def english(client):
    """Text assertions below are on the English msgids, whatever the .po files say."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def tree(db):
    """Central → province → district → commune, plus a second, inactive province."""
    central = EndpointFactory(code="TW", name="Trung ương", level=Level.CENTRAL)
    hanoi = EndpointFactory(
        code="HN",
        name="Hà Nội",
        level=Level.PROVINCE,
        parent=central,
        organisation="UBND thành phố Hà Nội",
        dial_string="sip:hanoi@vc.example.vn",
    )
    ba_dinh = EndpointFactory(code="HN-BD", name="Ba Đình", level=Level.DISTRICT, parent=hanoi)
    commune = EndpointFactory(code="HN-BD-01", name="Phúc Xá", level=Level.COMMUNE, parent=ba_dinh)
    old = EndpointFactory(
        code="HT", name="Hà Tây", level=Level.PROVINCE, parent=central, is_active=False
    )
    return {"central": central, "hanoi": hanoi, "ba_dinh": ba_dinh, "commune": commune, "old": old}


@pytest.fixture
def job(alice):
    """An import of alice's office (the central one, whose secretariat she is)."""
    return EndpointImportJob.objects.create(
        created_by=alice,
        office=central_office(),
        file_name="sites.csv",
        data=CSV_HEADER,
        language="en",
    )


def listed_codes(response) -> list[str]:
    return [endpoint.code for endpoint, _indent in response.context["rows"]]


def url_for(name: str, tree: dict, job: EndpointImportJob) -> str:
    return {
        "list": LIST_URL,
        "detail": f"/endpoints/{tree['hanoi'].code}/",
        "import": IMPORT_URL,
        "job": f"/endpoints/import/{job.pk}/",
        "status": f"/endpoints/import/{job.pk}/status.json",
        "export": EXPORT_URL,
    }[name]


# --- who may open what -------------------------------------------------------------------------

ALL_VIEWS = ["list", "detail", "import", "job", "status", "export"]


@pytest.mark.parametrize("view", ALL_VIEWS)
def test_view_anonymous_redirects_to_login(client, tree, job, view):
    url = url_for(view, tree, job)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"


@pytest.mark.parametrize("view", ALL_VIEWS)
def test_view_user_without_role_is_refused(client_as, mallory, tree, job, view):
    response = client_as(mallory).get(url_for(view, tree, job))

    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["bob", "carol"])
@pytest.mark.parametrize(
    ("view", "status"),
    [
        ("list", 200),
        ("detail", 200),
        ("import", 403),
        ("job", 403),
        ("status", 403),
        ("export", 403),
    ],
)
def test_view_technician_and_attendee_read_only(
    client_as, tree, job, request, persona, view, status
):
    user = request.getfixturevalue(persona)

    response = client_as(user).get(url_for(view, tree, job))

    assert response.status_code == status


@pytest.mark.parametrize("view", ALL_VIEWS)
def test_view_secretariat_opens_everything(client_as, alice, tree, job, view):
    response = client_as(alice).get(url_for(view, tree, job))

    assert response.status_code == 200


def test_view_superuser_without_role_opens_import(client_as, db):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)

    response = client_as(admin).get(IMPORT_URL)

    assert response.status_code == 200


def test_import_post_by_technician_is_refused_and_creates_nothing(client_as, bob):
    upload = SimpleUploadedFile("sites.csv", CSV_HEADER + b"X,X,province,\n")

    response = client_as(bob).post(IMPORT_URL, {"file": upload})

    assert response.status_code == 403
    assert EndpointImportJob.objects.count() == 0


# --- the list ------------------------------------------------------------------------------------


def test_list_shows_tree_in_path_order_with_indentation(client_as, carol, tree):
    response = client_as(carol).get(LIST_URL)

    assert listed_codes(response) == ["TW", "HN", "HN-BD", "HN-BD-01", "HT"]
    assert [indent for _endpoint, indent in response.context["rows"]] == [0, 1, 2, 3, 1]
    assert '<td class="site-name indent-3"><a href="/endpoints/HN-BD-01/">Phúc Xá</a></td>' in (
        response.content.decode()
    )


def test_list_row_shows_parent_organisation_and_dial_string(client_as, carol, tree):
    response = client_as(carol).get(LIST_URL, {"q": "HN"})

    html = response.content.decode()
    assert '<a href="/endpoints/TW/">Trung ương</a>' in html
    assert "UBND thành phố Hà Nội" in html
    assert '<code class="dial">sip:hanoi@vc.example.vn</code>' in html


def test_list_search_matches_code_name_or_organisation(client_as, carol, tree):
    client = client_as(carol)

    by_code = client.get(LIST_URL, {"q": "hn-bd"})
    by_name = client.get(LIST_URL, {"q": "Phúc"})
    by_organisation = client.get(LIST_URL, {"q": "UBND"})

    assert listed_codes(by_code) == ["HN-BD", "HN-BD-01"]
    assert listed_codes(by_name) == ["HN-BD-01"]
    assert listed_codes(by_organisation) == ["HN"]


def test_list_filters_by_level(client_as, carol, tree):
    response = client_as(carol).get(LIST_URL, {"level": "province"})

    assert listed_codes(response) == ["HN", "HT"]


def test_list_bad_level_shows_form_error(client_as, carol, tree, english):
    response = client_as(carol).get(LIST_URL, {"level": "galaxy"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "level": ["Select a valid choice. galaxy is not one of the available choices."]
    }
    assert response.context["rows"] == []
    assert b"Please correct the filters marked above." in response.content


def test_list_within_shows_subtree(client_as, bob, tree):
    response = client_as(bob).get(LIST_URL, {"within": "HN"})

    assert listed_codes(response) == ["HN", "HN-BD", "HN-BD-01"]
    assert [indent for _endpoint, indent in response.context["rows"]] == [0, 1, 2]


def test_list_within_unknown_code_shows_form_error(client_as, bob, tree, english):
    response = client_as(bob).get(LIST_URL, {"within": "NOPE"})

    assert response.context["form"].errors == {"within": ["No site has the code NOPE."]}
    assert response.context["rows"] == []


def test_list_active_only_hides_inactive_sites(client_as, bob, tree):
    response = client_as(bob).get(LIST_URL, {"active": "on"})

    assert listed_codes(response) == ["TW", "HN", "HN-BD", "HN-BD-01"]


def test_list_filters_combine(client_as, bob, tree):
    response = client_as(bob).get(LIST_URL, {"within": "TW", "level": "province", "active": "on"})

    assert listed_codes(response) == ["HN"]


def test_list_counts_results(client_as, bob, tree, english):
    response = client_as(bob).get(LIST_URL, {"level": "province"})

    count = re.search(r'id="result-count">(.*?)</p>', response.content.decode(), re.DOTALL)
    assert count.group(1).strip() == "2 sites"


def test_list_paginates_by_one_hundred(client_as, bob, db):
    Endpoint.objects.bulk_create(
        Endpoint(
            code=f"P{number:03d}",
            name=f"Site {number}",
            level=Level.PROVINCE,
            path=f"/P{number:03d}/",
        )
        for number in range(205)
    )
    client = client_as(bob)

    first = client.get(LIST_URL)
    last = client.get(LIST_URL, {"page": "3"})

    assert len(first.context["rows"]) == 100
    assert first.context["page"].paginator.count == 205
    assert listed_codes(last) == ["P200", "P201", "P202", "P203", "P204"]
    assert b'href="?page=2"' in first.content


def test_list_pagination_keeps_filters(client_as, bob, db):
    Endpoint.objects.bulk_create(
        Endpoint(
            code=f"P{number:03d}",
            name=f"Site {number}",
            level=Level.PROVINCE,
            path=f"/P{number:03d}/",
        )
        for number in range(150)
    )

    response = client_as(bob).get(LIST_URL, {"q": "Site", "level": "province"})

    assert b'href="?q=Site&amp;level=province&amp;page=2"' in response.content


@pytest.mark.parametrize("count", [1, 30])
def test_list_query_count_is_constant(client_as, bob, django_assert_num_queries, count):
    parent = EndpointFactory(code="ROOT", level=Level.CENTRAL)
    for number in range(count):
        EndpointFactory(code=f"S{number:02d}", level=Level.PROVINCE, parent=parent)
    client = client_as(bob)

    # session, user, roles, count, page of sites (with their parents)
    # One query more since issue #13: the offices the user acts for (the header's office);
    # one since #15: the levels the tree uses (the level filter offers no others).
    with django_assert_num_queries(7):
        response = client.get(LIST_URL)

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_list_within_query_count_is_constant(client_as, bob, django_assert_num_queries, count):
    parent = EndpointFactory(code="ROOT", level=Level.CENTRAL)
    for number in range(count):
        EndpointFactory(code=f"S{number:02d}", level=Level.PROVINCE, parent=parent)
    client = client_as(bob)

    # session, user, roles, the "within" site, count, page of sites
    # One query more since issue #13: the offices the user acts for (the header's office);
    # one since #15: the levels the tree uses (the level filter offers no others).
    with django_assert_num_queries(8):
        response = client.get(LIST_URL, {"within": "ROOT", "q": "S"})

    assert response.status_code == 200


def test_list_secretariat_sees_import_and_export_links(client_as, alice, tree):
    response = client_as(alice).get(LIST_URL)

    assert b'href="/endpoints/import/"' in response.content
    assert b'href="/endpoints/export.csv"' in response.content


def test_list_attendee_sees_no_import_or_export_link(client_as, carol, tree):
    response = client_as(carol).get(LIST_URL)

    assert b"/endpoints/import/" not in response.content
    assert b"/endpoints/export.csv" not in response.content


def test_list_heading_in_english(client_as, carol, tree, english):
    response = client_as(carol).get(LIST_URL)

    assert "<h1>Conference sites</h1>" in response.content.decode()


def test_list_heading_and_search_in_vietnamese_by_default(client_as, carol, tree):
    response = client_as(carol).get(LIST_URL)

    html = response.content.decode()
    assert "<h1>Điểm cầu</h1>" in html
    assert ">Tìm kiếm</button>" in html


# --- the detail page -----------------------------------------------------------------------------


def test_detail_shows_ancestors_children_and_technicians(client_as, carol, tree):
    technician = UserFactory(username="tech", full_name="Trần Văn An")
    tree["ba_dinh"].technicians.add(technician)

    response = client_as(carol).get("/endpoints/HN-BD/")

    assert [site.code for site in response.context["ancestors"]] == ["TW", "HN"]
    assert [site.code for site in response.context["children"]] == ["HN-BD-01"]
    assert [user.username for user in response.context["technicians"]] == ["tech"]
    assert "Trần Văn An" in response.content.decode()


def test_detail_root_has_no_ancestors(client_as, carol, tree):
    response = client_as(carol).get("/endpoints/TW/")

    assert list(response.context["ancestors"]) == []
    assert [site.code for site in response.context["children"]] == ["HN", "HT"]


def test_detail_unknown_code_is_not_found(client_as, carol, tree):
    response = client_as(carol).get("/endpoints/NOPE/")

    assert response.status_code == 404


@pytest.mark.parametrize("depth", [1, 3])
def test_detail_query_count_is_constant(client_as, carol, tree, django_assert_num_queries, depth):
    code = ["TW", "HN", "HN-BD", "HN-BD-01"][depth]
    client = client_as(carol)

    # session, user, roles, site with parent, ancestors, children, technicians
    # One query more since issue #13: the offices the user acts for (the header's office).
    with django_assert_num_queries(8):
        response = client.get(f"/endpoints/{code}/")

    assert response.status_code == 200


# --- the import form -----------------------------------------------------------------------------


def test_import_form_empty_file_is_refused(client_as, alice, english):
    upload = SimpleUploadedFile("sites.csv", b"")

    response = client_as(alice).post(IMPORT_URL, {"file": upload})

    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["The submitted file is empty."]}
    assert EndpointImportJob.objects.count() == 0


def test_import_form_oversize_file_is_refused(client_as, alice, english):
    upload = SimpleUploadedFile("sites.csv", CSV_HEADER + b"x" * MAX_IMPORT_BYTES)

    response = client_as(alice).post(IMPORT_URL, {"file": upload})

    assert response.context["form"].errors == {
        "file": ["The file is 5.0\xa0MB; the largest accepted is 5.0\xa0MB."]
    }
    assert EndpointImportJob.objects.count() == 0


def test_import_form_missing_file_is_refused(client_as, alice, english):
    response = client_as(alice).post(IMPORT_URL, {"skip_invalid": "on"})

    assert response.context["form"].errors == {"file": ["This field is required."]}
    assert EndpointImportJob.objects.count() == 0


def test_import_form_valid_upload_creates_job_and_redirects(
    client_as, alice, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("danh-sach.csv", CSV_HEADER + b"HN,Ha Noi,province,\n")

    with django_capture_on_commit_callbacks() as callbacks:
        response = client_as(alice).post(IMPORT_URL, {"file": upload, "skip_invalid": "on"})

    job = EndpointImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/endpoints/import/{job.pk}/"
    assert (job.file_name, job.created_by, job.skip_invalid) == ("danh-sach.csv", alice, True)
    assert bytes(job.data) == CSV_HEADER + b"HN,Ha Noi,province,\n"
    assert job.status == ImportJobStatus.QUEUED
    assert len(callbacks) == 1


def test_import_page_lists_recent_jobs(client_as, alice, job):
    response = client_as(alice).get(IMPORT_URL)

    assert list(response.context["recent_jobs"]) == [job]
    assert f'href="/endpoints/import/{job.pk}/"'.encode() in response.content


# --- the job page and its status -----------------------------------------------------------------


def test_job_unknown_id_is_not_found(client_as, alice):
    response = client_as(alice).get("/endpoints/import/999/")
    status = client_as(alice).get("/endpoints/import/999/status.json")

    assert response.status_code == 404
    assert status.status_code == 404


def test_job_unknown_id_is_refused_before_lookup_for_outsider(client_as, bob):
    response = client_as(bob).get("/endpoints/import/999/")

    assert response.status_code == 403


def test_job_queued_page_polls_its_status(client_as, alice, job):
    response = client_as(alice).get(f"/endpoints/import/{job.pk}/")

    html = response.content.decode()
    assert f'data-status-url="/endpoints/import/{job.pk}/status.json"' in html
    assert '<script src="/static/js/import_progress.js" defer></script>' in html
    assert 'id="import-progress"' in html


def test_job_finished_page_shows_counts_and_errors_without_polling(client_as, alice, job, english):
    job.status = ImportJobStatus.DONE
    job.total_rows = job.processed_rows = 3
    job.created_count, job.skipped_count, job.written = 2, 1, True
    job.errors = [{"line": 3, "code": "level_invalid", "message": "Unknown level “x”."}]
    job.save()

    response = client_as(alice).get(f"/endpoints/import/{job.pk}/")

    html = response.content.decode()
    assert "data-status-url" not in html
    assert "import_progress.js" not in html
    assert '<dd id="count-created">2</dd>' in html
    assert '<dd id="count-skipped">1</dd>' in html
    assert re.search(r'<td class="col-number">3</td>\s*<td>Unknown level “x”.</td>', html)


def test_job_status_reports_progress(client_as, alice, job):
    job.status = ImportJobStatus.RUNNING
    job.total_rows, job.processed_rows = 200, 50
    job.save()

    response = client_as(alice).get(f"/endpoints/import/{job.pk}/status.json")

    assert response.json() == {
        "id": job.pk,
        "status": "running",
        "status_label": "Đang xử lý",
        "finished": False,
        "total_rows": 200,
        "processed_rows": 50,
        "percent": 25,
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "written": False,
        "error_count": 0,
    }
    assert response["Cache-Control"] == ("max-age=0, no-cache, no-store, must-revalidate, private")


# --- export --------------------------------------------------------------------------------------


def test_export_is_utf8_attachment_with_bom(client_as, alice, tree):
    response = client_as(alice).get(EXPORT_URL)

    body = response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="giaoban-sites-\d{4}-\d{2}-\d{2}\.csv"',
        response["Content-Disposition"],
    )
    assert body.startswith(b"\xef\xbb\xbfcode,")
    assert body.count(b"\xef\xbb\xbf") == 1
    assert "Phúc Xá".encode() in body


# --- import jobs and export follow the acting office ---------------------------------------------


@pytest.fixture
def lan(tree):
    """Secretariat of Hà Nội's office, whose jurisdiction is HN."""
    office = OfficeFactory(code="VP-HN", name="Văn phòng UBND Hà Nội", jurisdiction=tree["hanoi"])
    return UserFactory(username="lan", roles=[Role.SECRETARIAT], offices=[office])


@pytest.mark.parametrize("path", ["", "status.json"])
def test_another_offices_import_job_answers_as_a_missing_one(client_as, lan, job, path):
    client = client_as(lan)

    other = client.get(f"/endpoints/import/{job.pk}/{path}")
    missing = client.get(f"/endpoints/import/999999/{path}")

    assert (other.status_code, missing.status_code) == (404, 404)


def test_import_page_lists_only_the_acting_offices_jobs(client_as, lan, job):
    response = client_as(lan).get(IMPORT_URL)

    assert list(response.context["recent_jobs"]) == []


def test_superuser_follows_every_offices_import_job(client_as, job):
    admin = UserFactory(username="root", is_superuser=True)

    assert client_as(admin).get(f"/endpoints/import/{job.pk}/").status_code == 200


def test_upload_records_the_acting_office_and_the_superusers_none(client_as, lan, tree):
    admin = UserFactory(username="root", is_superuser=True)

    for user in (lan, admin):
        client_as(user).post(
            IMPORT_URL, {"file": SimpleUploadedFile("s.csv", CSV_HEADER + b"X,X,commune,HN\n")}
        )

    assert list(
        EndpointImportJob.objects.order_by("pk").values_list("created_by__username", "office__code")
    ) == [("lan", "VP-HN"), ("root", None)]


def test_export_holds_the_sites_the_user_manages(client_as, lan, tree):
    response = client_as(lan).get(EXPORT_URL)

    codes = [line.split(",")[0] for line in response.content.decode().lstrip("\ufeff").splitlines()]
    assert codes == ["code", "HN", "HN-BD", "HN-BD-01"]


def test_import_page_tells_the_office_its_scope(client_as, lan, tree, english):
    response = client_as(lan).get(IMPORT_URL)

    assert (
        "The import acts for Văn phòng UBND Hà Nội: a row whose site lies outside Hà Nội "
        "and its sub-sites is refused."
    ) in response.content.decode()
