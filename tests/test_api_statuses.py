"""The plugin that checks every documented API status is produced (tests/api_statuses.py)."""

from tests.api_statuses import Outcome, Template, produced_statuses, template_for

TEMPLATES = [
    Template.of(path)
    for path in (
        "/api/v1/meetings/",
        "/api/v1/meetings/check/",
        "/api/v1/meetings/{id}/",
        "/api/v1/meetings/{id}/cancel/",
        "/api/v1/document-uploads/{id}/parts/{number}/",
    )
]


def test_a_path_belongs_to_its_most_literal_template():
    assert [
        template_for(path, TEMPLATES)
        for path in (
            "/api/v1/meetings/",
            "/api/v1/meetings/check/",
            "/api/v1/meetings/12/",
            "/api/v1/meetings/12/cancel/",
            "/api/v1/document-uploads/3/parts/1/",
            "/api/v1/schema/",
        )
    ] == [
        "/api/v1/meetings/",
        "/api/v1/meetings/check/",
        "/api/v1/meetings/{id}/",
        "/api/v1/meetings/{id}/cancel/",
        "/api/v1/document-uploads/{id}/parts/{number}/",
        None,
    ]


def test_notes_of_every_process_are_read(tmp_path):
    (tmp_path / "1.tsv").write_text("GET\t/api/v1/meetings/12/\t404\n")
    (tmp_path / "2.tsv").write_text("POST\t/api/v1/meetings/check/\t200\nGET\t/api/v1/x/\t200\n")

    assert produced_statuses(tmp_path, TEMPLATES) == {
        ("GET", "/api/v1/meetings/{id}/", 404),
        ("POST", "/api/v1/meetings/check/", 200),
    }


def test_the_suite_records_the_api_responses_it_produces(api_as, carol, pytestconfig):
    from tests.api_statuses import DIRECTORY

    api_as(carol).get("/api/v1/meetings/424242/")

    notes = "".join(path.read_text() for path in pytestconfig.stash[DIRECTORY].glob("*.tsv"))
    assert "GET\t/api/v1/meetings/424242/\t404\n" in notes


def test_every_status_produced_by_no_test_fails():
    missing = [("GET", "/api/v1/meetings/{id}/", 200), ("POST", "/api/v1/meetings/", 415)]

    outcome = Outcome(missing, documented=99, enforced=True)

    assert outcome.failing == missing
