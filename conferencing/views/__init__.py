"""Web pages of the conference network: the site directory and CSV import and export
(directory), and the management of sites, offices and bridges."""
