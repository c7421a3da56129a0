"""Forms of the site directory and import (directory), and of the management pages of
sites, offices and bridges."""

from conferencing.forms.directory import (
    MAX_IMPORT_BYTES,
    EndpointFilterForm,
    EndpointImportForm,
    check_import_size,
)

__all__ = ["MAX_IMPORT_BYTES", "EndpointFilterForm", "EndpointImportForm", "check_import_size"]
