from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from meetings.search import reindex


class Command(BaseCommand):
    help = (
        "Index the archive for search again: every session, and the text of every stored "
        "document (by the task worker, or in this process with --now)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--documents",
            action="store_true",
            help="Also the documents' text: enqueue its extraction for the task worker.",
        )
        parser.add_argument(
            "--now",
            action="store_true",
            help="With --documents: extract in this process instead of enqueueing.",
        )

    def handle(self, *args, documents: bool = False, now: bool = False, **options) -> None:
        count = reindex.reindex_meetings()
        self.stdout.write(_("%(count)d sessions indexed.") % {"count": count})
        if not documents:
            return
        gone = reindex.forget_gone_documents()
        self.stdout.write(_("%(count)d entries of removed documents deleted.") % {"count": gone})
        if now:
            done, skipped = reindex.index_documents_now()
            self.stdout.write(
                _("%(done)d documents indexed, %(skipped)d skipped.")
                % {"done": done, "skipped": skipped}
            )
        else:
            count = reindex.enqueue_documents()
            self.stdout.write(
                _("%(count)d documents queued for text extraction.") % {"count": count}
            )
