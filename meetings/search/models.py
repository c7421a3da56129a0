"""The archive's search index: one row per thing a person can find.

A row is written by meetings.search.indexing only, never by the things it describes:
sessions (on every booking change), document versions (once their text is extracted),
conclusion notices and tasks (by their own apps, through `index_entry`). The full-text
index over `folded_title` and `folded_body` is the database's own (meetings.search.fulltext):
a generated tsvector column with a GIN index on PostgreSQL, an FTS5 table kept by
triggers on SQLite; neither is a field here, since Django's model would create it on
both databases. The model keeps the meetings app's label, tables and migrations, as the
other subdomains of meetings do (docs/architecture.md).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    MEETING = "meeting", _("Session")
    DOCUMENT = "document", _("Document")
    CONCLUSION = "conclusion", _("Conclusion notice")
    TASK = "task", _("Task")


class SearchEntry(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    # Unique within its kind: the meeting's id, the record version's id, the notice's id…
    key = models.CharField(_("key"), max_length=64)
    meeting = models.ForeignKey(
        "meetings.Meeting", verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="+"
    )
    # A document's entry is its version's: who may find it is who may see that version.
    version = models.ForeignKey(
        "meetings.RecordVersion",
        verbose_name=_("record version"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=300)
    # As written (meetings.search.text.plain): what snippets are cut from.
    body = models.TextField(_("text"), blank=True)
    # Folded words (meetings.search.text.index_words): what the full-text index reads.
    folded_title = models.TextField(blank=True, editable=False)
    folded_body = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        app_label = "meetings"  # its tables and migrations (docs/architecture.md)
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="search_entry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} {self.title}"
