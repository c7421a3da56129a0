from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from meetings.records.models import RecordVersion
from meetings.records.signature_checks import PDF, check_signature
from signatures import trust
from signatures.report import UNTRUSTED, VALID, SignatureReport


class Command(BaseCommand):
    help = (
        "Check the signatures of the PDF record versions never checked (stored before the "
        "check existed), of those whose verdict was reached against other trust roots "
        "with --stale (after SIGNATURE_TRUST_ROOTS changed), or of every PDF version with "
        "--all; print one line per version and the count of each status."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--all", action="store_true", help="Check every PDF version again.")
        parser.add_argument(
            "--stale",
            action="store_true",
            help="Check again only the versions checked against other trust roots.",
        )

    def handle(self, *args, all: bool = False, stale: bool = False, **options) -> None:
        if all and stale:
            raise CommandError(_("Give --all or --stale, not both."))
        versions = RecordVersion.objects.filter(content_type=PDF).order_by("pk")
        current = trust.fingerprint()
        if stale:
            # Only these verdicts turn on the roots (SignatureReport.is_stale says so again
            # for each, so that the database's JSON lookups need not agree on it).
            versions = versions.filter(signature__status__in=[VALID, UNTRUSTED])
        elif not all:
            versions = versions.filter(signature__isnull=True)
        counts: dict[str, int] = {}
        for version in versions.iterator(chunk_size=200):
            if stale and not SignatureReport.from_json(version.signature).is_stale(current):
                continue
            report = check_signature(version)
            status = report.status if report else "none"
            counts[status] = counts.get(status, 0) + 1
            self.stdout.write(
                _("version %(id)d: %(status)s %(reason)s")
                % {"id": version.pk, "status": status, "reason": report.reason if report else ""}
            )
        summary = ", ".join(f"{status} {count}" for status, count in sorted(counts.items()))
        self.stdout.write(_("Checked: %(summary)s") % {"summary": summary or "0"})
