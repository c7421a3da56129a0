from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from meetings.records.integrity import MISSING, SHA256, SIZE, stored_versions, verify_all


class Command(BaseCommand):
    help = (
        "Re-read every stored record file and check its size and SHA-256; report each "
        "missing or different file and exit with status 1 if there is any."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--meeting", type=int, help="Only the records of this session (id).")

    def handle(self, *args, meeting: int | None = None, **options) -> None:
        versions = stored_versions()
        if meeting is not None:
            versions = versions.filter(record__meeting_id=meeting)
        checked = problems = 0
        for version, problem in verify_all(versions):
            checked += 1
            if problem is None:
                continue
            problems += 1
            where = _("version %(id)d (%(title)s v%(number)d, key %(key)s)") % {
                "id": version.pk,
                "title": version.record.title,
                "number": version.number,
                "key": version.key,
            }
            if problem.kind == MISSING:
                text = _("MISSING %(where)s: no object in storage")
            elif problem.kind == SIZE:
                text = _("SIZE MISMATCH %(where)s: expected %(expected)s bytes, found %(found)s")
            elif problem.kind == SHA256:
                text = _("SHA-256 MISMATCH %(where)s: expected %(expected)s, found %(found)s")
            else:
                text = _("UNREADABLE %(where)s: storage unavailable (%(found)s)")
            self.stderr.write(
                text % {"where": where, "expected": problem.expected, "found": problem.found}
            )
        self.stdout.write(
            _("%(checked)d record files checked, %(problems)d problems.")
            % {"checked": checked, "problems": problems}
        )
        if problems:
            raise CommandError(
                _("%(problems)d record files failed verification.") % {"problems": problems}
            )
