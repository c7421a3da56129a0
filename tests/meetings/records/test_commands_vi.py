"""The records commands report in Vietnamese, the default language."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from meetings.records import storage
from tests.factories import RecordFactory, stored_version
from tests.meetings.records.helpers import local_storage, session


@pytest.fixture(autouse=True)
def local(settings, tmp_path):
    local_storage(settings, tmp_path)


def test_verify_records_reports_a_missing_file_in_vietnamese(alice):
    intact = stored_version(record=RecordFactory(meeting=session(alice)), uploaded_by=alice)
    missing = stored_version(record=RecordFactory(meeting=intact.record.meeting), uploaded_by=alice)
    storage.delete(missing.key)
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError):
        call_command("verify_records", stdout=out, stderr=err)

    assert "Đã kiểm tra 2 tệp tài liệu, phát hiện 1 lỗi." in out.getvalue()
    assert err.getvalue().startswith("THIẾU ")
