"""The audit trail's page (/audit/): which entries an office's secretariat reads.

Lives in meetings, not in audit: the scope depends on meetings (their owning office,
their records) and on conferencing (sites, bridges, offices), and audit sits below
both (every app writes to it through audit.trail)."""
