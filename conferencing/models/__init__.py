"""The conference network's models: the site tree and bridges, conferences and their
legs, readiness, site import jobs, and the office each API token acts for."""

from conferencing.models.conferences import (
    DEFAULT_SETUP_MINUTES,
    MAX_SETUP_MINUTES,
    Conference,
    ConferenceQuerySet,
    ConferenceStatus,
    Leg,
    LegQuerySet,
    LegRole,
    reservation_start,
)
from conferencing.models.import_jobs import (
    EndpointImportJob,
    ImportJob,
    ImportJobQuerySet,
    ImportJobStatus,
    office_field,
    uploader_field,
)
from conferencing.models.offices import Office, OfficeQuerySet
from conferencing.models.readiness import ReadinessEvent, ReadinessState
from conferencing.models.sites import (
    CODE_PATTERN,
    LEVEL_SLUGS,
    PATH_SEPARATOR,
    Bridge,
    Endpoint,
    EndpointQuerySet,
    Level,
    path_for,
    placement_error,
    rewrite_subtree_paths,
    save_with_subtree_paths,
    site_search_key,
    validate_placement,
)

__all__ = [
    "CODE_PATTERN",
    "DEFAULT_SETUP_MINUTES",
    "LEVEL_SLUGS",
    "MAX_SETUP_MINUTES",
    "PATH_SEPARATOR",
    "Bridge",
    "Conference",
    "ConferenceQuerySet",
    "ConferenceStatus",
    "Endpoint",
    "EndpointImportJob",
    "EndpointQuerySet",
    "ImportJob",
    "ImportJobQuerySet",
    "ImportJobStatus",
    "Leg",
    "LegQuerySet",
    "LegRole",
    "Level",
    "Office",
    "OfficeQuerySet",
    "ReadinessEvent",
    "ReadinessState",
    "office_field",
    "path_for",
    "placement_error",
    "reservation_start",
    "rewrite_subtree_paths",
    "save_with_subtree_paths",
    "site_search_key",
    "uploader_field",
    "validate_placement",
]
