from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from meetings.records.models import RecordVersion
from meetings.records.signature_checks import PDF, check_signature


class Command(BaseCommand):
    help = (
        "Check the signatures of the PDF record versions never checked (stored before the "
        "check existed), or of every PDF version with --all (after SIGNATURE_TRUST_ROOTS "
        "changed); print one line per version and the count of each status."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--all", action="store_true", help="Check every PDF version again.")

    def handle(self, *args, all: bool = False, **options) -> None:
        versions = RecordVersion.objects.filter(content_type=PDF).order_by("pk")
        if not all:
            versions = versions.filter(signature__isnull=True)
        counts: dict[str, int] = {}
        for version in versions.iterator(chunk_size=200):
            report = check_signature(version)
            status = report.status if report else "none"
            counts[status] = counts.get(status, 0) + 1
            self.stdout.write(
                _("version %(id)d: %(status)s %(reason)s")
                % {"id": version.pk, "status": status, "reason": report.reason if report else ""}
            )
        summary = ", ".join(f"{status} {count}" for status, count in sorted(counts.items()))
        self.stdout.write(_("Checked: %(summary)s") % {"summary": summary or "0"})
